import { Liquid, toValue } from 'liquidjs';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { Finding } from './finding.ts';
import type { MarkedSegment, MarkedText } from './marked-text.ts';
import { plainText } from './marked-text.ts';

/**
 * Liquid templates for an instance's summary, description, labels and priority, and for template-mapped fields.
 *
 * Sandbox: templates are data written through the API, so they get no file system (`include`, `render`, `layout`
 * and `block` are removed, and lookups go to an empty in-memory map), no access to prototypes or inherited
 * properties (`ownPropertyOnly`), no unknown filters (`strictFilters`, so a typo fails at save time), and limits on
 * source length, render time, memory and output length.
 *
 * Every `{{ … }}` output (and `echo`, `cycle`) is recorded as a *value* rather than written as text: rendering
 * returns `MarkedText`, where template characters and finding characters stay apart (see marked-text.ts). The
 * `raw` filter, which would bypass that, is removed.
 */

/** Names of an instance's own templates. */
export const INSTANCE_TEMPLATE_FIELDS = ['summary', 'description', 'labels', 'priority'] as const;
export type InstanceTemplateField = (typeof INSTANCE_TEMPLATE_FIELDS)[number];

export interface TemplateLimits {
  /** Characters in one template. Default 20,000. */
  sourceLength: number;
  /** Wall-clock milliseconds for one render. Default 250. */
  renderTimeMs: number;
  /** Liquid's allocation budget for one render (array items, range sizes, string building). Default 10,000,000. */
  memory: number;
  /** Characters of output of one render. Default 200,000 (a description may be shortened later, see limits.ts). */
  outputLength: number;
}

export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = {
  sourceLength: 20_000,
  renderTimeMs: 250,
  memory: 10_000_000,
  outputLength: 200_000,
};

export interface TemplateOptions {
  /** Fail on a variable the scope does not have, instead of rendering it empty. Default false. */
  strictVariables?: boolean;
  limits?: Partial<TemplateLimits>;
}

/** A template that failed to parse or render; `template` names its field (`description`, `fields.customfield_1`). */
export interface TemplateProblem {
  template: string;
  message: string;
}

/** The data a template sees. Plain JSON-like data only. */
export type TemplateScope = Readonly<Record<string, unknown>>;

/** The scope for rendering a finding: `finding.title`, `finding.properties.team`, … */
export function findingScope(finding: Finding): TemplateScope {
  return { finding };
}

/** A set of parsed templates, by name. */
export interface TemplateSet {
  readonly names: readonly string[];
  has(name: string): boolean;
  /** Renders keeping template and value text apart. Throws when `name` is not in the set (a bug). */
  render(name: string, scope: TemplateScope): Result<MarkedText, TemplateProblem>;
  /** Renders to plain text (summary, labels, priority, single-line fields). */
  renderText(name: string, scope: TemplateScope): Result<string, TemplateProblem>;
}

// Tags a template may use. An allow-list, so a tag added by a future liquidjs (or a file tag) is not let in.
const ALLOWED_TAGS = new Set([
  'assign',
  'capture',
  'case',
  'comment',
  '#',
  'cycle',
  'decrement',
  'increment',
  'echo',
  'for',
  'break',
  'continue',
  'if',
  'unless',
  'liquid',
  'raw',
]);

// Private-use characters delimit a recorded value in Liquid's output: `\uE000<index>\uE001`. They are removed
// from template sources and scope data, so only the recorder can produce them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;
const TOKEN = /\uE000(\d+)\uE001/g;

/** Liquid's own rule for printing a value, except that objects print as JSON instead of `[object Object]`. */
function stringify(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(stringify).join('');
  if (typeof v === 'object') return JSON.stringify(v) ?? '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return ''; // functions and symbols print nothing
}

const MAX_SCOPE_DEPTH = 32;

/** A plain-data copy of the scope with marker characters replaced, so data can never forge a recorded value. */
function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(MARKERS, '\uFFFD');
  if (typeof value !== 'object' || value === null) return typeof value === 'function' ? undefined : value;
  if (depth >= MAX_SCOPE_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '__proto__') continue;
    out[key.replace(MARKERS, '\uFFFD')] = sanitize(v, depth + 1);
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Parsed = ReturnType<Liquid['parse']>;

