// faye ships no types; the reference brings our declaration into every program that compiles
// this file from source (apps type-check packages through the @ecars/source condition).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./faye.d.ts" />
/**
 * The CometD (Bayeux 1.0, long-polling) endpoint, built on faye's Node server: faye speaks the
 * protocol (handshake, connect held until delivery or timeout, subscribe/unsubscribe/disconnect,
 * client ids, expiry of clients that stop connecting); server extensions make it answer like
 * Salesforce's endpoint (auth, handshake `ext`, replay, error texts). faye's own fan-out
 * (`publish`) is not used: the streaming hub keeps a cursor per client and subscription and
 * hands each client its messages through the engine's per-client `deliver` — the one private
 * seam — because replay needs per-client positions in a durable log, which faye does not have.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import faye, { type BayeuxMessage, type FayeEngine, type NodeAdapter, type ServerExtension } from 'faye';
import { accessTokenOf } from '../auth/index.js';
import type { TokenStore } from '../auth/index.js';
import type { StreamingHub, PreparedSubscription } from './streaming-hub.js';
import { bayeuxErrors } from './streaming-errors.js';

const HANDSHAKE = '/meta/handshake';
const CONNECT = '/meta/connect';
const SUBSCRIBE = '/meta/subscribe';

/** What the endpoint needs. */
export interface CometdServerOptions {
  hub: StreamingHub;
  /** Verifies the `Authorization: OAuth|Bearer <token>` of every request. */
  tokens: TokenStore;
}

export class CometdServer {
  readonly #adapter: NodeAdapter;
  readonly #engine: FayeEngine;
  /** Clients faye knows: subscriptions are attached only for these (a client may expire mid-subscribe). */
  readonly #clients = new Set<string>();

  constructor(private readonly options: CometdServerOptions) {
    const { hub } = options;
    this.#adapter = new faye.NodeAdapter({ mount: '/cometd', timeout: hub.connectTimeoutMs / 1000 });
    this.#engine = this.#adapter._server._engine;
    this.#adapter.addExtension(authExtension(options.tokens));
    this.#adapter.addExtension(salesforceExtension());
    this.#adapter.addExtension(this.#replayExtension());
    this.#adapter.bind('handshake', (clientId) => this.#clients.add(clientId));
    this.#adapter.bind('disconnect', (clientId) => {
      this.#clients.delete(clientId);
      hub.drop(clientId);
    });
    this.#adapter.bind('unsubscribe', (clientId, channel) => hub.detach(clientId, channel));
    this.#adapter.bind('connection:open', (clientId) => hub.wake(clientId));
  }

  /** Answers one CometD HTTP request (its body unread). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    this.#adapter.handle(request, response);
  }

  /** Answers held connections and stops faye's timers. */
  close(): void {
    this.#adapter.close();
    this.#clients.clear();
  }

  /**
   * The replay extension: a `/meta/subscribe` is checked (channel, `ext.replay[channel]`) before
   * faye subscribes; on success the hub starts delivering from the checked cursor.
   */
  #replayExtension(): ServerExtension {
    const prepared = new Map<string, PreparedSubscription[]>();
    const key = (m: BayeuxMessage) => `${m.clientId ?? ''} ${m.id ?? ''}`;
    return {
      incoming: (message, _request, callback) => {
        if (message.channel !== SUBSCRIBE || message.error || !message.subscription || !message.clientId) {
          return callback(message);
        }
        const replay = (message.ext?.['replay'] ?? {}) as Record<string, unknown>;
        const channels = ([] as string[]).concat(message.subscription);
        Promise.all(channels.map((channel) => this.options.hub.prepare(channel, replay[channel])))
          .then((subscriptions) => prepared.set(key(message), subscriptions))
          .catch((err: Error) => (message.error = err.message))
          .finally(() => callback(message));
      },
      outgoing: (message, _request, callback) => {
        if (message.channel === SUBSCRIBE) {
          const subscriptions = prepared.get(key(message)) ?? [];
          prepared.delete(key(message));
          const clientId = message.clientId;
          if (message.successful && clientId && this.#clients.has(clientId)) {
            const sink = {
              ready: () => this.#engine.hasConnection(clientId),
              deliver: (messages: object[]) => this.#engine.deliver(clientId, messages),
            };
            for (const s of subscriptions) this.options.hub.attach(clientId, sink, s);
          }
        }
        callback(message);
      },
    };
  }
}

/**
 * Every message must come with a valid session (the REST guard normally answers 401 before faye
 * sees the request; this covers an org built without it). Salesforce's answers: a handshake is
 * denied with the reason in `ext.sfdc.failureReason`, anything else fails with
 * `401::Authentication invalid`; both advise `reconnect: none`, which jsforce's `AuthFailure`
 * extension reports.
 */
function authExtension(tokens: TokenStore): ServerExtension {
  const reasons = new WeakMap<IncomingMessage, string>();
  return {
    incoming(message, request, callback) {
      const token = accessTokenOf(request.headers.authorization);
      if (token === undefined || !tokens.verify(token)) {
        const reason = token === undefined ? bayeuxErrors.authenticationRequired() : bayeuxErrors.authenticationInvalid();
        reasons.set(request, reason);
        message.error = message.channel === HANDSHAKE ? bayeuxErrors.handshakeDenied() : reason;
      }
      callback(message);
    },
    outgoing(message, request, callback) {
      const reason = reasons.get(request);
      if (reason !== undefined && message.successful === false) {
        if (message.channel === HANDSHAKE) message.ext = { ...message.ext, sfdc: { failureReason: reason } };
        message.advice = { reconnect: 'none', interval: 0 };
      }
      callback(message);
    },
  };
}

/** Salesforce's handshake (long-polling only, replay supported), subscribe-only channels and error texts. */
function salesforceExtension(): ServerExtension {
  return {
    incoming(message, _request, callback) {
      // Clients subscribe only: events are published through the API, never over CometD.
      if (!message.channel.startsWith('/meta/')) message.error ??= bayeuxErrors.publishDenied(message.channel);
      if (message.channel === CONNECT && message.connectionType !== undefined && message.connectionType !== 'long-polling') {
        message.error ??= bayeuxErrors.invalidConnectionType(message.connectionType);
      }
      callback(message);
    },
    outgoing(message, _request, callback) {
      if (message.channel === HANDSHAKE && message.successful) {
        message.supportedConnectionTypes = ['long-polling'];
        message.minimumVersion = '1.0';
        message.ext = { ...message.ext, replay: true, 'payload.format': true };
      }
      if (message.error !== undefined && /^401:[^:]*:Unknown client$/.test(message.error)) {
        message.error = bayeuxErrors.unknownClient();
      }
      callback(message);
    },
  };
}
