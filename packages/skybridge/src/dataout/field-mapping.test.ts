import { describe, expect, it } from 'vitest';
import type { CreateMetaField, FieldMapping } from './field-mapping.ts';
import { fieldMappingSchema, findingValue, mappingTemplates, renderFields, validateMapping } from './field-mapping.ts';
import type { Finding } from './finding.ts';
import type { TemplateSet } from './templates.ts';
import { compileTemplates } from './templates.ts';

const sys = (fieldId: string, name: string, type: string, extra: Partial<CreateMetaField> = {}): CreateMetaField => ({
  fieldId,
  key: fieldId,
  name,
  required: false,
  hasDefaultValue: false,
  schema: { type, system: fieldId },
  ...extra,
});
const custom = (n: number, name: string, type: string, extra: Partial<CreateMetaField> = {}): CreateMetaField => ({
  fieldId: `customfield_${n}`,
  name,
  required: false,
  hasDefaultValue: false,
  schema: {
    type,
    custom: 'com.atlassian.jira.plugin.system.customfieldtypes:x',
    customId: n,
  } as CreateMetaField['schema'],
  ...extra,
});

// Shaped like createmeta for a Bug: built-ins, a defaulted reporter, and custom fields of each supported type.
const FIELDS: CreateMetaField[] = [
  sys('summary', 'Summary', 'string', { required: true }),
  sys('issuetype', 'Issue Type', 'issuetype', { required: true, allowedValues: [{ id: '10001', name: 'Bug' }] }),
  sys('project', 'Project', 'project', { required: true }),
  sys('description', 'Description', 'string'),
  sys('reporter', 'Reporter', 'user', { required: true, hasDefaultValue: true }),
  sys('assignee', 'Assignee', 'user'),
  sys('priority', 'Priority', 'priority', {
    allowedValues: [
      { id: '1', name: 'Highest' },
      { id: '2', name: 'High' },
    ],
  }),
  sys('labels', 'Labels', 'array', { schema: { type: 'array', items: 'string', system: 'labels' } }),
  sys('duedate', 'Due date', 'date'),
  sys('environment', 'Environment', 'string'),
  custom(10050, 'Severity', 'option', {
    required: true,
    allowedValues: [
      { id: '10100', value: 'Critical' },
      { id: '10101', value: 'Major' },
    ],
  }),
  custom(10051, 'CVSS', 'number'),
  {
    ...custom(10052, 'Details', 'string'),
    schema: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea' },
  },
  custom(10053, 'Owner team', 'string', { required: true }),
  {
    ...custom(10054, 'Components hit', 'array'),
    schema: { type: 'array', items: 'option' },
    allowedValues: [
      { id: '1', value: 'api' },
      { id: '2', value: 'web' },
    ],
  },
  { ...custom(10055, 'Tags', 'array'), schema: { type: 'array', items: 'string' } },
  custom(10056, 'Found at', 'datetime'),
  custom(10057, 'Sprint', 'json-sprint'),
  { ...custom(10058, 'Watchers', 'array'), schema: { type: 'array', items: 'user' } },
];

const finding: Finding = {
  id: 'F-1',
  title: 'Weak cipher',
  severity: 'high',
  status: 'open',
  description: '*not bold*',
  properties: { team: 'payments', score: 7.5, comps: ['api', 'web'], owner: 'acc-123', found: '2026-05-01T10:00:00Z' },
};

function templates(mapping: FieldMapping): TemplateSet {
  const set = compileTemplates(mappingTemplates(mapping));
  if (!set.ok) throw new Error(JSON.stringify(set.error));
  return set.value;
}

describe('validateMapping', () => {
  it('names each required field nobody fills, by name and id', () => {
    expect(validateMapping(FIELDS, {}).map((p) => p.message)).toEqual([
      'Field "Severity" (customfield_10050) is required and has no default: map it to a fixed value, a template or a finding field',
      'Field "Owner team" (customfield_10053) is required and has no default: map it to a fixed value, a template or a finding field',
    ]);
  });

  it('accepts a complete mapping, fixed values matched by id or by name', () => {
    const mapping: FieldMapping = {
      customfield_10050: { kind: 'fixed', value: 'major' },
      customfield_10053: { kind: 'finding', path: 'properties.team' },
      customfield_10054: { kind: 'fixed', value: [{ id: '2' }, 'api'] },
      customfield_10051: { kind: 'template', template: '{{ finding.properties.score }}' },
    };
    expect(validateMapping(FIELDS, mapping)).toEqual([]);
  });

  it('reports unknown fields, built-ins, bad paths, values not allowed and values of the wrong type', () => {
    const mapping: FieldMapping = {
      customfield_10050: { kind: 'fixed', value: 'Blocker' },
      customfield_10053: { kind: 'finding', path: 'properties' },
      customfield_99999: { kind: 'fixed', value: 'x' },
      summary: { kind: 'template', template: '{{ finding.title }}' },
      customfield_10051: { kind: 'fixed', value: 'seven' },
      duedate: { kind: 'fixed', value: 'tomorrow' },
      customfield_10057: { kind: 'finding', path: 'title' },
    };
    expect(validateMapping(FIELDS, mapping).map((p) => `${p.code}: ${p.message}`)).toEqual([
      'bad_value: Field "Severity" (customfield_10050): "Blocker" is not one of its allowed values (Critical, Major)',
      'bad_path: Field "Owner team" (customfield_10053) is mapped to "properties", which is not a finding field (use id, title, severity, status, description, resource, url or properties.<key>)',
      'unknown_field: Field customfield_99999 is not on the create screen of this project and issue type',
      'built_in: Field "Summary" (summary) is set by the instance itself and cannot be mapped',
      'bad_value: Field "CVSS" (customfield_10051): must be a number',
      'bad_value: Field "Due date" (duedate): must be a date (YYYY-MM-DD)',
      'unsupported_type: Field "Sprint" (customfield_10057) has type json-sprint, which can only be mapped to a fixed value',
    ]);
  });

  it('checks the mapping shape at the edge', () => {
    expect(fieldMappingSchema.safeParse({ a: { kind: 'fixed', value: 1 } }).success).toBe(true);
    expect(fieldMappingSchema.safeParse({ a: { kind: 'finding', path: 'title', extra: 1 } }).success).toBe(false);
    expect(fieldMappingSchema.safeParse({ a: { kind: 'script', code: 'x' } }).success).toBe(false);
  });
});

