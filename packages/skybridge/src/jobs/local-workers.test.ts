import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLocalWorkerGone } from './local-workers.ts';

describe('isLocalWorkerGone', () => {
  it('is true only for a process of this host that no longer exists', () => {
    // A pid that certainly existed and has exited: a finished child's.
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(isLocalWorkerGone(`${hostname()}:${exited}:ab12cd34`)).toBe(true);
    expect(isLocalWorkerGone(`${hostname()}:${process.pid}:ab12cd34`)).toBe(false);
    expect(isLocalWorkerGone(`${hostname()}:${process.ppid}:ab12cd34`)).toBe(false);
  });

  it('treats other hosts and unknown id formats as alive', () => {
    const exited = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(isLocalWorkerGone(`another-host:${exited}:ab12cd34`)).toBe(false);
    expect(isLocalWorkerGone('worker-1')).toBe(false);
    expect(isLocalWorkerGone(`${hostname()}:notapid:ab12cd34`)).toBe(false);
  });
});
