import type {
  AccessEntitlement,
  AccessGrant,
  AccessRecord,
  AccessResource,
  ResourceType,
} from '../../domain/access-model.ts';

/**
 * The one place ids are built. Ids are derived from the connection id and Atlassian's own ids, never generated, so
 * the same thing gets the same id in every run and two runs can be diffed by id.
 */

/** `${connectionId}:${type}:${externalId}`. */
export function resourceId(connectionId: string, type: ResourceType, externalId: string): string {
  return `${connectionId}:${type}:${externalId}`;
}

/** `${resourceId}:${slug}`. */
export function entitlementId(resourceIdValue: string, slug: string): string {
  return `${resourceIdValue}:${slug}`;
}

/** Attributes as readers gather them: an absent field is `undefined` and is dropped. */
export type LooseAttributes = Record<string, string | number | boolean | null | undefined>;

/** Builds records for one connection, so readers never assemble an id by hand. */
export interface RecordBuilder {
  id(type: ResourceType, externalId: string): string;
  resource(
    type: ResourceType,
    externalId: string,
    displayName: string,
    attributes?: LooseAttributes,
    parentId?: string,
  ): AccessRecord;
  entitlement(resource: string, slug: string, displayName: string): AccessRecord;
  /** A direct grant of `slug` on `resource` to `principal` (resource ids). */
  grant(resource: string, slug: string, principal: string): AccessRecord;
}

/** Attribute values worth keeping; `undefined` is dropped so records stay JSON-clean. */
function clean(attributes: LooseAttributes | undefined): AccessResource['attributes'] {
  const out: AccessResource['attributes'] = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

export function createRecordBuilder(connectionId: string): RecordBuilder {
  return {
    id: (type, externalId) => resourceId(connectionId, type, externalId),
    resource(type, externalId, displayName, attributes, parentId) {
      const resource: AccessResource = {
        id: resourceId(connectionId, type, externalId),
        type,
        externalId,
        displayName,
        attributes: clean(attributes),
      };
      if (parentId !== undefined) resource.parentId = parentId;
      return { kind: 'resource', resource };
    },
    entitlement(resource, slug, displayName) {
      const entitlement: AccessEntitlement = {
        id: entitlementId(resource, slug),
        resourceId: resource,
        slug,
        displayName,
      };
      return { kind: 'entitlement', entitlement };
    },
    grant(resource, slug, principal) {
      const grant: AccessGrant = { entitlementId: entitlementId(resource, slug), principalId: principal, via: [] };
      return { kind: 'grant', grant };
    },
  };
}
