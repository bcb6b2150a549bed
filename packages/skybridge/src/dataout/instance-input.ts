import { z } from 'zod';
import type { FieldMapping, FieldSource } from './field-mapping.ts';
import { CHANGE_POLICIES, REOPEN_POLICIES } from './instance.ts';

/**
 * What creating an instance takes, from the HTTP API or the CLI. A mapping value is either a `FieldSource` object or
 * the CLI's shorthand string (see `parseFieldShorthand`).
 */
export const instanceInputSchema = z
  .object({
    connection: z.string().min(1).max(200),
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^\s].*[^\s]$|^[^\s]$/, 'must not start or end with a space'),
    project: z.string().min(1).max(255),
    issueType: z.string().min(1).max(255),
    mapping: z
      .record(
        z.string().min(1).max(255),
        z.union([
          z.string().max(20_000),
          z.object({ kind: z.literal('fixed'), value: z.unknown() }).strict(),
          z.object({ kind: z.literal('template'), template: z.string().max(20_000) }).strict(),
          z.object({ kind: z.literal('finding'), path: z.string().min(1).max(300) }).strict(),
        ]),
      )
      .optional(),
    templates: z
      .object({
        summary: z.string().max(20_000).optional(),
        description: z.string().max(20_000).optional(),
        labels: z.string().max(20_000).optional(),
        priority: z.string().max(20_000).optional(),
      })
      .strict()
      .optional(),
    doneStatus: z.string().min(1).max(255).optional(),
    reopenStatus: z.string().min(1).max(255).optional(),
    reopenPolicy: z.enum(REOPEN_POLICIES).optional(),
    onChange: z.enum(CHANGE_POLICIES).optional(),
  })
  .strict();
export type InstanceInput = z.infer<typeof instanceInputSchema>;

/**
 * The CLI's `--map field=value` shorthand: `finding.<path>` takes a finding field, text with `{{` or `{%` is a
 * Liquid template, anything else is a fixed value (JSON when it parses as an object, array or number, else text).
 */
export function parseFieldShorthand(text: string): FieldSource {
  if (/^finding\.[A-Za-z0-9_.]+$/.test(text)) return { kind: 'finding', path: text.slice('finding.'.length) };
  if (text.includes('{{') || text.includes('{%')) return { kind: 'template', template: text };
  if (/^[[{]/.test(text) || /^-?\d+(\.\d+)?$/.test(text)) {
    try {
      return { kind: 'fixed', value: JSON.parse(text) as unknown };
    } catch {
      // Not JSON after all: a fixed text value.
    }
  }
  return { kind: 'fixed', value: text };
}

export function toFieldMapping(mapping: InstanceInput['mapping']): FieldMapping {
  const out: Record<string, FieldSource> = {};
  for (const [fieldId, value] of Object.entries(mapping ?? {}))
    out[fieldId] = typeof value === 'string' ? parseFieldShorthand(value) : value;
  return out;
}
