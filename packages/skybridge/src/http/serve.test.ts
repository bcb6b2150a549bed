import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createHttpApp } from './create-http-app.ts';
import { serveHttp } from './serve.ts';
import { createFakeHub } from './testing/fake-hub.ts';

describe('serveHttp', () => {
  it('listens on 127.0.0.1 by default, on a free port, and serves the app until closed', async () => {
    const server = await serveHttp(createHttpApp(createFakeHub()));
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/api/v1/openapi.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/v1/openapi.json`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const app = new Hono().get('/', (c) => c.text('ok'));
    const first = await serveHttp(app);
    try {
      const port = Number(new URL(first.url).port);
      await expect(serveHttp(app, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
