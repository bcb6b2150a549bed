import { userInfo } from 'node:os';
import { loadConfig } from '../config.ts';
import { EXIT, type CliDeps, type CliIo, type ExitCode } from './cli-io.ts';
import type { Command, CommandContext } from './command.ts';
import { COMMANDS, GROUPS } from './commands.ts';
import { GLOBAL_FLAGS } from './global-flags.ts';
import { commandHelp, groupHelp, topHelp } from './help.ts';
import { createOutput, describeUnexpected, type Output } from './output.ts';
import { flagBool, flagString, parseArgs } from './parse-args.ts';

/**
 * The `skybridge` command line: `skybridge <command> [<subcommand>] [args] [options]`. Global options may come
 * before the command (`skybridge --data-dir D connections list`) or after it. Every command but `serve` opens the
 * local data directory itself, so no server needs to run.
 *
 * `runCli` takes its I/O and collaborators as arguments, so tests run it in-process with fakes.
 */

/** Command words are shown back only when they look like words: a pasted token must not be echoed. */
function showWord(word: string): string {
  return /^[a-z][a-z0-9-]{0,30}$/.test(word) ? `'${word}'` : '(not shown)';
}

function defaultUsername(env: CliIo['env']): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    return env.USER ?? env.LOGNAME ?? env.USERNAME ?? 'unknown';
  }
}

function defaultDeps(io: CliIo): CliDeps {
  return {
    // Imported lazily: `--help` and usage errors need neither the database drivers nor the HTTP stack.
    createHub: async (config) => {
      const { createHub } = await import('../hub.ts');
      return createHub(config);
    },
    startHttpServer: async (hub, listen) => {
      const [{ createHttpApp }, { serveHttp }] = await Promise.all([
        import('../http/create-http-app.ts'),
        import('../http/serve.ts'),
      ]);
      return serveHttp(createHttpApp(hub), listen);
    },
    username: () => defaultUsername(io.env),
    waitForShutdown: () =>
      new Promise<string>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(signal);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      }),
  };
}

/** Splits `argv` into the command words and the rest, skipping global options (and their values) before them. */
function splitCommandWords(argv: readonly string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let i = 0;
  while (i < argv.length && words.length < 2) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('-')) {
      rest.push(arg);
      const name = arg.slice(2);
      if (GLOBAL_FLAGS[name]?.type === 'string' && i + 1 < argv.length) rest.push(argv[++i] ?? '');
      i++;
      continue;
    }
    // A group takes a second word; a plain command does not.
    if (words.length === 1 && !(words[0] !== undefined && words[0] in GROUPS)) break;
    words.push(arg);
    i++;
  }
  return { words, rest: [...rest, ...argv.slice(i)] };
}

function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h') || args.includes('--help=true');
}

