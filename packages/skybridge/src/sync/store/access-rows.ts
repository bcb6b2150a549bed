import * as z from 'zod';
import type { AccessEntitlement, AccessGrant, AccessResource } from '../../domain/access-model.ts';
import { RESOURCE_TYPES } from '../../domain/access-model.ts';
import { enumValue, present } from '../../db/columns.ts';
import type { SyncEntitlementRow, SyncGrantRow, SyncResourceRow } from '../../db/schema.ts';
import { splitVia } from './via-path.ts';

const attributesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export function resourceFromRow(row: Omit<SyncResourceRow, 'run_id' | 'email' | 'status'>): AccessResource {
  return {
    id: row.id,
    type: enumValue(RESOURCE_TYPES, row.type, 'type'),
    externalId: row.external_id,
    displayName: row.display_name,
    ...present('parentId', row.parent_id),
    attributes: attributesSchema.parse(JSON.parse(row.attributes)),
  };
}

export function entitlementFromRow(row: Omit<SyncEntitlementRow, 'run_id'>): AccessEntitlement {
  return { id: row.id, resourceId: row.resource_id, slug: row.slug, displayName: row.display_name };
}

export function grantFromRow(row: Omit<SyncGrantRow, 'run_id'>): AccessGrant {
  return { entitlementId: row.entitlement_id, principalId: row.principal_id, via: splitVia(row.via) };
}
