// Jira's three status categories, which JQL accepts by name, key or id (statusCategory = 4 is "In Progress").

export const STATUS_CATEGORIES = ['To Do', 'In Progress', 'Done'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

const BY_ALIAS: ReadonlyMap<string, StatusCategory> = new Map([
  ['to do', 'To Do'],
  ['new', 'To Do'],
  ['2', 'To Do'],
  ['in progress', 'In Progress'],
  ['indeterminate', 'In Progress'],
  ['4', 'In Progress'],
  ['done', 'Done'],
  ['3', 'Done'],
]);

export function resolveStatusCategory(value: string): StatusCategory | undefined {
  return BY_ALIAS.get(value.trim().toLowerCase());
}
