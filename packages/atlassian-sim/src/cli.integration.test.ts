import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  // A run that is expected to fail never prints a first line; nobody awaits it then.
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, firstLine, exited, stderr: () => stderr };
}

describe('atlassian-sim command line', () => {
  it('prints one JSON line describing every site and serves on 127.0.0.1', async () => {
    const sim = run(['--preset', 'small', '--port', '0', '--json']);
    try {
      const info = JSON.parse(await sim.firstLine) as {
        url: string;
        control: string;
        orgs: Array<Record<string, string>>;
        sites: Array<{
          name: string;
          product: string;
          deployment: string;
          baseUrl: string;
          credentials: Record<string, string>;
        }>;
      };
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.control).toBe(`${info.url}/_sim`);
      expect(Object.keys(info.orgs[0] ?? {}).sort()).toEqual([
        'adminBaseUrl',
        'apiKey',
        'apiToken',
        'email',
        'id',
        'name',
        'teamsBaseUrl',
      ]);
      expect(info.sites.map((s) => `${s.deployment}/${s.product}`).sort()).toEqual([
        'cloud/confluence',
        'cloud/jira',
        'dc/confluence',
        'dc/jira',
      ]);
      const jira = info.sites.find((s) => s.deployment === 'cloud' && s.product === 'jira');
      const auth = `Basic ${Buffer.from(`${jira?.credentials['email']}:${jira?.credentials['apiToken']}`).toString('base64')}`;
      const myself = await fetch(`${jira?.baseUrl}/rest/api/3/myself`, { headers: { authorization: auth } });
      expect(myself.status).toBe(200);
      const stats = (await (await fetch(`${info.control}/stats`)).json()) as { orgs: Array<{ users: number }> };
      expect(stats.orgs[0]?.users).toBe(60);
    } finally {
      sim.child.kill('SIGTERM');
      await sim.exited;
    }
  });

  it('refuses bad flags naming each one, with exit code 2', async () => {
    const sim = run(['--preset', 'huge', '--fault-rate', '7']);
    const code = await sim.exited;
    expect(code).toBe(2);
    expect(sim.stderr()).toMatch(/--preset/);
    expect(sim.stderr()).toMatch(/--fault-rate/);
  });
});
