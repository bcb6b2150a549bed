import { describe, expect, it } from 'vitest';
import { createRecordBuilder, entitlementId, resourceId } from './source-ids.ts';

describe('source ids', () => {
  it('are built from the connection id, the type and Atlassian’s id, so they are stable across runs', () => {
    expect(resourceId('c1', 'group', 'g-9')).toBe('c1:group:g-9');
    expect(entitlementId('c1:project:10000', 'role:Developers')).toBe('c1:project:10000:role:Developers');
    const b = createRecordBuilder('c1');
    expect(b.grant(b.id('group', 'g-9'), 'member', b.id('user', 'acc-1'))).toEqual({
      kind: 'grant',
      grant: { entitlementId: 'c1:group:g-9:member', principalId: 'c1:user:acc-1', via: [] },
    });
    expect(b.entitlement('c1:group:g-9', 'member', 'g member')).toEqual({
      kind: 'entitlement',
      entitlement: { id: 'c1:group:g-9:member', resourceId: 'c1:group:g-9', slug: 'member', displayName: 'g member' },
    });
  });

  it('drops absent attributes and keeps parentId only when given', () => {
    const b = createRecordBuilder('c1');
    expect(b.resource('user', 'acc-1', 'Mia', { email: undefined, active: false, lastActive: null })).toEqual({
      kind: 'resource',
      resource: {
        id: 'c1:user:acc-1',
        type: 'user',
        externalId: 'acc-1',
        displayName: 'Mia',
        attributes: { active: false, lastActive: null },
      },
    });
    const role = b.resource('project_role', '10002', 'Developers', {}, 'c1:project:10000');
    expect(role.kind === 'resource' && role.resource.parentId).toBe('c1:project:10000');
  });
});