/** Runs one command line and returns its exit code (0 ok, 1 failed, 2 bad usage). Never throws. */
export async function runCli(io: CliIo, deps: Partial<CliDeps> = {}): Promise<ExitCode> {
  const allDeps: CliDeps = { ...defaultDeps(io), ...deps };
  const { words, rest } = splitCommandWords(io.argv);
  const helpAsked = wantsHelp(rest);
  const say = (stream: 'stdout' | 'stderr', text: string) => io[stream].write(`${text}\n`);

  const [first, second] = words;
  if (first === 'help') {
    // `skybridge help connections add` is `skybridge connections add --help`.
    return runCli({ ...io, argv: [...io.argv.filter((a) => a !== 'help'), '--help'] }, deps);
  }
  if (first === undefined) {
    say(helpAsked ? 'stdout' : 'stderr', topHelp());
    return helpAsked ? EXIT.ok : EXIT.usage;
  }
  let command: Command | undefined;
  if (first in GROUPS) {
    if (second === undefined) {
      if (helpAsked) {
        say('stdout', groupHelp(first));
        return EXIT.ok;
      }
      say('stderr', `error: 'skybridge ${first}' needs a command\n\n${groupHelp(first)}`);
      return EXIT.usage;
    }
    command = COMMANDS.find((c) => c.path[0] === first && c.path[1] === second);
    if (!command) {
      say('stderr', `error: unknown command ${showWord(second)} for 'skybridge ${first}'\n\n${groupHelp(first)}`);
      return EXIT.usage;
    }
  } else {
    command = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === first);
    if (!command) {
      say('stderr', `error: unknown command ${showWord(first)}. Run 'skybridge --help' for the list.`);
      return EXIT.usage;
    }
  }
  const commandLine = command.path.join(' ');
  if (helpAsked) {
    say('stdout', commandHelp(command));
    return EXIT.ok;
  }

  // Known before parsing so that even a usage error comes out as JSON when JSON was asked for.
  const json = 'json' in command.flags && (rest.includes('--json') || rest.includes('--json=true'));
  const out = createOutput(io, json);
  const parsed = parseArgs(rest, { ...GLOBAL_FLAGS, ...command.flags });
  if (!parsed.ok) return out.usage(parsed.problems, commandLine);
  const args = parsed.args;
  const expected = command.positionals;
  const missing = expected.slice(args.positionals.length);
  if (missing.length > 0)
    return out.usage(
      missing.map((p) => `${p}: required`),
      commandLine,
    );
  if (args.positionals.length > expected.length)
    // Not echoed: an extra argument is as likely to be a pasted token as a typo.
    return out.usage(
      [`too many arguments: expected ${expected.length === 0 ? 'none' : expected.join(' ')}`],
      commandLine,
    );
  if (flagBool(args, 'help')) {
    say('stdout', commandHelp(command));
    return EXIT.ok;
  }

  const ctx: CommandContext = {
    io,
    deps: allDeps,
    out,
    actor: `cli:${allDeps.username()}`,
    commandLine,
    withHub: (fn, overrides = {}) => withHub(io, allDeps, out, flagString(args, 'data-dir'), fn, overrides),
  };
  try {
    return await command.run(ctx, args);
  } catch (e) {
    return out.fail({ code: 'internal', message: describeUnexpected(e) }, EXIT.failed);
  }
}

async function withHub(
  io: CliIo,
  deps: CliDeps,
  out: Output,
  dataDir: string | undefined,
  fn: Parameters<CommandContext['withHub']>[0],
  overrides: NonNullable<Parameters<CommandContext['withHub']>[1]>,
): Promise<ExitCode> {
  const loaded = loadConfig(io.env, { ...overrides, ...(dataDir === undefined ? {} : { dataDir }) });
  if (!loaded.ok) {
    return out.fail(
      {
        code: 'config',
        message: `invalid configuration: ${loaded.problems.join('; ')}`,
        fields: loaded.problems.map((p) => {
          const at = p.indexOf(': ');
          return at < 0 ? { field: 'environment', message: p } : { field: p.slice(0, at), message: p.slice(at + 2) };
        }),
      },
      EXIT.usage,
    );
  }
  const created = await deps.createHub(loaded.config);
  if (!created.ok) {
    return out.fail(
      {
        code: 'hub_unavailable',
        message: `Skybridge could not start: ${created.error.join('; ')}`,
      },
      EXIT.failed,
    );
  }
  const hub = created.value;
  try {
    if (hub.firstStart.keyFileCreated) {
      const where = hub.firstStart.keyFile ?? 'the data directory';
      out.notice('!!! ----------------------------------------------------------------------------');
      out.notice(`!!! WARNING: created a new master key file: ${where}`);
      out.notice('!!! Back it up NOW and keep it apart from database backups. Without it, every');
      out.notice('!!! stored credential is unreadable; with it, anyone holding the database can read them.');
      out.notice('!!! ----------------------------------------------------------------------------');
    }
    return await fn(hub);
  } finally {
    await hub.close();
  }
}
