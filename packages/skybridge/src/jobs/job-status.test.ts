import { describe, expect, it } from 'vitest';
import { isTerminal, JOB_STATUSES, statusesLeadingTo, transition } from './job-status.ts';

describe('job status machine', () => {
  it('allows the lifecycle of a job', () => {
    expect(transition('queued', 'running')).toEqual({ ok: true, value: 'running' });
    expect(transition('running', 'succeeded')).toEqual({ ok: true, value: 'succeeded' });
    expect(transition('running', 'queued')).toEqual({ ok: true, value: 'queued' });
    expect(transition('queued', 'cancelled')).toEqual({ ok: true, value: 'cancelled' });
  });

  it('refuses to leave a terminal status, with a reason', () => {
    for (const from of ['succeeded', 'failed', 'cancelled'] as const) {
      expect(isTerminal(from)).toBe(true);
      for (const to of JOB_STATUSES) {
        const result = transition(from, to);
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.error.toJSON()).toEqual({
            code: 'invalid_transition',
            message: `A ${from} job cannot become ${to}.`,
            from,
            to,
          });
      }
    }
  });

  it('refuses to skip running', () => {
    expect(transition('queued', 'succeeded').ok).toBe(false);
    expect(transition('queued', 'failed').ok).toBe(false);
  });

  it('lists where a status can be reached from', () => {
    expect(statusesLeadingTo('cancelled')).toEqual(['queued', 'running']);
    expect(statusesLeadingTo('running')).toEqual(['queued']);
  });
});
