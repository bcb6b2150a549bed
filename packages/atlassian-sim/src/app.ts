import { Hono, type Context, type Next } from 'hono';
import type { SimState } from './state.ts';
import { decideFault, slowRequests } from './behaviour/faults.ts';
import { cloudConfluencePath, cloudJiraPath, dcPath } from './site-directory.ts';
import { createJiraCloudApp } from './surfaces/jira/cloud-app.ts';
import { createJiraDcApp } from './surfaces/jira/dc-app.ts';
import { createConfluenceCloudApp } from './surfaces/confluence/cloud-app.ts';
import { createConfluenceDcApp } from './surfaces/confluence/dc-app.ts';
import { createAdminApp } from './surfaces/admin/admin-app.ts';
import { createTeamsApp } from './surfaces/teams/teams-app.ts';
import { createControlApp } from './control.ts';

/** Thrown (in-process) or turned into a socket reset (over TCP) to simulate a dropped connection. */
export class SimulatedResetError extends Error {
  override name = 'SimulatedResetError';
}

/** Request counts are grouped by route shape: any segment with a digit becomes `{id}`. */
export function routeShape(pathname: string): string {
  return (
    pathname
      .split('/')
      // Version segments (`3`, `v2`, `1.0`) are part of the route; anything else with a digit is an id or key.
      .map((s) => (/\d/.test(s) && !/^(v?\d{1,2}|\d+\.\d+)$/.test(s) ? '{id}' : s))
      .join('/')
  );
}

const shapes = new Map<string, string>();

function countRequest(state: SimState, method: string, pathname: string, status: number): void {
  let shape = shapes.get(pathname);
  if (shape === undefined) {
    shape = routeShape(pathname);
    // Bounded: paths with ids are unbounded in number, their shapes are not.
    if (shapes.size < 10_000) shapes.set(pathname, shape);
  }
  const key = `${method} ${shape} ${status}`;
  state.requestCounts.set(key, (state.requestCounts.get(key) ?? 0) + 1);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Re-streams a body slowly, in a few chunks spread over `totalMs`. */
function slowBody(res: Response, totalMs: number): Response {
  const source = res.body;
  if (!source) return res;
  const chunks = 4;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const bytes = new Uint8Array(await new Response(source).arrayBuffer());
      const size = Math.ceil(bytes.length / chunks) || 1;
      for (let i = 0; i < bytes.length; i += size) {
        await delay(totalMs / chunks);
        controller.enqueue(bytes.subarray(i, i + size));
      }
      controller.close();
    },
  });
  return new Response(stream, { status: res.status, headers: res.headers });
}

/**
 * Latency is the time from a request's arrival to its answer leaving, as on a real server, whose work happens on
 * its own machines: the answer is computed when the request arrives and held back for what remains of the delay.
 * Computing it after the delay would add the simulator's own work to every request on top of the configured
 * latency, and on its one thread one request's work would hold back another's answer: a client would be timed
 * against the simulator's speed as much as the network's.
 */
function faultMiddleware(state: SimState) {
  return async (c: Context, next: Next): Promise<Response | void> => {
    const arrived = performance.now();
    const { delayMs, fault } = decideFault(state.random, state.faults);
    const waitOutLatency = async () => {
      const left = delayMs - (performance.now() - arrived);
      if (left > 0) await delay(left);
    };
    const url = { pathname: c.req.path };
    if (fault !== undefined && fault !== 'slow') await waitOutLatency();
    if (fault === '500' || fault === '502') {
      const status = Number(fault);
      countRequest(state, c.req.method, url.pathname, status);
      return fault === '500'
        ? c.json({ errorMessages: ['Internal server error'], errors: {} }, 500)
        : c.html('<html><body><h1>502 Bad Gateway</h1></body></html>', 502);
    }
    if (fault === '503') {
      countRequest(state, c.req.method, url.pathname, 503);
      return c.json({ message: 'Service Unavailable' }, 503, { 'retry-after': String(1 + state.random.int(3)) });
    }
    if (fault === 'reset') {
      countRequest(state, c.req.method, url.pathname, 0);
      const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
      if (incoming?.socket) {
        incoming.socket.destroy();
        return new Response(null, { status: 500 });
      }
      throw new SimulatedResetError('connection reset by the simulator');
    }
    if (fault === 'slow') slowRequests.add(c.req.raw);
    await next();
    await waitOutLatency();
    countRequest(state, c.req.method, url.pathname, c.res.status);
    if (fault === 'slow') c.res = slowBody(c.res, state.faults.slowBodyMs);
  };
}

/** The whole simulator as one Hono app: `app.fetch` serves in-process tests, the CLI serves it over HTTP. */
export function createApp(state: SimState): Hono {
  const app = new Hono();
  app.route('/_sim', createControlApp(state));

  const surfaces = new Hono();
  surfaces.use('*', faultMiddleware(state));
  for (const [i, site] of state.world.cloudSites.entries()) {
    const jira = createJiraCloudApp(state, i);
    const confluence = createConfluenceCloudApp(state, i);
    surfaces.route(cloudConfluencePath(site.host), confluence);
    surfaces.route(`/ex/confluence/${site.cloudId}/wiki`, confluence);
    surfaces.route(
      `${cloudJiraPath(site.host)}/gateway/api/public/teams`,
      createTeamsApp(state, { kind: 'site', siteIdx: i }),
    );
    surfaces.route(cloudJiraPath(site.host), jira);
    surfaces.route(`/ex/jira/${site.cloudId}`, jira);
  }
  surfaces.route('/admin', createAdminApp(state));
  surfaces.route('/public/teams', createTeamsApp(state, { kind: 'api' }));
  for (const [i, instance] of state.world.dcInstances.entries()) {
    const sub = instance.product === 'jira' ? createJiraDcApp(state, i) : createConfluenceDcApp(state, i);
    surfaces.route(dcPath(instance.name, instance.contextPath), sub);
  }
  app.route('/', surfaces);

  // Unknown routes: Atlassian's edge answers 404; a JSON ErrorCollection is what Jira's own 404s look like.
  app.notFound((c) => {
    countRequest(state, c.req.method, new URL(c.req.url).pathname, 404);
    return c.json({ errorMessages: ['null for uri: ' + c.req.url], errors: {} }, 404);
  });
  app.onError((err) => {
    if (err instanceof SimulatedResetError) throw err;
    return new Response(JSON.stringify({ errorMessages: ['Internal server error'], errors: {} }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  });
  return app;
}
