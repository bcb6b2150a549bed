/**
 * `npm start` / `npm run demo`: Skybridge against atlassian-sim, with no Atlassian account needed.
 *
 * Starts the simulator (`small` preset) as its own process, starts Skybridge on an embedded SQLite database in
 * `data/demo` (wiped first: it holds only demo secrets), adds one connection of every kind, verifies them, serves
 * the HTTP API and prints where to look. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../packages/skybridge/src/config.ts';
import { createHub } from '../packages/skybridge/src/hub.ts';
import { createHttpApp } from '../packages/skybridge/src/http/create-http-app.ts';
import { serveHttp } from '../packages/skybridge/src/http/serve.ts';
import type { NewConnectionInput } from '../packages/skybridge/src/connections/connections-service.ts';
import type { SimulatorDescription } from '../packages/atlassian-sim/src/simulator.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}data/demo`;
const port = Number(process.env['SKYBRIDGE_PORT'] ?? 8080);

function startSimulator(): Promise<{ info: SimulatorDescription; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=32',
      `${root}packages/atlassian-sim/src/cli.ts`,
      '--preset',
      'small',
      '--port',
      '0',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ info: JSON.parse(line) as SimulatorDescription, stop: () => child.kill('SIGTERM') }),
    );
    child.once('exit', (code) => reject(new Error(`atlassian-sim exited with ${code}`)));
  });
}

const say = (line = '') => process.stdout.write(`${line}\n`);

const sim = await startSimulator();
const simHost = new URL(sim.info.url).host;
await rm(dataDir, { recursive: true, force: true });
const loaded = loadConfig({
  ...process.env,
  SKYBRIDGE_DATA_DIR: dataDir,
  SKYBRIDGE_ALLOWED_HOSTS: simHost,
  SKYBRIDGE_LOG_LEVEL: process.env['SKYBRIDGE_LOG_LEVEL'] ?? 'warn',
  DATABASE_URL: undefined,
});
if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
const created = await createHub(loaded.config);
if (!created.ok) {
  sim.stop();
  throw new Error(created.error.join('\n'));
}
const hub = created.value;

say('Skybridge demo: atlassian-sim stands in for Atlassian (no account needed).');
say(`  simulator      ${sim.info.url}  (control API: ${sim.info.url}/_sim)`);
say(`  data directory ${dataDir}  (embedded SQLite, demo key file)`);
say();

const org = sim.info.orgs[0];
const bySite = (name: string) => sim.info.sites.find((s) => s.name === name);
const jira = bySite('acme-jira');
const wiki = bySite('acme-confluence');
const jiraDc = bySite('jira-dc-1');
const wikiDc = bySite('confluence-dc-1');
if (!org || !jira || !wiki || !jiraDc || !wikiDc) throw new Error('the simulator did not describe the expected sites');
const pat = (s: SimulatorDescription['sites'][number]) => ('pat' in s.credentials ? s.credentials.pat : '');
const inputs: NewConnectionInput[] = [
  {
    kind: 'jira-cloud',
    name: 'Acme Jira',
    url: jira.baseUrl,
    email: org.email,
    secret: org.apiToken,
    tokenExpiresAt: new Date(Date.now() + 10 * 86_400_000),
  },
  { kind: 'confluence-cloud', name: 'Acme Confluence', url: wiki.baseUrl, email: org.email, secret: org.apiToken },
  {
    kind: 'atlassian-org',
    name: 'Acme organization',
    url: org.adminBaseUrl,
    orgId: org.id,
    secret: org.apiKey,
    teamsUrl: org.teamsBaseUrl,
  },
  { kind: 'jira-dc', name: 'Jira Data Center', url: jiraDc.baseUrl, secret: pat(jiraDc) },
  { kind: 'confluence-dc', name: 'Confluence Data Center', url: wikiDc.baseUrl, secret: pat(wikiDc) },
];
let jiraProject: string | undefined;
for (const input of inputs) {
  const added = await hub.connections.add('demo', input);
  if (!added.ok) {
    say(`  ✗ ${input.name}: ${added.error.message}`);
    continue;
  }
  const { connection, report } = added.value;
  if (connection.kind === 'jira-cloud') jiraProject = report.sample.items[0]?.key;
  const sample = report.sample.items
    .slice(0, 4)
    .map((i) => i.key ?? i.name)
    .join(', ');
  const who = report.account ? ` as ${report.account.displayName}` : report.org ? ` for ${report.org.name}` : '';
  say(
    `  ✓ ${connection.name.padEnd(24)} ${connection.status.padEnd(10)} ${report.product.name}${report.product.version ? ` ${report.product.version}` : ''}${who}; ${report.sample.items.length} ${report.sample.type}s visible (${sample}${report.sample.items.length > 4 ? ', …' : ''})`,
  );
}

say();
say('Syncing identities and access from every connection:');
for (const input of inputs) {
  const run = await hub.sync.run('demo', input.name);
  if (!run.ok) {
    say(`  ✗ ${input.name}: ${run.error.message}`);
    continue;
  }
  const counts = Object.entries(run.value.counts)
    .filter(([k]) => k !== 'effectiveGrants')
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  say(`  ✓ ${input.name.padEnd(24)} ${run.value.status.padEnd(10)} ${counts} (${run.value.requests} requests)`);
}
say(`Who can reach what: SKYBRIDGE_DATA_DIR=data/demo npx skybridge access user ${org.email}`);

say();
say('Data out: three findings become Jira tickets through an instance on Acme Jira:');
const instance = await hub.dataout.addInstance('demo', {
  connection: 'Acme Jira',
  name: 'Demo findings',
  project: jiraProject ?? '',
  issueType: 'Task',
  templates: { labels: '{{ finding.properties.team }}' },
});
if (!instance.ok) say(`  ✗ ${instance.error.message}`);
else {
  const findings = [
    { id: 'tls-1', title: 'TLS 1.0 enabled on edge-1', severity: 'high', resource: 'edge-1.acme.example' },
    { id: 'iam-7', title: 'Admin account without MFA', severity: 'critical', resource: 'mia.krystof' },
    { id: 'img-3', title: 'Base image has 4 fixable CVEs', severity: 'medium', resource: 'registry/app:1.4' },
  ].map((f) => ({ ...f, status: 'open', properties: { team: 'security' } }));
  for (let round = 0; round < 2; round++) {
    const pushed = await hub.dataout.push('demo', 'Demo findings', findings);
    if (!pushed.ok) break;
    await hub.jobs.runTagged(`instance:${instance.value.instance.id}`, pushed.value.jobIds);
  }
  const outcomes = await hub.dataout.outcomes(
    'Demo findings',
    findings.map((f) => f.id),
  );
  for (const o of outcomes.ok ? outcomes.value : [])
    say(`  ✓ ${o.findingId.padEnd(8)} → ${o.issueKey ?? o.state}${o.error ? ` (${o.error})` : ''}`);
  say('  (pushed twice: still one ticket per finding)');
}

const owner = await hub.apiTokens.ensureOwner('demo');
const server = await serveHttp(createHttpApp(hub), { host: '127.0.0.1', port });
hub.start();
say();
say(`HTTP API   ${server.url}/api/v1   (OpenAPI document: ${server.url}/api/v1/openapi.json)`);
if (owner.created) {
  say(`Owner token (shown once): ${owner.token}`);
  say(`  curl -H "Authorization: Bearer ${owner.token}" ${server.url}/api/v1/connections`);
}
say(
  'CLI        SKYBRIDGE_DATA_DIR=data/demo npx skybridge connections list   (after stopping the demo, or in another shell)',
);
say(
  `Try        expire or revoke a token through ${sim.info.url}/_sim (packages/atlassian-sim/README.md), then verify again.`,
);
say('Ctrl-C stops the demo.');

const stop = async () => {
  await server.close();
  await hub.close();
  sim.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (process.env['SKYBRIDGE_DEMO_EXIT'] === '1') await stop();
