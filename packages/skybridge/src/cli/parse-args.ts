/**
 * A small, strict argv parser: declared flags only, every problem reported at once and named. Commands declare
 * their flags; nothing else is accepted, so a typo never silently changes what a command does.
 */
export interface FlagSpec {
  type: 'string' | 'boolean' | 'list';
  /** One-line description for `--help`. */
  help: string;
  /** Flags that must never appear (secrets): the message says what to use instead. */
  forbidden?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export type ParseResult = { ok: true; args: ParsedArgs } | { ok: false; problems: string[] };

export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParseResult {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean | string[]> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const spec = specs[name];
    if (!spec) {
      problems.push(`--${name}: unknown option`);
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) i++;
      continue;
    }
    if (spec.forbidden) {
      // Never echo the value: it is a secret typed where it must not be.
      problems.push(`--${name}: ${spec.forbidden}`);
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) i++;
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') problems.push(`--${name}: takes no value`);
      flags[name] = inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      problems.push(`--${name}: needs a value`);
      if (value?.startsWith('--')) i--;
      continue;
    }
    if (spec.type === 'list') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else flags[name] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, args: { positionals, flags } };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function flagList(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : [];
}

/** One line per flag (forbidden ones are left out), help text aligned at column 28 or after the longest flag. */
export function formatFlagHelp(specs: FlagSpecs): string {
  const shown = Object.entries(specs)
    .filter(([, s]) => !s.forbidden)
    .map(([name, s]) => [`  --${name}${s.type === 'boolean' ? '' : ' <value>'}`, s.help] as const);
  const width = Math.max(28, ...shown.map(([flag]) => flag.length + 2));
  return shown.map(([flag, help]) => flag.padEnd(width) + help).join('\n');
}