/**
 * Parses every template in `sources` (name -> Liquid source) at once, e.g. when an instance is saved, and returns
 * every problem, each naming its template. An empty source is allowed and renders empty.
 */
export function compileTemplates(
  sources: Readonly<Record<string, string>>,
  options: TemplateOptions = {},
): Result<TemplateSet, TemplateProblem[]> {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...options.limits };
  // Values recorded by the current render. Rendering is synchronous, so renders never interleave.
  let recorded: string[] | undefined;
  const liquid = new Liquid({
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: options.strictVariables ?? false,
    // With strict variables, `{% if finding.url %}` and `| default:` still work on a missing field.
    lenientIf: true,
    // Dates print in UTC whatever the server's zone, so the same finding renders the same everywhere.
    timezoneOffset: 0,
    parseLimit: limits.sourceLength,
    renderLimit: limits.renderTimeMs,
    memoryLimit: limits.memory,
    outputEscape: (value: unknown): string => {
      if (recorded === undefined) throw new Error('template output outside a render');
      recorded.push(stringify(value));
      return `${OPEN}${recorded.length - 1}${CLOSE}`;
    },
  });
  for (const name of Object.keys(liquid.tags)) if (!ALLOWED_TAGS.has(name)) delete liquid.tags[name];
  liquid.unregisterFilter('raw');

  const parsed = new Map<string, Parsed>();
  const problems: TemplateProblem[] = [];
  for (const [name, source] of Object.entries(sources)) {
    if (source.length > limits.sourceLength) {
      problems.push({ template: name, message: `must be at most ${limits.sourceLength} characters` });
      continue;
    }
    try {
      parsed.set(name, liquid.parse(source.replace(MARKERS, '\uFFFD')));
    } catch (e) {
      problems.push({ template: name, message: messageOf(e) });
    }
  }
  if (problems.length > 0) return err(problems);

  const render = (name: string, scope: TemplateScope): Result<MarkedText, TemplateProblem> => {
    const template = parsed.get(name);
    if (template === undefined) throw new Error(`no template named ${name}`);
    const values: string[] = [];
    recorded = values;
    let output: string;
    try {
      output = String(liquid.renderSync(template, sanitize(scope) as object));
    } catch (e) {
      return err({ template: name, message: messageOf(e) });
    } finally {
      recorded = undefined;
    }
    const marked = toMarked(output, values);
    if (plainText(marked).length > limits.outputLength)
      return err({ template: name, message: `renders more than ${limits.outputLength} characters` });
    return ok(marked);
  };

  return ok({
    names: [...parsed.keys()],
    has: (name) => parsed.has(name),
    render,
    renderText: (name, scope) => {
      const marked = render(name, scope);
      return marked.ok ? ok(plainText(marked.value)) : marked;
    },
  });
}

/**
 * Splits Liquid's output into template and value segments. A value can itself hold recorded values (text built
 * by `capture` and printed again), which are expanded as text: whatever passed through `{{ … }}` stays a value.
 */
function toMarked(output: string, values: readonly string[]): MarkedText {
  const expanded: string[] = [];
  for (let i = 0; i < values.length; i++) {
    // A value only ever contains values recorded before it.
    expanded.push(
      (values[i] ?? '').replace(TOKEN, (_, n: string) => (Number(n) < i ? (expanded[Number(n)] ?? '') : '')),
    );
  }
  const segments: MarkedSegment[] = [];
  const push = (kind: MarkedSegment['kind'], text: string): void => {
    if (text === '') return;
    const last = segments[segments.length - 1];
    if (last !== undefined && last.kind === kind) segments[segments.length - 1] = { kind, text: last.text + text };
    else segments.push({ kind, text });
  };
  let at = 0;
  for (const match of output.matchAll(TOKEN)) {
    push('template', output.slice(at, match.index));
    push('value', (expanded[Number(match[1])] ?? '').replace(MARKERS, '\uFFFD'));
    at = match.index + match[0].length;
  }
  push('template', output.slice(at));
  return segments;
}
