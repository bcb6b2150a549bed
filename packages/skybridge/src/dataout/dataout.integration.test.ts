import { describe, expect, it } from 'vitest';
import { createSimulator } from '../../../atlassian-sim/src/simulator.ts';
import { adfLength, buildAdf } from './adf.ts';
import { dedupKey } from './dedup-key.ts';
import type { CreateMetaField, FieldMapping } from './field-mapping.ts';
import { mappingTemplates, renderFields, validateMapping } from './field-mapping.ts';
import { parseFindings } from './finding.ts';
import { fitDescription, toLabels, toSummary } from './limits.ts';
import { compileTemplates, findingScope } from './templates.ts';

/**
 * The pure data-out pieces against the simulator's Jira Cloud, over raw HTTP (no client of ours in between):
 * real createmeta in, a create-issue body out that Jira accepts, with a hostile finding stored as literal text.
 */
/** What the test reads from Jira's responses; a wrong guess fails an assertion. */
interface IssueTypesPage {
  issueTypes: { id: string; name: string }[];
}
interface FieldsPage {
  fields: CreateMetaField[];
}
interface CreatedIssue {
  key: string;
}
interface IssueBean {
  fields: { summary: string; labels: string[]; priority: { name: string }; description: { content: unknown[] } };
}

function setup() {
  const sim = createSimulator({ now: () => Date.parse('2026-11-22T10:00:00Z') });
  const described = sim.describe();
  const org = described.orgs[0];
  const site = described.sites.find((s) => s.product === 'jira' && s.deployment === 'cloud');
  const project = sim.state.world.cloudSites[0]?.jira.projects.find((p) => !p.restricted && !p.archived);
  if (!org || !site || !project) throw new Error('the simulator lacks a cloud Jira site');
  const auth = `Basic ${Buffer.from(`${org.email}:${org.apiToken}`).toString('base64')}`;
  const call = async <T>(path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await sim.fetch(`${site.baseUrl}/rest/api/3${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  return { call, project };
}

describe('data out building blocks against the simulated Jira Cloud', () => {
  it('validates a mapping on real createmeta and creates an issue Jira accepts', async () => {
    const { call, project } = setup();
    const types = await call<IssueTypesPage>(`/issue/createmeta/${project.key}/issuetypes`);
    const bug = types.json.issueTypes.find((t) => t.name === 'Bug');
    if (!bug) throw new Error('no Bug issue type');
    const meta = await call<FieldsPage>(`/issue/createmeta/${project.key}/issuetypes/${bug.id}?maxResults=200`);
    const fields = meta.json.fields;

    const missing = validateMapping(fields, {});
    expect(missing.map((p) => p.code)).toEqual(missing.map(() => 'missing_required'));
    const required = fields.filter((f) => f.required && !f.hasDefaultValue);
    const unfilled = required.filter((f) => !['summary', 'project', 'issuetype'].includes(f.fieldId));
    expect(missing.map((p) => p.fieldId)).toEqual(unfilled.map((f) => f.fieldId));

    const mapping: FieldMapping = Object.fromEntries(
      unfilled.map((f) => {
        const first = (f.allowedValues?.[0] ?? {}) as { value?: string };
        return [f.fieldId, { kind: 'template', template: first.value ?? '{{ finding.id }}' }];
      }),
    );
    expect(validateMapping(fields, mapping)).toEqual([]);

    const parsed = parseFindings({
      id: 'finding 1',
      title: 'h1. *x* {code}[link|http://x]{"type":"doc"}',
      severity: 'critical',
      description: 'line 1\n# not a heading',
      properties: { team: 'payments' },
    });
    const finding = parsed.ok && parsed.value[0]?.result.ok ? parsed.value[0].result.value : undefined;
    if (!finding) throw new Error('finding did not parse');

    const templates = compileTemplates({
      summary: '[{{ finding.severity | upcase }}] {{ finding.title }}',
      description: '## {{ finding.title }}\n{{ finding.description }}\n- Team: {{ finding.properties.team }}',
      labels: 'security, sev-{{ finding.severity }}',
      priority: '{% case finding.severity %}{% when "critical" %}Highest{% else %}Medium{% endcase %}',
      ...mappingTemplates(mapping),
    });
    if (!templates.ok) throw new Error(JSON.stringify(templates.error));
    const scope = findingScope(finding);
    const summary = templates.value.renderText('summary', scope);
    const description = templates.value.render('description', scope);
    const labels = templates.value.renderText('labels', scope);
    const priority = templates.value.renderText('priority', scope);
    const mapped = renderFields(fields, mapping, finding, templates.value);
    if (!summary.ok || !description.ok || !labels.ok || !priority.ok || !mapped.ok) throw new Error('render failed');
    const fitted = fitDescription(description.value, buildAdf, adfLength);
    const key = dedupKey('inst_1', 'scanner', finding.id);

    const created = await call<CreatedIssue>('/issue', {
      fields: {
        project: { key: project.key },
        issuetype: { id: bug.id },
        summary: toSummary(summary.value),
        description: fitted.value,
        labels: [...toLabels(labels.value), key],
        // Sent always: the simulator refuses a create without a required priority even though createmeta gives it a default.
        priority: { name: priority.value.trim() },
        ...mapped.value,
      },
    });
    expect(created.status).toBe(201);

    const issue = await call<IssueBean>(`/issue/${created.json.key}`);
    expect(issue.json.fields.summary).toBe('[CRITICAL] h1. *x* {code}[link|http://x]{"type":"doc"}');
    expect(issue.json.fields.priority.name).toBe('Highest');
    expect(issue.json.fields.labels).toEqual(['security', 'sev-critical', key]);
    expect(issue.json.fields.description.content[0]).toEqual({
      type: 'heading',
      attrs: { level: 2 },
      content: [{ type: 'text', text: 'h1. *x* {code}[link|http://x]{"type":"doc"}' }],
    });
  });
});
