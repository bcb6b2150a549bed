import type { Config } from '../config.ts';
import type { Hub } from '../hub.ts';
import type { CliDeps, CliIo, ExitCode } from './cli-io.ts';
import type { Output } from './output.ts';
import type { FlagSpecs, ParsedArgs } from './parse-args.ts';

/**
 * One `skybridge …` command. Each lives in its own file and is thin: check the flags, call one service method,
 * render the Result. The dispatcher (`run-cli.ts`) has already parsed the flags against `flags` plus the global
 * ones, handled `--help`, and checked the number of positionals.
 */
export interface Command {
  /** The words that select it: `['connections', 'add']`. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** The positional arguments, in order, as shown in usage (`<kind>`, `<name|id>`). All are required. */
  positionals: readonly string[];
  /** The usage line after `skybridge <path> <positionals>`, e.g. `--name N [--url U]`. */
  usage: string;
  /** Extra help text: examples, notes. */
  details?: string;
  flags: FlagSpecs;
  run(ctx: CommandContext, args: ParsedArgs): Promise<ExitCode>;
}

export interface CommandContext {
  io: CliIo;
  deps: CliDeps;
  out: Output;
  /** Who the audit log names: `cli:<os user>`. */
  actor: string;
  /** `skybridge connections add`: for messages that point at `--help`. */
  commandLine: string;
  /**
   * Loads the configuration (`--data-dir` and `overrides` over the environment), creates the hub, runs `fn`,
   * and closes the hub whatever happens. Configuration and start-up problems are reported here.
   */
  withHub(fn: (hub: Hub) => Promise<ExitCode>, overrides?: Partial<Config>): Promise<ExitCode>;
}

/** `--json` for every command that supports it. */
export const JSON_FLAG: FlagSpecs = { json: { type: 'boolean', help: 'print machine-readable JSON to stdout' } };
