import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../connections/connections-service.ts';
import { apiTokenJson, auditEventJson, connectionJson } from './serializers.ts';

const view: ConnectionView = {
  id: 'c1',
  name: 'acme',
  kind: 'jira-dc',
  url: 'https://jira.acme.test',
  secretHint: '••••abcd',
  status: 'connected',
  consecutiveFailures: 0,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
  version: 4,
  authMode: 'direct',
  hasTeamsSecret: false,
};

describe('serializers', () => {
  it('write dates as ISO strings and leave absent fields out', () => {
    expect(connectionJson(view)).toEqual({
      id: 'c1',
      name: 'acme',
      kind: 'jira-dc',
      url: 'https://jira.acme.test',
      authMode: 'direct',
      secretHint: '••••abcd',
      hasTeamsSecret: false,
      status: 'connected',
      consecutiveFailures: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      version: 4,
    });
  });

  it('drop fields that are not on the allow-list, however they got onto the object', () => {
    const polluted = { ...view, secret: 'plain-secret', sealedSecret: 'v1:k1:cipher', teamsSecret: 'x' };
    const json = JSON.stringify(connectionJson(polluted));
    expect(json).not.toMatch(/plain-secret|cipher|teamsSecret/);
  });

  it('replace a hint that is not a hint with the bare mask', () => {
    expect(connectionJson({ ...view, secretHint: 'the-whole-plaintext-token' }).secretHint).toBe('••••');
    expect(
      apiTokenJson({ id: 't', name: 'n', role: 'viewer', tokenHint: 'raw-token-value', createdAt: view.createdAt })
        .tokenHint,
    ).toBe('••••');
  });

  it('keep only scalar audit details', () => {
    const details = { kind: 'jira-dc', nested: { secret: 'x' } } as unknown as Record<string, string>;
    const json = auditEventJson({
      id: 'a',
      at: view.createdAt,
      actor: 'token:o',
      action: 'connection.create',
      targetType: 'connection',
      details,
    });
    expect(json.details).toEqual({ kind: 'jira-dc' });
  });
});
