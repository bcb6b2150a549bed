import type { OrgUser, Page, Space, SpacePermission } from '../../world/types.ts';

/**
 * Confluence Cloud v2 representations. Field order and null-vs-absent follow real payloads (API-NOTES §2.3, the
 * text2confl fixtures), which differ from the spec in places recorded in test/contract/spec-defects.ts.
 */

export const DESCRIPTION_FORMATS = ['plain', 'view'] as const;
export type DescriptionFormat = (typeof DESCRIPTION_FORMATS)[number];

/** Formats a page list can return bodies in (`PrimaryBodyRepresentation`). */
export const BULK_BODY_FORMATS = ['storage', 'atlas_doc_format'] as const;
/** Formats a single page can return its body in (`PrimaryBodyRepresentationSingle`). */
export const BODY_FORMATS = [
  'storage',
  'atlas_doc_format',
  'view',
  'export_view',
  'anonymous_export_view',
  'styled_view',
  'editor',
] as const;
export type BodyFormat = (typeof BODY_FORMATS)[number];

export interface SpaceV2Options {
  authorId: string;
  descriptionFormat?: DescriptionFormat;
  includeIcon?: boolean;
}

export function spaceV2(space: Space, options: SpaceV2Options): Record<string, unknown> {
  return {
    createdAt: space.createdAt,
    authorId: options.authorId,
    homepageId: space.homepageId,
    // Why null and not absent: Confluence sends `"icon":null` and `"description":null` unless asked for them with
    // include-icon / description-format, although the spec types both as objects.
    icon: options.includeIcon ? { path: '/wiki/images/logo/default-space-logo.svg' } : null,
    description: options.descriptionFormat
      ? { [options.descriptionFormat]: { representation: options.descriptionFormat, value: '' } }
      : null,
    status: space.status,
    name: space.name,
    key: space.key,
    id: space.id,
    type: space.type,
    _links: { webui: `/spaces/${space.key}` },
    // Real payloads carry these two although the spec does not list them.
    spaceOwnerId: options.authorId,
    currentActiveAlias: space.key,
  };
}

/**
 * Confluence's tiny links (`/x/AYAp`) are the page id as little-endian bytes, trailing zero bytes dropped, in base64
 * with `/`→`-` and `+`→`_` and no padding. (2719745 → `AYAp`, as in the API-NOTES fixture.)
 */
export function tinyUiPath(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  let end = 8;
  while (end > 1 && bytes[end - 1] === 0) end--;
  const encoded = bytes.subarray(0, end).toString('base64').replace(/=+$/, '').replace(/\//g, '-').replace(/\+/g, '_');
  return `/x/${encoded}`;
}

export interface PageV2Options {
  authorId: string;
  spaceKey: string;
  /** Position among its siblings. */
  position: number;
  bodyFormat?: BodyFormat;
}

export function pageV2(page: Page, options: PageV2Options): Record<string, unknown> {
  // Without body-format the body is an empty object, not absent: v2 never sends a body nobody asked for.
  const body: Record<string, unknown> = {};
  const format = options.bodyFormat;
  if (format === 'atlas_doc_format') {
    const text = page.body.replace(/<[^>]+>/g, '');
    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
    // ADF comes back as a JSON string inside `value`, not as an object.
    body[format] = { representation: format, value: JSON.stringify(adf) };
  } else if (format !== undefined) {
    body[format] = { representation: format, value: page.body };
  }
  const slug = encodeURIComponent(page.title).replace(/%20/g, '+');
  return {
    // Why null: a top-level page (the space homepage) has `"parentId":null,"parentType":null` on the wire, though
    // the spec types parentId as a plain string.
    parentType: page.parentId === null ? null : 'page',
    parentId: page.parentId,
    ownerId: options.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    authorId: options.authorId,
    position: options.position,
    version: { number: 1, message: '', minorEdit: false, authorId: options.authorId, createdAt: page.createdAt },
    spaceId: page.spaceId,
    body,
    status: page.status,
    title: page.title,
    id: page.id,
    _links: {
      editui: `/pages/resumedraft.action?draftId=${page.id}`,
      webui: `/spaces/${options.spaceKey}/pages/${page.id}/${slug}`,
      edituiv2: `/spaces/${options.spaceKey}/pages/edit-v2/${page.id}`,
      tinyui: tinyUiPath(page.id),
    },
  };
}

/** Positions of pages among their siblings (same space and parent), in list order. */
export function siblingPositions(pages: readonly Page[]): Map<string, number> {
  const counters = new Map<string, number>();
  const positions = new Map<string, number>();
  for (const page of pages) {
    const key = `${page.spaceId}/${page.parentId ?? ''}`;
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    positions.set(page.id, n);
  }
  return positions;
}

/**
 * A space permission assignment, or undefined for an anonymous grant: v2's principal types are only
 * user/group/role, and Confluence leaves anonymous grants out of this list.
 */
export function spacePermissionV2(
  permission: SpacePermission,
  users: readonly OrgUser[],
): Record<string, unknown> | undefined {
  const principal = permission.principal;
  let ref: { type: 'user' | 'group'; id: string };
  switch (principal.type) {
    case 'user': {
      const user = users[principal.idx];
      if (!user) return undefined;
      ref = { type: 'user', id: user.accountId };
      break;
    }
    case 'group':
      ref = { type: 'group', id: principal.groupId };
      break;
    case 'anonymous':
      return undefined;
  }
  return {
    id: permission.id,
    principal: ref,
    operation: { key: permission.operation.key, targetType: permission.operation.target },
  };
}
