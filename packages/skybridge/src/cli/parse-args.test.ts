import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpecs } from './parse-args.ts';

const specs: FlagSpecs = {
  name: { type: 'string', help: 'name' },
  json: { type: 'boolean', help: 'json' },
  map: { type: 'list', help: 'mapping' },
  token: {
    type: 'string',
    help: '',
    forbidden: 'secrets are never taken from the command line; use --token-stdin or --token-file',
  },
};

describe('parseArgs', () => {
  it('parses positionals, strings, booleans and repeated lists', () => {
    const r = parseArgs(['add', 'jira-cloud', '--name', 'Acme', '--json', '--map', 'a=1', '--map=b=2'], specs);
    expect(r).toEqual({
      ok: true,
      args: { positionals: ['add', 'jira-cloud'], flags: { name: 'Acme', json: true, map: ['a=1', 'b=2'] } },
    });
  });

  it('reports unknown flags and missing values together', () => {
    const r = parseArgs(['--nmae', 'x', '--name'], specs);
    expect(r).toEqual({ ok: false, problems: ['--nmae: unknown option', '--name: needs a value'] });
  });

  it('refuses a secret on argv without echoing it', () => {
    const r = parseArgs(['--token', 'ATATT-super-secret'], specs);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatch(/never taken from the command line/);
    expect(JSON.stringify(r)).not.toContain('super-secret');
  });
});
