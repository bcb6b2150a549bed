import { z } from 'zod';

/**
 * Ticket operations as jobs of the persistent queue. Two kinds:
 * - `dataout-create`: one per instance at a time (exclusive key), creates the instance's waiting tickets in
 *   batches of up to 50 through `/issue/bulk`, searching first for any that a previous attempt may have created;
 * - `dataout-ticket`: one per ticket at a time, brings a created ticket in step with its finding (fields or a
 *   comment, then a transition when it was resolved or reopened).
 * Every job carries the tag `instance:<id>`, so an instance lists its own and a command can run just those.
 */

export const DATAOUT_CREATE_QUEUE = 'dataout-create';
export const DATAOUT_TICKET_QUEUE = 'dataout-ticket';
export const DATAOUT_QUEUES = [DATAOUT_CREATE_QUEUE, DATAOUT_TICKET_QUEUE] as const;

/** Attempts per ticket job: enough to ride out a long rate-limit window or an outage of a few minutes. */
export const DATAOUT_JOB_MAX_ATTEMPTS = 10;

export const createJobPayloadSchema = z.object({ instanceId: z.string().min(1) }).strict();
export const ticketJobPayloadSchema = z.object({ instanceId: z.string().min(1), dedupKey: z.string().min(1) }).strict();

export function instanceTag(instanceId: string): string {
  return `instance:${instanceId}`;
}

export function createJobInput(instanceId: string) {
  const key = `dataout-create:${instanceId}`;
  return {
    queue: DATAOUT_CREATE_QUEUE,
    payload: { instanceId },
    exclusiveKey: key,
    dedupeKey: key,
    tag: instanceTag(instanceId),
    maxAttempts: DATAOUT_JOB_MAX_ATTEMPTS,
  };
}

export function ticketJobInput(instanceId: string, dedupKey: string) {
  const key = `dataout-ticket:${dedupKey}`;
  return {
    queue: DATAOUT_TICKET_QUEUE,
    payload: { instanceId, dedupKey },
    exclusiveKey: key,
    dedupeKey: key,
    tag: instanceTag(instanceId),
    maxAttempts: DATAOUT_JOB_MAX_ATTEMPTS,
  };
}

/**
 * A ticket job's failure. Safe to store (its message is built by us from allow-listed parts); `retryable: false`
 * makes the worker give up at once, for failures another attempt cannot fix.
 */
export class TicketJobError extends Error {
  override readonly name = 'TicketJobError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}
