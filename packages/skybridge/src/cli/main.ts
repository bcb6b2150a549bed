#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 --max-old-space-size=256
// Why the flags: a sync allocates short-lived page objects at a high rate, and on a large machine V8 grows the young
// generation to hundreds of MB and lets the old one fill toward gigabytes before collecting, so RSS balloons though
// the live heap stays under 100 MB. A 4 MB semi-space and a 256 MB old-space cap keep collections frequent and cheap
// and memory flat (`npm run bench:sync` measures the hub's peak RSS with these flags).
//
// Why MALLOC_ARENA_MAX: glibc gives each thread that allocates its own malloc arena and keeps what is freed there
// for that thread. A sync runs the hub's thread, the page writer's, the checkpointer's, libuv's and V8's helpers,
// and the arenas held ~60 MB beyond what was in use; two arenas shared by all threads hold little more than the live
// memory (org and Jira Cloud syncs of the `large` preset: peak RSS 282 MB with glibc's default, 249 MB with 2; wall
// times unchanged). It has to be in the environment before the process starts, hence the shebang. Other C
// libraries ignore it.
//
// This file only enables Node's compile cache and hands over to `run-cli.ts`: the cache applies to modules loaded
// after it is enabled, and every static import of this file would be loaded before its first line ran.
import { enableCompileCache } from './compile-cache.ts';

// Node keeps the compiled form of the modules it loads (ours are TypeScript, stripped at each load) in a cache
// directory and reuses it while a file is unchanged: `skybridge --help` starts in half the time. Where it is kept,
// and why not in Node's default directory: `compile-cache.ts`. Failing to enable it only costs the speed.
enableCompileCache();
const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
