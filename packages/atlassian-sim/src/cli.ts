#!/usr/bin/env -S node --max-semi-space-size=32 --max-old-space-size=512
// The V8 flags above keep the heap near what the world needs: by default V8 lets a busy process grow its young
// generation and old space far past the live data (RSS doubled under load with the `large` preset). 512 MB of old
// space holds the large world about four times over; for bigger scenario files run `node --max-old-space-size=N`.
import { readFile } from 'node:fs/promises';
import { HELP, parseCliArgs } from './cli-args.ts';
import { listenSimulator } from './simulator.ts';
import { validateScenarioFile, type ScenarioFile } from './world/scenario-file.ts';

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok) {
    for (const p of parsed.problems) process.stderr.write(`atlassian-sim: ${p}\n`);
    return 2;
  }
  const o = parsed.options;
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  let scenario: ScenarioFile | undefined;
  if (o.scenarioPath) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(o.scenarioPath, 'utf8'));
    } catch (err) {
      process.stderr.write(`atlassian-sim: --scenario: cannot read ${o.scenarioPath}: ${(err as Error).message}\n`);
      return 2;
    }
    const checked = validateScenarioFile(raw);
    if (!checked.ok) {
      for (const p of checked.problems) process.stderr.write(`atlassian-sim: ${o.scenarioPath}: ${p}\n`);
      return 2;
    }
    scenario = checked.scenario;
  }
  const sim = await listenSimulator({
    preset: o.preset,
    seed: o.seed,
    port: o.port,
    host: o.host,
    ...(scenario ? { scenario } : {}),
    rateLimits: o.rateLimit === 'off' ? { enabled: false } : { enabled: true, cloudRps: o.rateLimit },
    faults: { latencyMs: o.latencyMs, jitterMs: o.jitterMs, faultRate: o.faultRate },
  });
  if (o.json) process.stdout.write(`${JSON.stringify(sim.describe())}\n`);
  else {
    const d = sim.describe();
    process.stdout.write(`atlassian-sim listening on ${d.url} (preset ${o.preset}, seed ${o.seed})\n`);
    for (const s of d.sites) process.stdout.write(`  ${s.deployment.padEnd(5)} ${s.product.padEnd(10)} ${s.baseUrl}\n`);
    for (const org of d.orgs) process.stdout.write(`  org   ${org.name} ${org.id} admin API ${org.adminBaseUrl}\n`);
    process.stdout.write(`  control ${d.control}  (credentials: run with --json)\n`);
  }
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`atlassian-sim: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
