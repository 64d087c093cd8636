/**
 * What the feature modules (queries, collections, unit of work, bulk) need from the client. They
 * take this interface instead of the class so that each stays one concern and testable alone.
 */
import type { ClientLogger } from '../http/logger.js';
import type { ResolvedRetryOptions } from '../http/retry.js';
import type { RequestSpec, ResponseData } from '../http/transport.js';
import type { SchemaIndex } from '../schema/schema-index.js';

export interface RequestBehaviour {
  /**
   * The request can be sent again without changing the result (reads, updates, upserts): it is
   * retried also when its outcome is unknown (connection reset after sending). Non-idempotent
   * requests are retried only on errors that prove nothing was applied.
   */
  idempotent: boolean;
  /** Overrides the client's attempts (1 = no retry). */
  maxAttempts?: number;
}

export interface ClientCore {
  readonly apiVersion: string;
  readonly schema: SchemaIndex;
  readonly logger: ClientLogger;
  readonly retryOptions: ResolvedRetryOptions;
  /** `/services/data/v<apiVersion><path>` */
  dataPath(path: string): string;
  /** One exchange (one resend after a session renewal), no retry. */
  send<T>(spec: RequestSpec): Promise<ResponseData<T>>;
  /** An exchange with the client's retry policy. */
  request<T>(spec: RequestSpec, behaviour: RequestBehaviour): Promise<ResponseData<T>>;
  /** Counts a retry the caller made itself (unit of work, collections), for `stats`. */
  countRetry(): void;
}
