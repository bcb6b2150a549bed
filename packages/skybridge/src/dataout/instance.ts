import { z } from 'zod';
import type { FieldMapping } from './field-mapping.ts';
import { fieldMappingSchema } from './field-mapping.ts';

/**
 * Glossary of data out:
 * - instance: a workflow that turns findings into Jira tickets through one Jira connection (cloud or Data Center),
 *   into one project and issue type, with a field mapping and templates.
 * - finding: what a security or compliance tool reports (`finding.ts`); identified by (instance, source, id).
 * - ticket: the hub's record of a finding's Jira issue: the dedup key (recorded before any create call), the issue
 *   key once known, and what was last applied to the issue.
 * - dedup key: `dedupKey(instance, source, finding id)` (+ generation), stamped on the issue as a label and an issue
 *   property, so the issue is found again by search after a crash or with a lost database.
 */

export const INSTANCE_STATUSES = ['active', 'stopped'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const INSTANCE_HEALTH = ['ok', 'failing'] as const;
export type InstanceHealth = (typeof INSTANCE_HEALTH)[number];

/** When a resolved finding comes back: reopen its ticket, or open a new one (the old one stays closed). */
export const REOPEN_POLICIES = ['reopen', 'new'] as const;
export type ReopenPolicy = (typeof REOPEN_POLICIES)[number];

/** When a finding changes: update the mapped fields of its ticket, or add a comment saying what changed. */
export const CHANGE_POLICIES = ['update', 'comment'] as const;
export type ChangePolicy = (typeof CHANGE_POLICIES)[number];

/** Default templates: what a ticket says when the instance does not say otherwise. */
export const DEFAULT_TEMPLATES = {
  summary: '[{{ finding.severity | upcase }}] {{ finding.title }}',
  description:
    '{{ finding.description }}\n\nSeverity: {{ finding.severity }}\nResource: {{ finding.resource }}\nLink: {{ finding.url }}',
  labels: '',
  priority: '',
} as const;

export const instanceConfigSchema = z
  .object({
    mapping: fieldMappingSchema,
    templates: z
      .object({
        summary: z.string().max(20_000),
        description: z.string().max(20_000),
        labels: z.string().max(20_000),
        priority: z.string().max(20_000),
      })
      .strict(),
    /** The status (or transition) name a resolved finding moves its ticket to. */
    doneStatus: z.string().min(1).max(255),
    /** For policy `reopen`: the status (or transition) name that reopens. */
    reopenStatus: z.string().min(1).max(255),
    reopenPolicy: z.enum(REOPEN_POLICIES),
    onChange: z.enum(CHANGE_POLICIES),
    /**
     * The create metadata of the mapped fields, captured when the instance was saved: rendering a ticket needs
     * each field's type, and fetching it per ticket would cost a request per finding.
     */
    fieldsMeta: z.array(
      z
        .object({
          fieldId: z.string(),
          key: z.string().optional(),
          name: z.string(),
          required: z.boolean(),
          hasDefaultValue: z.boolean().optional(),
          schema: z
            .object({
              type: z.string(),
              items: z.string().optional(),
              system: z.string().optional(),
              custom: z.string().optional(),
            })
            .strict(),
          allowedValues: z.array(z.unknown()).optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type InstanceConfig = z.infer<typeof instanceConfigSchema> & { mapping: FieldMapping };

export interface Instance {
  id: string;
  name: string;
  connectionId: string;
  status: InstanceStatus;
  project: { id: string; key: string };
  issueType: { id: string; name: string };
  config: InstanceConfig;
  /** `failing` after a ticket operation failed for a reason a retry cannot fix (a refused credential...). */
  health: InstanceHealth;
  lastError?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const TICKET_STATES = [
  /** Recorded, waiting for the creator. */
  'pending',
  /** A create call was (or is being) made: the next attempt searches for the issue before creating. */
  'creating',
  'created',
  /** Jira refused the create for a reason a retry cannot fix (a field value); replay after fixing the instance. */
  'failed',
  /** Resolved before any ticket was made: nothing to do. */
  'skipped',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export interface Ticket {
  instanceId: string;
  source: string;
  findingId: string;
  generation: number;
  dedupKey: string;
  findingHash: string;
  findingStatus: 'open' | 'resolved';
  state: TicketState;
  issueId?: string;
  issueKey?: string;
  appliedHash?: string;
  appliedStatus?: 'open' | 'resolved';
  createAttempts: number;
  lastError?: string;
  lastErrorClass?: string;
  previousIssueKeys: string[];
  createdAt: Date;
  updatedAt: Date;
}
