import { PRESET_NAMES, type PresetName } from './world/presets.ts';

export const HELP = `atlassian-sim: a local Atlassian (Jira, Confluence, Admin and Teams APIs; Cloud and Data Center)

Usage: atlassian-sim [options]

  --preset small|medium|large   world size (default small)
  --scenario FILE               a JSON scenario file describing a custom world
  --seed N                      seed for the world, credentials and faults (default 1)
  --port N                      port on 127.0.0.1; 0 picks a free one (default 4010)
  --host H                      address to listen on (default 127.0.0.1)
  --latency-ms N                fixed latency added to every request (default 0)
  --jitter-ms N                 random extra latency up to N ms (default 0)
  --rate-limit N|off            cloud burst limit per second for GET/POST (default 100; off disables all limits)
  --fault-rate P                probability 0..1 of a 5xx, 503, reset or slow body (default 0)
  --json                        print one JSON line describing the sites and credentials, then serve
  --help                        this text

Control API: <url>/_sim (stats, tokens, scenario, requests, issues, reset). See the package README.`;

export interface CliOptions {
  preset: PresetName;
  scenarioPath?: string;
  seed: number;
  port: number;
  host: string;
  latencyMs: number;
  jitterMs: number;
  rateLimit: number | 'off';
  faultRate: number;
  json: boolean;
  help: boolean;
}

/** Parses argv; returns every problem at once, each naming its flag. */
export function parseCliArgs(argv: string[]): { ok: true; options: CliOptions } | { ok: false; problems: string[] } {
  const options: CliOptions = {
    preset: 'small',
    seed: 1,
    port: 4010,
    host: '127.0.0.1',
    latencyMs: 0,
    jitterMs: 0,
    rateLimit: 100,
    faultRate: 0,
    json: false,
    help: false,
  };
  const problems: string[] = [];
  const number = (
    flag: string,
    raw: string | undefined,
    min: number,
    max: number,
    integer = true,
  ): number | undefined => {
    const v = raw === undefined ? Number.NaN : Number(raw);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      problems.push(
        `${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${raw === undefined ? 'nothing' : `'${raw}'`}`,
      );
      return undefined;
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--preset': {
        const v = value();
        if ((PRESET_NAMES as readonly string[]).includes(v ?? '')) options.preset = v as PresetName;
        else problems.push(`--preset: expected one of ${PRESET_NAMES.join(', ')}, got '${v ?? ''}'`);
        break;
      }
      case '--scenario': {
        const v = value();
        if (v) options.scenarioPath = v;
        else problems.push('--scenario: expected a file path');
        break;
      }
      case '--host': {
        const v = value();
        if (v) options.host = v;
        else problems.push('--host: expected an address');
        break;
      }
      case '--seed':
        options.seed = number('--seed', value(), 0, 2 ** 32 - 1) ?? options.seed;
        break;
      case '--port':
        options.port = number('--port', value(), 0, 65535) ?? options.port;
        break;
      case '--latency-ms':
        options.latencyMs = number('--latency-ms', value(), 0, 60_000) ?? options.latencyMs;
        break;
      case '--jitter-ms':
        options.jitterMs = number('--jitter-ms', value(), 0, 60_000) ?? options.jitterMs;
        break;
      case '--fault-rate':
        options.faultRate = number('--fault-rate', value(), 0, 1, false) ?? options.faultRate;
        break;
      case '--rate-limit': {
        const v = value();
        if (v === 'off') options.rateLimit = 'off';
        else options.rateLimit = number('--rate-limit', v, 1, 100_000) ?? options.rateLimit;
        break;
      }
      default:
        problems.push(`${flag}: unknown option (see --help)`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}
