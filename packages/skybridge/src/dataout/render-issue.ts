import type { IssueInput } from '../atlassian/jira-issues.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import { adfLength, buildAdf } from './adf.ts';
import type { CreateMetaField, Deployment } from './field-mapping.ts';
import { mappingTemplates, renderFields } from './field-mapping.ts';
import type { Finding } from './finding.ts';
import type { Instance } from './instance.ts';
import { fitDescription, toLabels, toSummary } from './limits.ts';
import type { TemplateSet } from './templates.ts';
import { compileTemplates, findingScope } from './templates.ts';
import { buildWikiMarkup } from './wiki-markup.ts';

/** The issue property every ticket carries: the dedup key and what it was made from. */
export const DEDUP_PROPERTY_KEY = 'skybridge.dedup';
/** A label on every ticket, so all of them can be found with one JQL clause. */
export const SKYBRIDGE_LABEL = 'skybridge';

export interface RenderedIssue {
  input: IssueInput;
  /** Set when the description was shortened: the whole text, to attach to the issue. */
  fullDescription?: string;
}

/** Compiles an instance's templates (its own four and those of its mapping); problems name each template. */
export function compileInstanceTemplates(
  config: Pick<Instance['config'], 'templates' | 'mapping'>,
): Result<TemplateSet, Array<{ template: string; message: string }>> {
  return compileTemplates({ ...config.templates, ...mappingTemplates(config.mapping) });
}

/**
 * A finding as the fields of a create (or, without `project`/`issuetype`, an edit): summary, description (ADF on
 * Cloud, wiki markup on Data Center, finding values always as text), labels including the dedup key, priority,
 * the mapped fields, and the dedup property. Problems name the field or template.
 */
export function renderIssue(
  instance: Pick<Instance, 'id' | 'project' | 'issueType' | 'config'>,
  templates: TemplateSet,
  finding: Finding,
  ticket: { dedupKey: string; source: string },
  deployment: Deployment,
): Result<RenderedIssue, string[]> {
  const scope = findingScope(finding);
  const problems: string[] = [];
  const text = (name: string): string => {
    const rendered = templates.renderText(name, scope);
    if (!rendered.ok) problems.push(`${name}: ${rendered.error.message}`);
    return rendered.ok ? rendered.value : '';
  };
  const summary = toSummary(text('summary'));
  if (summary === '') problems.push('summary: the summary template rendered empty');
  const labels = [...toLabels(text('labels')), SKYBRIDGE_LABEL, ticket.dedupKey].filter(
    (l, i, all) => all.indexOf(l) === i,
  );
  const priority = text('priority').trim();

  const described = templates.render('description', scope);
  if (!described.ok) problems.push(`description: ${described.error.message}`);
  const fitted = described.ok
    ? deployment === 'cloud'
      ? fitDescription<unknown>(described.value, buildAdf, (doc) => adfLength(doc as ReturnType<typeof buildAdf>))
      : fitDescription<unknown>(described.value, buildWikiMarkup, (markup) => (markup as string).length)
    : undefined;

  const mapped = renderFields(
    instance.config.fieldsMeta as CreateMetaField[],
    instance.config.mapping,
    finding,
    templates,
    { deployment },
  );
  if (!mapped.ok) problems.push(...mapped.error.map((p) => p.message));
  if (problems.length > 0) return err(problems);

  const fields: Record<string, unknown> = {
    project: { key: instance.project.key },
    issuetype: { id: instance.issueType.id },
    summary,
    labels,
    ...(mapped.ok ? mapped.value : {}),
  };
  if (fitted !== undefined) fields['description'] = fitted.value;
  if (priority !== '') fields['priority'] = { name: priority };
  return ok({
    input: {
      fields,
      properties: {
        [DEDUP_PROPERTY_KEY]: {
          key: ticket.dedupKey,
          instance: instance.id,
          source: ticket.source,
          finding: finding.id,
        },
      },
    },
    ...(fitted?.shortened === true && fitted.fullText !== undefined ? { fullDescription: fitted.fullText } : {}),
  });
}
