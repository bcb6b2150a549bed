import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';

/**
 * Turns a producer that pushes text through an awaited `write` callback (the sync export) into a byte stream a
 * Response can send, with backpressure: `write` does not resolve while the stream's queue is full, so a slow client
 * slows the producer (and its database reads) instead of the server buffering the whole export.
 *
 * The result waits for the producer's first chunk: a producer that fails before writing anything (an unknown
 * connection) is still answered with a proper error status. After that the status line has gone, so a later failure
 * can only abort the stream; `onError` is told, for the log.
 */

/** Bytes queued ahead of the client before `write` waits. Default 64 KiB. */
export const DEFAULT_STREAM_HIGH_WATER_MARK = 64 * 1024;

export interface WriterStreamOptions {
  /** See {@link DEFAULT_STREAM_HIGH_WATER_MARK}. */
  highWaterMarkBytes?: number;
  /** A failure after the first chunk (the stream is aborted), or a producer that rejected. */
  onError?: (error: unknown) => void;
}

/** Thrown into the producer by `write` once the client has gone, so it stops reading. */
export class StreamCancelledError extends Error {
  override name = 'StreamCancelledError' as const;

  constructor() {
    super('The client stopped reading the stream.');
  }
}

/** What the stream is aborted with: deliberately bare, since whatever reads it may log it. */
const ABORTED = (): Error => new Error('The stream was aborted by a server-side failure.');

export function streamFromWriter<E>(
  produce: (write: (chunk: string) => Promise<void>) => Promise<Result<unknown, E>>,
  options: WriterStreamOptions = {},
): Promise<Result<ReadableStream<Uint8Array>, E>> {
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let cancelled = false;
  let resume: (() => void) | undefined;
  const wake = () => {
    const r = resume;
    resume = undefined;
    r?.();
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      // Called whenever the queue drops below the high-water mark: the producer may go on.
      pull: wake,
      cancel: () => {
        cancelled = true;
        wake();
      },
    },
    { highWaterMark: options.highWaterMarkBytes ?? DEFAULT_STREAM_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );

  return new Promise((resolve, reject) => {
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      resolve(ok(stream));
    };

    const write = async (chunk: string): Promise<void> => {
      if (cancelled || controller === undefined) throw new StreamCancelledError();
      if (chunk.length > 0) controller.enqueue(encoder.encode(chunk));
      open();
      for (;;) {
        const room = controller.desiredSize;
        // null once the stream has errored: treated like a client that left.
        if (cancelled || room === null) throw new StreamCancelledError();
        if (room > 0) return;
        await new Promise<void>((r) => (resume = r));
      }
    };

    const abort = (error: unknown) => {
      options.onError?.(error);
      try {
        controller?.error(ABORTED());
      } catch {
        // Already closed or errored by the client leaving: nothing left to abort.
      }
    };

    produce(write).then(
      (result) => {
        if (!result.ok) {
          if (!opened) {
            opened = true;
            resolve(err(result.error));
          } else abort(result.error);
          return;
        }
        open();
        if (!cancelled) controller?.close();
      },
      (error: unknown) => {
        if (!opened) {
          opened = true;
          reject(error instanceof Error ? error : new Error('The stream producer failed.'));
        } else if (!(error instanceof StreamCancelledError)) abort(error);
      },
    );
  });
}
