/**
 * The hub side of `bench/dataout.ts` and of `src/dataout/dataout-kill.e2e.test.ts`: one short-lived hub process per
 * command, on the data directory (and database) its environment names, so the driver can `kill -9` it mid-batch
 * and start it again, as an operator's service manager would.
 *
 * Usage: `dataout-worker.ts <command> <simulator --json line> [args]`, with `SKYBRIDGE_DATA_DIR` (and, for
 * PostgreSQL, `DATABASE_URL` and `SKYBRIDGE_DATABASE_SCHEMA`) in the environment. Every command prints one JSON
 * line on stdout:
 * - `setup <cloud|dc> <name>`: adds a Jira connection and an instance `<name>` on the first project that takes one
 *   (Bug, with the Severity mapping); prints `{ instanceId, project, site }`;
 * - `push <name> <findings.json> [batch]`: pushes the file's findings in batches (default 1 000); prints
 *   `{ accepted, jobIds, ms }`;
 * - `run <name>`: runs every unfinished ticket job of the instance until none is left; prints `{ ms, tickets }`
 *   (the instance's tickets by state). Before the first job it prints `{ event: 'running' }`.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../src/config.ts';
import { instanceTag } from '../src/dataout/dataout-jobs.ts';
import { createHub, type Hub } from '../src/hub.ts';
import type { SimulatorDescription } from '../../atlassian-sim/src/simulator.ts';

export interface SetupOutput {
  instanceId: string;
  project: string;
  site: string;
}
export interface PushOutput {
  accepted: number;
  jobIds: string[];
  ms: number;
}
export interface RunOutput {
  ms: number;
  tickets: Record<string, number>;
}

const [command, simLine, ...args] = process.argv.slice(2);
const sim = JSON.parse(simLine ?? '') as SimulatorDescription;
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function openHub(): Promise<Hub> {
  const loaded = loadConfig({
    ...process.env,
    SKYBRIDGE_ALLOWED_HOSTS: new URL(sim.url).host,
    SKYBRIDGE_LOG_LEVEL: process.env['SKYBRIDGE_LOG_LEVEL'] ?? 'error',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const created = await createHub(loaded.config);
  if (!created.ok) throw new Error(created.error.join('; '));
  return created.value;
}

async function setup(hub: Hub, deployment: string, name: string): Promise<SetupOutput> {
  const site = sim.sites.find((s) => s.product === 'jira' && s.deployment === deployment);
  const org = sim.orgs[0];
  if (site === undefined || org === undefined) throw new Error(`the simulator has no Jira ${deployment} site`);
  const added = await hub.connections.add(
    'bench',
    'pat' in site.credentials
      ? { kind: 'jira-dc', name: `jira-${deployment}`, url: site.baseUrl, secret: site.credentials.pat }
      : { kind: 'jira-cloud', name: `jira-${deployment}`, url: site.baseUrl, email: org.email, secret: org.apiToken },
  );
  if (!added.ok && added.error.code !== 'duplicate_name') throw new Error(added.error.message);
  // Projects from what the site holds; some are restricted to their role actors, so take the first that works.
  const control = (await (await fetch(`${sim.url}/_sim/issues?site=${site.name}`)).json()) as {
    issues: Array<{ project: string }>;
  };
  const projects = [...new Set(control.issues.map((i) => i.project))];
  const problems: string[] = [];
  for (const project of projects) {
    const instance = await hub.dataout.addInstance('bench', {
      connection: `jira-${deployment}`,
      name,
      project,
      issueType: 'Bug',
      mapping: { customfield_10050: '{% if finding.severity == "high" %}Critical{% else %}Major{% endif %}' },
    });
    if (instance.ok) return { instanceId: instance.value.instance.id, project, site: site.name };
    problems.push(`${project}: ${instance.error.message}`);
  }
  throw new Error(`no project took an instance: ${problems.join('; ')}`);
}

async function push(hub: Hub, name: string, file: string, batch: number): Promise<PushOutput> {
  const findings = JSON.parse(await readFile(file, 'utf8')) as unknown[];
  const started = performance.now();
  const jobIds = new Set<string>();
  let accepted = 0;
  for (let i = 0; i < findings.length; i += batch) {
    const pushed = await hub.dataout.push('bench', name, findings.slice(i, i + batch));
    if (!pushed.ok) throw new Error(pushed.error.message);
    if (pushed.value.rejected > 0) throw new Error(`${pushed.value.rejected} finding(s) rejected`);
    accepted += pushed.value.accepted;
    for (const id of pushed.value.jobIds) jobIds.add(id);
  }
  return { accepted, jobIds: [...jobIds], ms: performance.now() - started };
}

async function run(hub: Hub, name: string): Promise<RunOutput> {
  const instance = await hub.dataout.getInstance(name);
  if (!instance.ok) throw new Error(instance.error.message);
  const tag = instanceTag(instance.value.id);
  // Whatever is unfinished, including a job still `running` under a process that was killed: the worker reclaims
  // that one at once (its process is gone), without waiting for its lease to run out.
  const unfinished = [
    ...(await hub.jobs.queue.list({ tag, status: 'queued', limit: 10_000 })),
    ...(await hub.jobs.queue.list({ tag, status: 'running', limit: 10_000 })),
  ];
  print({ event: 'running' });
  const started = performance.now();
  await hub.jobs.runTagged(
    tag,
    unfinished.map((j) => j.id),
  );
  const ms = performance.now() - started;
  const after = await hub.dataout.getInstance(name);
  if (!after.ok) throw new Error(after.error.message);
  return { ms, tickets: after.value.tickets };
}

const hub = await openHub();
try {
  switch (command ?? '') {
    case 'setup':
      print(await setup(hub, args[0] ?? 'cloud', args[1] ?? 'bench'));
      break;
    case 'push':
      print(await push(hub, args[0] ?? 'bench', args[1] ?? '', Number(args[2] ?? 1_000)));
      break;
    case 'run':
      print(await run(hub, args[0] ?? 'bench'));
      break;
    default:
      throw new Error(`unknown command '${command ?? ''}': setup, push or run`);
  }
} finally {
  await hub.close();
}
