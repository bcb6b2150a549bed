// The fields a simulated Jira knows: system fields with their schema (as createmeta, `expand=names,schema` show
// them) plus the site's custom fields from the world model.
import type { CustomField, IssueType, JiraData } from '../../../world/types.ts';

/** Jira's default priority scheme (Cloud names; ids as on a fresh site). */
export const PRIORITIES = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
] as const;

/** The scheme's default priority: what createmeta offers as `defaultValue`, and what a create without one gets. */
export const DEFAULT_PRIORITY = PRIORITIES[2];

export interface JsonTypeBean {
  type: string;
  system?: string;
  items?: string;
  custom?: string;
  customId?: number;
}

export interface FieldDef {
  id: string;
  name: string;
  schema: JsonTypeBean;
  operations: string[];
  /** Rich text: ADF on cloud v3. */
  richText: boolean;
  /** Shown by `*navigable` (everything but the comment list here). */
  navigable: boolean;
  /** On the create screen (createmeta). */
  creatable: boolean;
  custom?: CustomField;
}

const system = (
  id: string,
  name: string,
  schema: Omit<JsonTypeBean, 'system'>,
  operations: string[],
  extra: Partial<FieldDef> = {},
): FieldDef => ({
  id,
  name,
  schema: { ...schema, system: id },
  operations,
  richText: false,
  navigable: true,
  creatable: true,
  ...extra,
});

/** System fields in the order Jira lists them. */
export const SYSTEM_FIELDS: readonly FieldDef[] = [
  system('summary', 'Summary', { type: 'string' }, ['set']),
  system('issuetype', 'Issue Type', { type: 'issuetype' }, []),
  system('parent', 'Parent', { type: 'issuelink' }, ['set']),
  system('project', 'Project', { type: 'project' }, ['set']),
  system('description', 'Description', { type: 'string' }, ['set'], { richText: true }),
  system('reporter', 'Reporter', { type: 'user' }, ['set']),
  system('assignee', 'Assignee', { type: 'user' }, ['set']),
  system('priority', 'Priority', { type: 'priority' }, ['set']),
  system('labels', 'Labels', { type: 'array', items: 'string' }, ['add', 'set', 'remove']),
  system('status', 'Status', { type: 'status' }, [], { creatable: false }),
  system('creator', 'Creator', { type: 'user' }, [], { creatable: false }),
  system('created', 'Created', { type: 'datetime' }, [], { creatable: false }),
  system('updated', 'Updated', { type: 'datetime' }, [], { creatable: false }),
  system('resolution', 'Resolution', { type: 'resolution' }, [], { creatable: false }),
  system('resolutiondate', 'Resolved', { type: 'datetime' }, [], { creatable: false }),
  // Attachments are added through their own multipart endpoint, never through `fields`.
  system('attachment', 'Attachment', { type: 'array', items: 'attachment' }, ['set', 'copy'], { creatable: false }),
  system('comment', 'Comment', { type: 'comments-page' }, ['add', 'edit', 'remove'], {
    creatable: false,
    navigable: false,
  }),
];

export function customFieldDef(field: CustomField): FieldDef {
  const customId = Number(field.id.replace('customfield_', ''));
  return {
    id: field.id,
    name: field.name,
    schema: { type: field.type, custom: field.custom, customId },
    operations: ['set'],
    // Textarea custom fields are rich text too: Jira v3 wants ADF in them (API-NOTES §2.1 "textarea custom fields").
    richText: field.custom.endsWith(':textarea'),
    navigable: true,
    creatable: true,
    custom: field,
  };
}

/** Every field of the site, system first. */
export function allFields(data: JiraData): FieldDef[] {
  return [...SYSTEM_FIELDS, ...data.customFields.map(customFieldDef)];
}

export function findField(data: JiraData, id: string): FieldDef | undefined {
  return SYSTEM_FIELDS.find((f) => f.id === id) ?? data.customFields.filter((f) => f.id === id).map(customFieldDef)[0];
}

/** The fields on an issue type's create screen, and which of them are required. */
export function createScreen(data: JiraData, issueType: IssueType): { field: FieldDef; required: boolean }[] {
  // summary, project and issuetype are always required; reporter too, but it defaults to the caller.
  const alwaysRequired = new Set(['summary', 'project', 'issuetype', 'reporter']);
  const screen: { field: FieldDef; required: boolean }[] = [];
  for (const field of SYSTEM_FIELDS) {
    if (!field.creatable) continue;
    if (field.id === 'parent' && !issueType.subtask) continue;
    screen.push({ field, required: alwaysRequired.has(field.id) || issueType.requiredFields.includes(field.id) });
  }
  for (const custom of data.customFields) {
    if (!custom.issueTypeIds.includes(issueType.id)) continue;
    screen.push({ field: customFieldDef(custom), required: issueType.requiredFields.includes(custom.id) });
  }
  return screen;
}
