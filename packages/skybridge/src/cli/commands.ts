import type { Command } from './command.ts';
import { connectionsAdd } from './connections-add.ts';
import { connectionsDelete } from './connections-delete.ts';
import { connectionsEdit } from './connections-edit.ts';
import { connectionsList } from './connections-list.ts';
import { connectionsRotate } from './connections-rotate.ts';
import { connectionsShow } from './connections-show.ts';
import { connectionsVerify } from './connections-verify.ts';
import { findingsPush } from './findings-push.ts';
import { healthCheck } from './health-check.ts';
import { instancesAdd } from './instances-add.ts';
import {
  instancesDelete,
  instancesJobs,
  instancesList,
  instancesShow,
  instancesStart,
  instancesStop,
  instancesTest,
  instancesTickets,
} from './instances.ts';
import { jobsReplay } from './jobs-replay.ts';
import { keysRotate } from './keys-rotate.ts';
import { accessUser, accessWho, diff, exportCommand, runsAccept } from './access.ts';
import { runs, sync } from './sync.ts';
import { schedule } from './schedule.ts';
import { serve } from './serve.ts';
import { tokensCreate } from './tokens-create.ts';
import { tokensList } from './tokens-list.ts';
import { tokensRevoke } from './tokens-revoke.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  connectionsAdd,
  connectionsList,
  connectionsShow,
  connectionsVerify,
  connectionsEdit,
  connectionsRotate,
  connectionsDelete,
  keysRotate,
  tokensCreate,
  tokensList,
  tokensRevoke,
  healthCheck,
  sync,
  schedule,
  runs,
  runsAccept,
  diff,
  accessUser,
  accessWho,
  exportCommand,
  instancesAdd,
  instancesList,
  instancesShow,
  instancesTest,
  instancesStop,
  instancesStart,
  instancesDelete,
  instancesJobs,
  instancesTickets,
  findingsPush,
  jobsReplay,
  serve,
];

/** What a group word (`connections`) is about, for its help. */
export const GROUPS: Record<string, string> = {
  connections: 'connections to Jira, Confluence and the Atlassian organization Admin API',
  keys: 'the master keys that seal stored secrets',
  tokens: "API tokens for the hub's HTTP API",
  access: 'who can reach what, from the synced snapshots',
  instances: 'data-out instances: findings become Jira tickets',
  findings: 'findings from security and compliance tools, for a data-out instance',
  jobs: 'the ticket jobs of data-out instances',
};