describe('renderFields', () => {
  const mapping: FieldMapping = {
    customfield_10050: {
      kind: 'template',
      template: '{% if finding.severity == "high" %}Major{% else %}Critical{% endif %}',
    },
    customfield_10053: { kind: 'finding', path: 'properties.team' },
    customfield_10051: { kind: 'finding', path: 'properties.score' },
    customfield_10052: { kind: 'template', template: '# Details\n{{ finding.description }}' },
    customfield_10054: { kind: 'finding', path: 'properties.comps' },
    customfield_10055: { kind: 'template', template: '{{ finding.severity }}, {{ finding.properties.team }}' },
    customfield_10056: { kind: 'finding', path: 'properties.found' },
    customfield_10058: { kind: 'fixed', value: ['acc-1', 'acc-2'] },
    assignee: { kind: 'finding', path: 'properties.owner' },
    duedate: { kind: 'fixed', value: '2026-06-30' },
    environment: { kind: 'finding', path: 'resource' },
    customfield_10057: { kind: 'fixed', value: 42 },
  };

  it('builds Cloud field values: options by id, ADF rich text, accountId users', () => {
    const r = renderFields(FIELDS, mapping, finding, templates(mapping), { deployment: 'cloud' });
    expect(r).toEqual({
      ok: true,
      value: {
        customfield_10050: { id: '10101' },
        customfield_10053: 'payments',
        customfield_10051: 7.5,
        customfield_10052: {
          type: 'doc',
          version: 1,
          content: [
            { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Details' }] },
            { type: 'paragraph', content: [{ type: 'text', text: '*not bold*' }] },
          ],
        },
        customfield_10054: [{ id: '1' }, { id: '2' }],
        customfield_10055: ['high', 'payments'],
        customfield_10056: '2026-05-01T10:00:00.000+0000',
        customfield_10058: [{ accountId: 'acc-1' }, { accountId: 'acc-2' }],
        assignee: { accountId: 'acc-123' },
        duedate: '2026-06-30',
        customfield_10057: 42,
      },
    });
  });

  it('builds Data Center values: wiki markup with escaped values, users by name', () => {
    const r = renderFields(FIELDS, mapping, finding, templates(mapping), { deployment: 'dc' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value['customfield_10052']).toBe('# Details\n\\*not bold\\*');
    expect(r.value['assignee']).toEqual({ name: 'acc-123' });
    expect(r.value['customfield_10058']).toEqual([{ name: 'acc-1' }, { name: 'acc-2' }]);
  });

  it('leaves out optional fields without a value and reports required ones', () => {
    const sparse: FieldMapping = {
      customfield_10053: { kind: 'finding', path: 'properties.missing' },
      environment: { kind: 'finding', path: 'resource' },
      customfield_10051: { kind: 'template', template: '{{ finding.properties.nothing }}' },
    };
    const r = renderFields(FIELDS, sparse, finding, templates(sparse));
    expect(r).toEqual({
      ok: false,
      error: [
        {
          fieldId: 'customfield_10053',
          code: 'missing_required',
          message: 'Field "Owner team" (customfield_10053) is required but got no value',
        },
      ],
    });
    const optional = renderFields(FIELDS, { environment: sparse['environment']! }, finding, templates({}));
    expect(optional).toEqual({ ok: true, value: {} });
  });

  it('reports a value the field refuses, naming the field', () => {
    const bad: FieldMapping = { customfield_10050: { kind: 'finding', path: 'severity' } };
    const r = renderFields(FIELDS, bad, finding, templates(bad));
    expect(r.ok ? [] : r.error.map((p) => p.message)).toEqual([
      'Field "Severity" (customfield_10050): "high" is not one of its allowed values (Critical, Major)',
    ]);
  });

  it('cuts single-line text to 255 characters', () => {
    const long: FieldMapping = { customfield_10053: { kind: 'fixed', value: 'x'.repeat(300) } };
    const r = renderFields(FIELDS, long, finding, templates(long));
    expect(r.ok && String(r.value['customfield_10053']).length).toBe(255);
  });
});

describe('findingValue', () => {
  it('reads own fields and nested properties only', () => {
    expect(findingValue(finding, 'title')).toBe('Weak cipher');
    expect(findingValue(finding, 'properties.comps')).toEqual(['api', 'web']);
    expect(findingValue(finding, 'properties.toString')).toBeUndefined();
    expect(findingValue(finding, 'constructor')).toBeUndefined();
  });
});
