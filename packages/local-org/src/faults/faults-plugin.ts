/**
 * Latency and fault injection for the org's REST API. Per eligible call the injector decides once,
 * in `preHandler` (after routing, body parsing and the session guard):
 * - answered faults (503, REQUEST_LIMIT_EXCEEDED, UNABLE_TO_LOCK_ROW) and `reset` stop the call
 *   there, so the handler never runs and nothing is half-applied;
 * - `applied-reset` lets the handler run and commit, then destroys the connection in `onSend`
 *   instead of answering.
 * Latency is awaited in `onSend`, i.e. after the handler set `request.recordsWritten` and before
 * the response leaves. Wrapped in fastify-plugin so the hooks cover the API routes of the app that
 * registers it and the `faults`/`recordsWritten` decorators reach it.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { FaultInjector } from './fault-injector.js';
import type { FaultKind, FaultOptions } from './fault-options.js';
import { faultResponse } from './fault-responses.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The injector: `stats()`, `setOptions()`, `reset()`. */
    faults: FaultInjector;
  }
  interface FastifyRequest {
    /**
     * Records the call wrote (inserted, updated, deleted); write handlers set it so that
     * `latencyPerRecordMs` applies. 0 for reads.
     */
    recordsWritten: number;
  }
}

export interface FaultsPluginOptions extends FaultOptions {
  /**
   * An injector to use (and keep controlling from outside); the other options are then ignored.
   * @defaultValue a new `FaultInjector` from the other options
   */
  injector?: FaultInjector;
}

async function faultsPluginImpl(app: FastifyInstance, opts: FaultsPluginOptions): Promise<void> {
  const { injector: given, ...options } = opts;
  const injector = given ?? new FaultInjector(options);
  // The decision of each eligible call, made once in preHandler and read again in onSend.
  const decisions = new WeakMap<FastifyRequest, FaultKind | null>();

  app.decorate('faults', injector);
  app.decorateRequest('recordsWritten', 0);

  app.addHook('preHandler', async (request, reply) => {
    if (!injector.isEligible(request.method, request.url)) return undefined;
    const fault = injector.decide();
    decisions.set(request, fault);
    if (fault === null) return undefined;
    const path = request.url.split('?', 1)[0] ?? '';
    // Method and path only: headers (the bearer token) and bodies stay out of the log.
    request.log.info({ fault, method: request.method, path }, 'local-org: injected fault');
    if (fault === 'applied-reset') return undefined;
    if (fault === 'reset') {
      reply.hijack();
      reply.raw.destroy();
      return reply;
    }
    const { status, body } = faultResponse(fault, path, request.body);
    return reply.code(status).send(body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!decisions.has(request)) return payload;
    const delay = injector.latencyFor(request.recordsWritten);
    if (delay > 0) {
      request.log.debug({ latencyMs: Math.round(delay), recordsWritten: request.recordsWritten }, 'local-org: added latency');
      await sleep(delay);
    }
    if (decisions.get(request) === 'applied-reset') {
      // The handler has committed; losing the response is the point. Resuming only once the
      // response has closed means the client has already seen the reset when Fastify goes on to
      // write, and those writes to a closed response are dropped.
      const closed = once(reply.raw, 'close');
      reply.raw.destroy();
      await closed;
    }
    return payload;
  });
}

/** Registers latency and fault injection; see {@link FaultsPluginOptions}. */
export const faultsPlugin = fp(faultsPluginImpl, { name: 'local-org-faults', fastify: '5.x' });
