import * as z from 'zod';
import type { SyncCheckpoint, SyncRunStatus } from '../../domain/access-model.ts';
import { SYNC_RUN_STATUSES } from '../../domain/access-model.ts';
import { enumValue, fromIso, present } from '../../db/columns.ts';
import type { SyncRunRow } from '../../db/schema.ts';

/** What started a run. */
export const SYNC_RUN_TRIGGERS = ['manual', 'schedule'] as const;
export type SyncRunTrigger = (typeof SYNC_RUN_TRIGGERS)[number];

/** Count per resource type, plus `entitlements`, `grants` (direct) and `effectiveGrants` (expanded). */
export type SyncCounts = Record<string, number>;

/** Request statistics the engine reports when a run ends. */
export interface SyncRunStats {
  requests: number;
  retries: number;
  /** Responses with status 429. */
  rateLimited: number;
}

/** Why a run failed: a code and a message that are safe to show (the engine builds them from an allow-list). */
export interface SyncRunError {
  code: string;
  message: string;
}

/** A type that shrank past the threshold, against the snapshot the run would have replaced. */
export interface SyncShrink {
  from: number;
  to: number;
  /** (from - to) / from, 0..1. */
  ratio: number;
}

export interface SyncRun {
  id: string;
  connectionId: string;
  status: SyncRunStatus;
  trigger: SyncRunTrigger;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** finishedAt - startedAt, once finished. */
  durationMs?: number;
  counts: SyncCounts;
  requests: number;
  retries: number;
  rateLimited: number;
  error?: SyncRunError;
  /** Stream name -> where that stream's reader is. */
  checkpoint: Record<string, SyncCheckpoint>;
  /** The types that shrank past the threshold (suspicious and accepted runs). */
  shrink?: Record<string, SyncShrink>;
  acceptedBy?: string;
  acceptedAt?: Date;
}

export const countsSchema = z.record(z.string(), z.number().int().nonnegative());
const errorSchema = z.object({ code: z.string(), message: z.string() }).strict();
const checkpointSchema = z.record(
  z.string(),
  z
    .object({
      phase: z.string(),
      cursor: z.string().optional(),
      state: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
);
const shrinkSchema = z.record(z.string(), z.object({ from: z.number(), to: z.number(), ratio: z.number() }).strict());

/** A stored checkpoint map, checked; corruption throws (it is a bug or tampering, not an expected failure). */
export function parseCheckpoints(text: string): Record<string, SyncCheckpoint> {
  const parsed = checkpointSchema.parse(JSON.parse(text));
  const out: Record<string, SyncCheckpoint> = {};
  for (const [stream, value] of Object.entries(parsed)) {
    out[stream] = {
      phase: value.phase,
      ...(value.cursor === undefined ? {} : { cursor: value.cursor }),
      ...(value.state === undefined ? {} : { state: value.state }),
    };
  }
  return out;
}

export function syncRunFromRow(row: SyncRunRow): SyncRun {
  const startedAt = row.started_at === null ? undefined : fromIso(row.started_at);
  const finishedAt = row.finished_at === null ? undefined : fromIso(row.finished_at);
  return {
    id: row.id,
    connectionId: row.connection_id,
    status: enumValue(SYNC_RUN_STATUSES, row.status, 'status'),
    trigger: enumValue(SYNC_RUN_TRIGGERS, row.trigger, 'trigger'),
    createdAt: fromIso(row.created_at),
    ...present('startedAt', startedAt ?? null),
    ...present('finishedAt', finishedAt ?? null),
    ...present(
      'durationMs',
      startedAt !== undefined && finishedAt !== undefined ? finishedAt.getTime() - startedAt.getTime() : null,
    ),
    counts: countsSchema.parse(JSON.parse(row.counts)),
    requests: row.requests,
    retries: row.retries,
    rateLimited: row.rate_limited,
    ...present('error', row.error === null ? null : errorSchema.parse(JSON.parse(row.error))),
    checkpoint: parseCheckpoints(row.checkpoint),
    ...present('shrink', row.shrink === null ? null : shrinkSchema.parse(JSON.parse(row.shrink))),
    ...present('acceptedBy', row.accepted_by),
    ...present('acceptedAt', row.accepted_at === null ? null : fromIso(row.accepted_at)),
  };
}
