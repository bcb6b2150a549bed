import net from 'node:net';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  bytes: number;
}

export interface LoadOptions {
  /** Absolute URL of request number i (http only; every request must go to the same host and port). */
  url: (i: number) => string;
  headers?: Record<string, string>;
  concurrency: number;
  durationMs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A closed-loop load generator: `concurrency` keep-alive connections, each sending its next request as soon as the
 * previous answer is complete, for `durationMs`.
 *
 * It speaks HTTP/1.1 over raw sockets and only finds each response's status and Content-Length, never decoding
 * the body. Node's own HTTP client costs more per response than the simulator does to produce it (it topped out
 * below a bare server's rate on this size of machine), so with it the benchmark would measure the client.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const first = new URL(options.url(0));
  const extra = Object.entries(options.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let bytes = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect({ host: first.hostname, port: Number(first.port || 80), noDelay: true });
      let head: Buffer = Buffer.alloc(0);
      let remaining = 0;
      let status = 0;
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= deadline) {
          socket.end();
          return;
        }
        const u = new URL(options.url(counter++));
        sentAt = performance.now();
        socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n${extra}\r\n`);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        let data = chunk;
        for (;;) {
          if (remaining > 0) {
            // Inside a body: skip bytes without keeping them.
            const take = Math.min(remaining, data.length);
            remaining -= take;
            data = data.subarray(take);
            if (remaining > 0) return;
            latencies.push(performance.now() - sentAt);
            if (status === 200) requests++;
            else errors++;
            send();
          }
          if (data.length === 0) return;
          head = head.length === 0 ? data : Buffer.concat([head, data]);
          const end = head.indexOf(HEADER_END);
          if (end < 0) return;
          const text = head.subarray(0, end).toString('latin1');
          status = Number(text.slice(9, 12));
          const match = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          if (!match) {
            errors++;
            socket.destroy();
            return;
          }
          remaining = Number(match[1]);
          bytes += remaining;
          data = head.subarray(end + 4);
          head = Buffer.alloc(0);
          if (remaining === 0) {
            latencies.push(performance.now() - sentAt);
            if (status === 200) requests++;
            else errors++;
            send();
          }
        }
      });
      socket.on('error', () => {
        errors++;
      });
      socket.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: options.concurrency }, connection));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { requests, errors, seconds, rps: requests / seconds, p50ms: pct(0.5), p99ms: pct(0.99), bytes };
}
