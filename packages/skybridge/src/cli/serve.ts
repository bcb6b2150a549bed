import type { Config } from '../config.ts';
import { EXIT } from './cli-io.ts';
import type { Command } from './command.ts';
import { describeUnexpected } from './output.ts';
import { flagString } from './parse-args.ts';
import { parsePort } from './flag-values.ts';

export const serve: Command = {
  path: ['serve'],
  summary: 'run the hub: the HTTP API and the periodic health check',
  positionals: [],
  usage: '[--host H] [--port P]',
  details: [
    'Listens on $SKYBRIDGE_HOST:$SKYBRIDGE_PORT (default 127.0.0.1:8080) unless --host/--port say otherwise.',
    'On the very first start it creates the owner API token and prints it once. Stops cleanly on SIGINT/SIGTERM.',
  ].join('\n'),
  flags: {
    host: { type: 'string', help: 'address to listen on (default $SKYBRIDGE_HOST or 127.0.0.1)' },
    port: { type: 'string', help: 'port to listen on; 0 picks a free one (default $SKYBRIDGE_PORT or 8080)' },
  },
  async run(ctx, args) {
    const overrides: Partial<Config> = {};
    const host = flagString(args, 'host');
    if (host !== undefined) {
      if (host.trim() === '') return ctx.out.usage(['--host: must not be empty'], ctx.commandLine);
      overrides.host = host;
    }
    const portText = flagString(args, 'port');
    if (portText !== undefined) {
      const port = parsePort(portText);
      if (!port.ok) return ctx.out.usage([port.error], ctx.commandLine);
      overrides.port = port.value;
    }
    return ctx.withHub(async (hub) => {
      const owner = await hub.apiTokens.ensureOwner('system');
      if (owner.created) {
        // Printed once, here, and never again: only its hash is stored.
        ctx.out.say('');
        ctx.out.say('================================================================================');
        ctx.out.say(' First start: created the owner API token. Copy it now; it will not be shown again.');
        ctx.out.say('');
        ctx.out.say(`   ${owner.token}`);
        ctx.out.say('');
        ctx.out.say(' Use it as "Authorization: Bearer <token>". Create more with `skybridge tokens create`.');
        ctx.out.say('================================================================================');
        ctx.out.say('');
      }
      let server;
      try {
        server = await ctx.deps.startHttpServer(hub, { host: hub.config.host, port: hub.config.port });
      } catch (e) {
        return ctx.out.fail(
          {
            code: 'listen_failed',
            message: `could not listen on ${hub.config.host}:${hub.config.port}: ${describeUnexpected(e)}`,
          },
          EXIT.failed,
        );
      }
      hub.start();
      ctx.out.say(`Skybridge is listening on ${server.url}  (Ctrl-C to stop)`);
      const signal = await ctx.deps.waitForShutdown();
      ctx.out.say(`Received ${signal}; stopping…`);
      await server.close();
      ctx.out.say('Stopped.');
      return EXIT.ok;
    }, overrides);
  },
};
