/**
 * The lower bound of a sync's wall time, from what the simulator allowed in the same run.
 *
 * Rate: every rate-limit scope is a token bucket (capacity, refill per second). A run that sent `n` successful
 * requests in one scope, starting with a full bucket, needs at least `(n - capacity) / rate` seconds: the burst
 * is free, everything after it comes at the refill rate. The run's rate bound is the largest over its scopes.
 * 429 answers are left out: they are waste, not requests the sync needed.
 *
 * Latency: a cursor-paginated list can only be read one page after another (each page names the next), so its
 * pages form a chain of round trips of at least the simulator's fixed latency each. The longest chain is the
 * latency bound. Offset lists with a total and per-parent lists (members of each group, permissions of each
 * space) can be read concurrently and make no chain.
 *
 * The scopes mirror the simulator's: cloud burst limits per credential x endpoint x method, the Admin and Teams
 * APIs per key and path, Data Center one bucket per user. A bench run uses one credential per connection, so a
 * scope is the site plus (on cloud) the method and route.
 */

/** `GET /_sim/scenario`: the limits and latency the simulator runs with. */
export interface SimScenario {
  faults: { latencyMs: number };
  rateLimits: {
    enabled: boolean;
    cloudRps: number;
    adminRps: number;
    dcMax: number;
    dcFillRate: number;
    dcIntervalSeconds: number;
  };
}

/** `GET /_sim/requests`: counts by `METHOD route-shape` and status. */
export interface SimRequests {
  total: number;
  byRoute: Record<string, Record<string, number>>;
}

export interface ScopeLoad {
  scope: string;
  requests: number;
  capacity: number;
  perSecond: number;
  /** Seconds this scope alone needs, after its burst. */
  seconds: number;
}

export interface ChainLoad {
  chain: string;
  pages: number;
  /** pages x latency, in seconds. */
  seconds: number;
}

export interface RunBound {
  requests: number;
  rateLimited: number;
  rate: ScopeLoad | undefined;
  chain: ChainLoad | undefined;
  /** max(rate bound, latency bound), in seconds. */
  seconds: number;
  binding: 'rate' | 'latency';
}

/** What a bench run sent: `after - before` per route and status. */
export function requestsBetween(before: SimRequests, after: SimRequests): SimRequests {
  const byRoute: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const [route, statuses] of Object.entries(after.byRoute)) {
    for (const [status, count] of Object.entries(statuses)) {
      const n = count - (before.byRoute[route]?.[status] ?? 0);
      if (n <= 0) continue;
      (byRoute[route] ??= {})[status] = n;
      total += n;
    }
  }
  return { total, byRoute };
}

type Family = 'cloud' | 'admin' | 'dc';

/** The family and the rate-limit scope of a simulator route (`METHOD /path`). */
export function scopeOf(route: string): { family: Family; scope: string; method: string } {
  const [method = 'GET', path = ''] = route.split(' ');
  const dc = /^\/dc\/[^/]+\/(jira|confluence)/.exec(path);
  // Data Center: one bucket per user, whatever the endpoint.
  if (dc) return { family: 'dc', scope: dc[0], method };
  if (path.startsWith('/admin/') || path.startsWith('/public/teams/') || path.includes('/gateway/api/public/teams/'))
    return { family: 'admin', scope: route, method };
  return { family: 'cloud', scope: route, method };
}

function bucketOf(
  family: Family,
  method: string,
  limits: SimScenario['rateLimits'],
): { capacity: number; perSecond: number } {
  switch (family) {
    case 'dc':
      return { capacity: limits.dcMax, perSecond: limits.dcFillRate / limits.dcIntervalSeconds };
    case 'admin':
      return { capacity: limits.adminRps, perSecond: limits.adminRps };
    case 'cloud': {
      const rps =
        method === 'PUT' || method === 'DELETE' ? Math.max(1, Math.floor(limits.cloudRps / 2)) : limits.cloudRps;
      return { capacity: rps, perSecond: rps };
    }
  }
}

/**
 * Lists read strictly one page after another: each page carries the cursor of the next. Per-parent cursor lists
 * (a team's members, a space's permissions) are left out: different parents are read concurrently and each has
 * few pages. Jira's `users/search` is a bare array: offsets, but no total, so its end is only known from a short
 * page.
 */
const CHAINS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'admin users/search', pattern: /^POST \/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/users\/search$/ },
  { name: 'admin groups/search', pattern: /^POST \/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/groups\/search$/ },
  { name: 'admin v1 org users', pattern: /^GET \/admin\/v1\/orgs\/[^/]+\/users$/ },
  { name: 'admin workspaces', pattern: /^(GET|POST) \/admin\/v2\/orgs\/[^/]+\/workspaces$/ },
  { name: 'teams list', pattern: /^GET \/public\/teams\/v1\/org\/[^/]+\/teams$/ },
  { name: 'confluence v2 spaces', pattern: /^GET \/s\/[^/]+\/wiki\/api\/v2\/spaces$/ },
  { name: 'jira users/search', pattern: /^GET \/s\/[^/]+\/rest\/api\/3\/users\/search$/ },
  { name: 'jira-dc user/search', pattern: /^GET \/dc\/[^/]+\/jira\/rest\/api\/2\/user\/search$/ },
];

/**
 * The bound of one run. A list walked twice in one run (by two streams) counts as two chains, not one longer
 * one: the walks run concurrently.
 */
export function boundOf(sent: SimRequests, scenario: SimScenario): RunBound {
  const scopes = new Map<string, ScopeLoad>();
  let requests = 0;
  let rateLimited = 0;
  let chain: ChainLoad | undefined;
  const latencySeconds = scenario.faults.latencyMs / 1000;
  for (const [route, statuses] of Object.entries(sent.byRoute)) {
    const ok = Object.entries(statuses)
      .filter(([status]) => status !== '429')
      .reduce((sum, [, n]) => sum + n, 0);
    rateLimited += statuses['429'] ?? 0;
    requests += ok;
    const { family, scope, method } = scopeOf(route);
    const { capacity, perSecond } = bucketOf(family, method, scenario.rateLimits);
    const load = scopes.get(scope) ?? { scope, requests: 0, capacity, perSecond, seconds: 0 };
    load.requests += ok;
    load.seconds = scenario.rateLimits.enabled ? Math.max(0, load.requests - capacity) / perSecond : 0;
    scopes.set(scope, load);
    const named = CHAINS.find((c) => c.pattern.test(route));
    if (named) {
      const seconds = ok * latencySeconds;
      if (!chain || seconds > chain.seconds) chain = { chain: `${named.name} (${route})`, pages: ok, seconds };
    }
  }
  const rate = [...scopes.values()].sort((a, b) => b.seconds - a.seconds)[0];
  const rateSeconds = rate?.seconds ?? 0;
  const chainSeconds = chain?.seconds ?? 0;
  return {
    requests,
    rateLimited,
    rate,
    chain,
    seconds: Math.max(rateSeconds, chainSeconds),
    binding: chainSeconds > rateSeconds ? 'latency' : 'rate',
  };
}
