import { createSimulator } from './src/simulator.ts';
const sim = createSimulator({ preset: 'large', rateLimits: { enabled: false } });
globalThis.gc?.();
console.log('rss after create', Math.round(process.memoryUsage().rss / 1e6));
const o = sim.describe().orgs[0]!;
const headers = { authorization: 'Basic ' + btoa(o.email + ':' + o.apiToken) };
const url = 'http://sim.local/s/acme/rest/api/3/users/search?maxResults=100';
await (await sim.fetch(url, { headers })).text();
globalThis.gc?.();
console.log('rss after first call', Math.round(process.memoryUsage().rss / 1e6));
for (const startAt of [0, 0, 0]) {
  const n = 3000; const t0 = performance.now();
  for (let i = 0; i < n; i++) await (await sim.fetch(url + '&startAt=' + startAt, { headers })).text();
  console.log('same page req/s', Math.round(n / ((performance.now() - t0) / 1000)));
}
const t0 = performance.now();
await (await sim.fetch('http://sim.local/s/acme/rest/api/3/serverInfo', { headers })).text();
const n = 3000; const t1 = performance.now();
for (let i = 0; i < n; i++) await (await sim.fetch('http://sim.local/s/acme/rest/api/3/serverInfo', { headers })).text();
console.log('serverInfo req/s', Math.round(n / ((performance.now() - t1) / 1000)), t1 - t0);
globalThis.gc?.();
console.log('heapUsed end', Math.round(process.memoryUsage().heapUsed / 1e6), 'rss', Math.round(process.memoryUsage().rss / 1e6));
