import { hostname } from 'node:os';

/**
 * Whether the worker that holds a lease is known to be gone: it ran on this host (worker ids are
 * `<hostname>:<pid>:<random>`, see `defaultWorkerId`) and its process no longer exists. Anything else (another
 * host, an id in another format, a process we may not signal) counts as alive, and its lease is left to expire.
 *
 * Why: a `skybridge sync` killed with -9 leaves its job `running` until the lease (a minute) runs out; without
 * this, the command run again right after would wait that minute for the dead process. Hosts that share a name
 * but not a process table (containers cloned with one hostname) would defeat it; give them distinct hostnames.
 */
export function isLocalWorkerGone(lockedBy: string, host: string = hostname()): boolean {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(lockedBy);
  if (match === null || match[1] !== host) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    // Signal 0 checks for existence without touching the process.
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
