/**
 * The part of `faye` 1.4 (no published types) the local org uses: the Node adapter, its server
 * extensions and events, and — one private seam, see `cometd-server.ts` — the engine's per-client
 * delivery. `Client` and `Subscription` are declared as jsforce's own (unreferenced) typings
 * declare them, so `conn.streaming.createClient()` stays typed in tests.
 */
declare module 'faye' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A Bayeux message, as faye passes it through extensions. */
  export interface BayeuxMessage {
    channel: string;
    id?: string;
    clientId?: string;
    successful?: boolean;
    error?: string;
    subscription?: string | string[];
    connectionType?: string;
    supportedConnectionTypes?: string[];
    version?: string;
    minimumVersion?: string;
    advice?: Record<string, unknown>;
    ext?: Record<string, unknown>;
    data?: unknown;
  }

  /**
   * A server extension. faye passes the HTTP request as second argument when the function declares
   * three parameters; passing `null` to the callback drops the message.
   */
  export interface ServerExtension {
    incoming?(message: BayeuxMessage, request: IncomingMessage, callback: (message: BayeuxMessage) => void): void;
    outgoing?(message: BayeuxMessage, request: IncomingMessage, callback: (message: BayeuxMessage) => void): void;
  }

  /** The engine (`Engine.Proxy`): client registry, held connections, delivery. */
  export interface FayeEngine {
    /** Seconds a `/meta/connect` is held; clients silent for twice this are destroyed. */
    readonly timeout: number;
    /** Queues `messages` on the client's held `/meta/connect`; false when it has none open. */
    deliver(clientId: string, messages: object[]): boolean;
    hasConnection(clientId: string): boolean;
  }

  export interface NodeAdapterOptions {
    /** Path prefix (only used by `attach`/`check`; the local org routes requests itself). */
    mount: string;
    /** Seconds to hold a `/meta/connect` open; also `advice.timeout`. @defaultValue 60 */
    timeout?: number;
  }

  /** Server-side engine events and their listeners' arguments. */
  export interface NodeAdapterEvents {
    handshake: [clientId: string];
    subscribe: [clientId: string, channel: string];
    unsubscribe: [clientId: string, channel: string];
    /** A client was destroyed: `/meta/disconnect`, or silent for twice the timeout. */
    disconnect: [clientId: string];
    /** A `/meta/connect` is now held for the client. */
    'connection:open': [clientId: string];
    'connection:close': [clientId: string];
  }

  export class NodeAdapter {
    constructor(options: NodeAdapterOptions);
    /** Answers one Bayeux HTTP request (POST JSON body, or GET `?message=` with JSONP). */
    handle(request: IncomingMessage, response: ServerResponse): void;
    addExtension(extension: ServerExtension): void;
    removeExtension(extension: ServerExtension): void;
    bind<E extends keyof NodeAdapterEvents>(event: E, listener: (...args: NodeAdapterEvents[E]) => void): void;
    unbind<E extends keyof NodeAdapterEvents>(event: E, listener?: (...args: NodeAdapterEvents[E]) => void): void;
    /** Flushes held connections and stops the engine's timers. */
    close(): void;
    /** Private in faye; read only by `cometd-server.ts`. */
    readonly _server: { readonly _engine: FayeEngine };
  }

  /** A client extension (jsforce's `StreamingExtension.Replay`/`AuthFailure` are these). */
  export interface ClientExtension {
    incoming?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
    outgoing?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
  }

  /** Resolves when the server acknowledged the subscription, rejects with its error. */
  export class Subscription extends Promise<void> {
    cancel(): void;
    unsubscribe(): void;
  }

  export class Client {
    constructor(url: string, options?: object);
    setHeader(name: string, value: string): void;
    addExtension(extension: ClientExtension | object): void;
    subscribe(channel: string, listener?: (message: unknown) => void): Subscription;
    unsubscribe(channel: string, subscription?: Subscription): void;
    /** Sends `/meta/disconnect` and stops polling. */
    disconnect(): void;
  }

  const faye: { NodeAdapter: typeof NodeAdapter; Client: typeof Client };
  export default faye;
}
