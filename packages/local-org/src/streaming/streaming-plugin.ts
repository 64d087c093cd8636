/**
 * Streaming for the org's HTTP server: the CometD endpoint `/cometd/<version>` (what jsforce's
 * `conn.streaming` and empApi talk to) and the `streaming` decorator, the org's
 * {@link StreamingHub}. Wrapped in fastify-plugin so the decorator reaches the app that registers
 * it; the routes live in an encapsulated child, whose body parser hands the request stream to
 * faye unread and whose `onSend` turns the session guard's 401 into a Bayeux answer.
 * Needs `authPlugin` registered first (its guard covers `/cometd/`, and its token store is used).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { OrgRuntime } from '../org-runtime.js';
import { CometdServer } from './cometd-server.js';
import { bayeuxErrors } from './streaming-errors.js';
import { StreamingHub, type StreamingOptions } from './streaming-hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The org's streaming hub: in-process subscribe/publish, retention, reset. */
    streaming: StreamingHub;
  }
}

export interface StreamingPluginOptions extends StreamingOptions {
  org: OrgRuntime;
}

async function streamingPluginImpl(app: FastifyInstance, opts: StreamingPluginOptions): Promise<void> {
  const { org, ...options } = opts;
  const hub = new StreamingHub(org, options, app.log);
  await hub.start();
  const cometd = new CometdServer({ hub, tokens: app.tokenStore });
  app.decorate('streaming', hub);
  // Runs before the server stops accepting: held /meta/connect requests are answered, timers stop.
  app.addHook('onClose', async () => {
    cometd.close();
    hub.close();
  });

  await app.register(async (endpoint) => {
    endpoint.removeAllContentTypeParsers();
    endpoint.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    // The guard (authPlugin) answered 401 before the body was read. Salesforce's CometD clients
    // read Bayeux replies whatever the status, so answer one: a denied handshake whose
    // `reconnect: none` advice stops the client retrying (and trips jsforce's AuthFailure).
    endpoint.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 401) return payload;
      const reason = request.headers.authorization ? bayeuxErrors.authenticationInvalid() : bayeuxErrors.authenticationRequired();
      reply.header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify([
        {
          channel: '/meta/handshake',
          successful: false,
          error: bayeuxErrors.handshakeDenied(),
          ext: { sfdc: { failureReason: reason } },
          advice: { reconnect: 'none' },
        },
      ]);
    });

    const handle = async (request: FastifyRequest<{ Params: { version: string } }>, reply: FastifyReply) => {
      const { version } = request.params;
      if (!org.apiVersions.includes(version)) {
        const newest = org.apiVersions[org.apiVersions.length - 1] ?? '';
        return reply.code(400).send([{ successful: false, error: bayeuxErrors.unsupportedVersion(org.apiVersions[0] ?? '', newest) }]);
      }
      reply.hijack();
      cometd.handle(request.raw, reply.raw);
      return reply;
    };
    endpoint.route({ method: ['GET', 'POST'], url: '/cometd/:version', handler: handle });
    endpoint.route({ method: ['GET', 'POST'], url: '/cometd/:version/*', handler: handle });
  });
}

/** Registers `/cometd/<version>` and the `streaming` decorator; see {@link StreamingPluginOptions}. */
export const streamingPlugin = fp(streamingPluginImpl, {
  name: 'local-org-streaming',
  fastify: '5.x',
  dependencies: ['local-org-auth'],
});
