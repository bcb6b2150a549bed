import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * A new id: a UUIDv7 (RFC 9562), text, sortable by creation time. Within one process ids only grow, even
 * within one millisecond (a 12-bit counter in `rand_a`), so ordering by `(at, id)` keeps insertion order for
 * events stamped with the same injected-clock time. The time part is the wall clock on purpose: it is there for
 * uniqueness and index locality, not as a timestamp anyone reads (records carry their own `at` from the Clock).
 */
export function newId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    // Start low in the counter's range to leave room for many ids in the same millisecond.
    sequence = randomBytes(2).readUInt16BE() & 0x1ff;
  } else {
    ms = lastMs;
    sequence++;
    if (sequence > 0xfff) {
      ms++;
      sequence = 0;
    }
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
