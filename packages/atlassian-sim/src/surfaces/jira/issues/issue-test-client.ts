// Test-only helpers for driving the issue routes in-process (imported by *.test.ts files only).
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../simulator.ts';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface IssueTestClient {
  sim: Simulator;
  /** Basic credentials of the org admin (a site admin). */
  admin: string;
  /** Calls `/s/acme{path}` (or any absolute simulator path starting with `/dc/` or `/_sim`). */
  call(method: string, path: string, options?: { body?: unknown; auth?: string | null }): Promise<Reply>;
  /** A Basic header for another account of the org, issued through the control API. */
  tokenFor(email: string): Promise<string>;
  /** The Bearer header of the first Jira DC instance's admin PAT. */
  dcAdmin: string;
}

export function basic(email: string, token: string): string {
  return `Basic ${btoa(`${email}:${token}`)}`;
}

export function createIssueTestClient(options: SimulatorOptions = {}): IssueTestClient {
  const sim = createSimulator(options);
  const described = sim.describe();
  const org = described.orgs[0];
  if (!org) throw new Error('no org');
  const admin = basic(org.email, org.apiToken);
  const dcSite = described.sites.find((s) => s.name === 'jira-dc-1');
  const dcAdmin = dcSite && 'pat' in dcSite.credentials ? `Bearer ${dcSite.credentials.pat}` : '';
  const call = async (
    method: string,
    path: string,
    opts: { body?: unknown; auth?: string | null } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = opts.auth === undefined ? admin : opts.auth;
    if (auth !== null) headers['authorization'] = auth;
    const url =
      path.startsWith('/dc/') || path.startsWith('/_sim')
        ? `http://sim.local${path}`
        : `http://sim.local/s/acme${path}`;
    const init: RequestInit = { method, headers };
    if (opts.body !== undefined) init.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const res = await sim.fetch(url, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    sim,
    admin,
    dcAdmin,
    call,
    tokenFor: async (email) => {
      const issued = await call('POST', '/_sim/tokens', { body: { user: email }, auth: null });
      const token = (issued.body as { token: string }).token;
      return basic(email, token);
    },
  };
}

export const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

export function get(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>(
    (at, key) => (typeof at === 'object' && at !== null ? (at as Record<string | number, unknown>)[key] : undefined),
    value,
  );
}
