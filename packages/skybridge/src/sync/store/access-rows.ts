import * as z from 'zod';
import type { AccessEntitlement, AccessGrant, AccessResource } from '../../domain/access-model.ts';
import { RESOURCE_TYPES } from '../../domain/access-model.ts';
import { enumValue, present } from '../../db/columns.ts';
import type { SyncEntitlementRow, SyncGrantRow, SyncResourceRow } from '../../db/schema.ts';
import { fromStoredId, fromStoredVia } from './stored-ids.ts';

const attributesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** Rows as stored, with `prefix` (`idPrefix` of the run's connection) put back on their ids. */
export function resourceFromRow(
  row: Omit<SyncResourceRow, 'run_id' | 'email' | 'status'>,
  prefix: string,
): AccessResource {
  return {
    id: fromStoredId(prefix, row.id),
    type: enumValue(RESOURCE_TYPES, row.type, 'type'),
    externalId: row.external_id,
    displayName: row.display_name,
    ...present('parentId', row.parent_id === null ? null : fromStoredId(prefix, row.parent_id)),
    attributes: attributesSchema.parse(JSON.parse(row.attributes)),
  };
}

export function entitlementFromRow(row: Omit<SyncEntitlementRow, 'run_id'>, prefix: string): AccessEntitlement {
  return {
    id: fromStoredId(prefix, row.id),
    resourceId: fromStoredId(prefix, row.resource_id),
    slug: row.slug,
    displayName: row.display_name,
  };
}

export function grantFromRow(row: Omit<SyncGrantRow, 'run_id'>, prefix: string): AccessGrant {
  return {
    entitlementId: fromStoredId(prefix, row.entitlement_id),
    principalId: fromStoredId(prefix, row.principal_id),
    via: fromStoredVia(prefix, row.via),
  };
}
