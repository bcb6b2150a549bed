import type { Status } from './types.ts';

/** Jira's status-category names and ids, as they appear in `fields.status.statusCategory`. */
const CATEGORIES: Record<Status['category'], { id: number; key: string; name: string; colorName: string }> = {
  new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' },
};

export function statusCategoryName(category: Status['category']): string {
  return CATEGORIES[category].name;
}

export function statusCategoryBean(
  category: Status['category'],
  baseUrl: string,
  restVersion: 2 | 3,
): Record<string, unknown> {
  const c = CATEGORIES[category];
  return {
    self: `${baseUrl}/rest/api/${restVersion}/statuscategory/${c.id}`,
    id: c.id,
    key: c.key,
    colorName: c.colorName,
    name: c.name,
  };
}
