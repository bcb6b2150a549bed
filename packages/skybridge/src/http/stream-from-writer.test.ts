import { describe, expect, it } from 'vitest';
import { err, ok } from '../domain/result.ts';
import { StreamCancelledError, streamFromWriter } from './stream-from-writer.ts';

/** Lets every pending promise and I/O callback run: a turn of the event loop, not a wait on the clock. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const KB = 'x'.repeat(1024);

/** A producer of `count` 1 KiB chunks that counts what it has handed over, and remembers how it ended. */
function producer(count: number) {
  const state = { written: 0, ended: undefined as 'done' | 'cancelled' | undefined };
  const produce = async (write: (chunk: string) => Promise<void>) => {
    try {
      for (let i = 0; i < count; i++) {
        await write(KB);
        state.written++;
      }
      state.ended = 'done';
      return ok(count);
    } catch (e) {
      if (e instanceof StreamCancelledError) state.ended = 'cancelled';
      throw e;
    }
  };
  return { state, produce };
}

describe('streamFromWriter', () => {
  it('holds the producer back while the client is not reading (backpressure), and delivers every byte', async () => {
    const { state, produce } = producer(100);
    const result = await streamFromWriter(produce, { highWaterMarkBytes: 2048 });
    if (!result.ok) throw new Error('expected a stream');
    await settle();
    // Nobody reads: the queue fills to the high-water mark and the producer waits, far short of 100 chunks.
    expect(state.written).toBeLessThanOrEqual(2);
    const reader = result.value.getReader();
    await reader.read();
    await settle();
    expect(state.written).toBeLessThanOrEqual(3);
    let bytes = 1024;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    expect(bytes).toBe(100 * 1024);
    expect(state).toEqual({ written: 100, ended: 'done' });
  });

  it('answers with the error when the producer fails before its first chunk', async () => {
    const result = await streamFromWriter(() => Promise.resolve(err({ code: 'not_found' })));
    expect(result).toEqual({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects when the producer throws before its first chunk (a bug: the caller answers 500)', async () => {
    await expect(streamFromWriter(() => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });

  it('gives an empty stream when the producer writes nothing', async () => {
    const result = await streamFromWriter(() => Promise.resolve(ok(0)));
    if (!result.ok) throw new Error('expected a stream');
    expect(await new Response(result.value).text()).toBe('');
  });

  it('aborts the stream, without the failure message, when the producer fails after the first chunk', async () => {
    const seen: unknown[] = [];
    const result = await streamFromWriter(
      async (write) => {
        await write('first line\n');
        throw new Error('database gone: password=hunter2');
      },
      { onError: (e) => seen.push(e) },
    );
    if (!result.ok) throw new Error('expected a stream');
    const reading = new Response(result.value).text();
    await expect(reading).rejects.toThrow(/aborted/);
    await expect(reading).rejects.not.toThrow(/hunter2/);
    expect(seen).toHaveLength(1);
    expect(String(seen[0])).toContain('database gone');
  });

  it('stops the producer when the client goes away, without reporting an error', async () => {
    const { state, produce } = producer(1000);
    const seen: unknown[] = [];
    const result = await streamFromWriter(produce, { highWaterMarkBytes: 2048, onError: (e) => seen.push(e) });
    if (!result.ok) throw new Error('expected a stream');
    const reader = result.value.getReader();
    await reader.read();
    await reader.cancel();
    await settle();
    expect(state.ended).toBe('cancelled');
    expect(state.written).toBeLessThan(10);
    expect(seen).toEqual([]);
  });
});
