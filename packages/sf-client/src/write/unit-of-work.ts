/**
 * `client.commitUnits(units)`: any number of units, each committed all-or-none as its own
 * composite graph, graphs packed into requests (≤ 500 nodes, ≤ 75 graphs, ≤ 15 node types),
 * requests run with bounded concurrency. With `shareGraphs` the units of a request share ONE graph
 * (up to 500 nodes: three times the units per request for 3-record units); when one unit of a
 * shared graph fails, the others were rolled back with it and are resent at once, each in its own
 * graph, so a unit is still written whole or not at all and a bad unit costs its neighbours one
 * extra request, never their write. Fixes what the AppLink SDK's `commitUnitOfWork` gets
 * wrong for batch work: one graph for everything (a real org rejects it above 500 nodes, and one
 * bad record sinks every unit), the lost cause (`PROCESSING_HALTED` instead of the failing node's
 * error), and no retries.
 *
 * Per request, each unit ends in one of:
 * - committed: its ids by reference id;
 * - failed for good: the real error of its failing node (validation, missing field, …);
 * - retry: the whole request failed with an error that proves nothing was applied (limit,
 *   503, row lock), or its own graph failed on a row lock, or it was halted unrun by the
 *   14-failed-graphs cut-off. Only these units are resent, re-packed, after a backoff.
 *   A unit that runs out of attempts this way is reported with `retryable: true`: nothing of it
 *   was written and a later commit (a retried job, after an outage) may succeed.
 * - unknown: the answer was lost (connection reset, timeout). The idempotency rule: with
 *   `keyField`, the client first queries which unit keys exist and reports those units committed
 *   (`recovered`), then resends only the others; a unit whose root the org refuses as a duplicate
 *   key is looked up the same way. The field must be UNIQUE: if a lost request is still running
 *   when the check reads, the resend's root hits the unique index and the unit is recovered
 *   instead of duplicated. Without `keyField` such units fail with `OUTCOME_UNKNOWN`, unsent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientCore } from '../client/client-core.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceApiError } from '../errors/salesforce-api-error.js';
import { mapWithConcurrency } from '../http/limiter.js';
import { backoffDelay, classifyError } from '../http/retry.js';
import { buildGraph, type BuiltGraph } from './graph-builder.js';
import { graphRequestBody, isShareable, packGraphs, type Payload } from './graph-packer.js';
import { readGraphResponse } from './graph-result.js';
import { findWrittenUnits } from './recovery.js';
import type { CommitProgress, CommitUnitsOptions, Unit, UnitError, UnitResult } from './unit.js';

/** Node errors after which the graph was rolled back and can simply be sent again. */
const RETRYABLE_NODE_ERRORS = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

export async function commitUnits(core: ClientCore, units: readonly Unit[], options: CommitUnitsOptions = {}): Promise<UnitResult[]> {
  const { keyField } = options;
  if (keyField !== undefined && !IDENTIFIER.test(keyField)) throw new TypeError(`keyField must be a field API name, got ${keyField}`);
  const commit = new UnitCommit(core, units, options);
  const graphs = commit.buildGraphs();
  const toSend = await commit.skipWritten(graphs);
  await mapWithConcurrency(commit.toPayloads(toSend), options.concurrency ?? 4, (payload) => commit.commitPayload(payload));
  return commit.results;
}

/** What one request did to its units: those to send again after a backoff, and those to resend at once. */
interface SendOutcome {
  retry: BuiltGraph[];
  resendNow: BuiltGraph[];
}

/**
 * The state of one `commitUnits` call and its steps, in the order they run: build the graphs,
 * skip the units already written (precheck), pack, send each payload and follow up on what it
 * left over (resend at once, retry after a backoff, recover by key).
 */
class UnitCommit {
  readonly results: UnitResult[];
  readonly #progress: CommitProgress;
  readonly #maxAttempts: number;
  readonly #packLimits: { maxNodes?: number; maxGraphs?: number };
  // Sends of a unit, and those charged against maxAttempts: a unit that was only rolled back with
  // another unit of its shared graph, or halted unrun while other graphs of its request got their
  // outcome, is not at fault and is resent at once, uncharged (its request made progress, so this
  // ends). Units halted in a request where nothing ran are charged and resent after a backoff.
  readonly #attempts = new Map<BuiltGraph, number>();
  readonly #charged = new Map<BuiltGraph, number>();
  readonly #lastError = new Map<BuiltGraph, UnitError>();
  /** Units rolled back with another unit of a shared graph: from then on sent in graphs of their own. */
  readonly #alone = new Set<BuiltGraph>();

  constructor(
    private readonly core: ClientCore,
    private readonly units: readonly Unit[],
    private readonly options: CommitUnitsOptions,
  ) {
    this.results = new Array<UnitResult>(units.length);
    this.#progress = { total: units.length, done: 0, succeeded: 0, failed: 0, requests: 0, retries: 0, recovered: 0 };
    this.#maxAttempts = options.maxAttempts ?? core.retryOptions.maxAttempts;
    this.#packLimits = {
      ...(options.maxNodesPerRequest ? { maxNodes: options.maxNodesPerRequest } : {}),
      ...(options.maxGraphsPerRequest ? { maxGraphs: options.maxGraphsPerRequest } : {}),
    };
  }

  /** Step 1: a graph per unit; units with a duplicate key or that cannot be sent are finished failed. */
  buildGraphs(): BuiltGraph[] {
    const graphs: BuiltGraph[] = [];
    const keys = new Set<string>();
    this.units.forEach((unit, index) => {
      if (keys.has(unit?.key)) {
        this.#finish(index, { ok: false, ids: {}, attempts: 0, error: { errorCode: ClientErrorCode.INVALID_UNIT, message: `duplicate unit key ${unit.key}`, fields: [] } });
        return;
      }
      keys.add(unit?.key);
      const built = buildGraph(unit, index, this.core.apiVersion, this.options.keyField);
      if (built.ok) graphs.push(built.graph);
      else this.#finish(index, { ok: false, ids: {}, attempts: 0, error: built.error });
    });
    return graphs;
  }

  /**
   * Step 2 (with `precheck` and `keyField`): a rerun of work that may be partly written reports the
   * units found by key written first, so that their roots do not fail as duplicates one graph at a
   * time. Returns the units still to send.
   */
  async skipWritten(graphs: BuiltGraph[]): Promise<BuiltGraph[]> {
    const { keyField } = this.options;
    if (!this.options.precheck || !keyField || graphs.length === 0) return graphs;
    const found = await findWrittenUnits(this.core, graphs, keyField);
    for (const [g, ids] of found) this.#finish(g, { ok: true, ids, recovered: true, attempts: 0 });
    if (found.size > 0) this.core.logger.info({ checked: graphs.length, found: found.size }, 'salesforce: units already written, not sent');
    return graphs.filter((g) => !found.has(g));
  }

  /** Step 3: the requests of `units`: shared graphs where allowed, one graph per unit otherwise. */
  toPayloads(units: BuiltGraph[]): Payload[] {
    if (!this.options.shareGraphs) return packGraphs(units, this.#packLimits).map((graphs) => ({ graphs, shared: false }));
    const sharing = units.filter((g) => !this.#alone.has(g) && isShareable(g));
    const single = units.filter((g) => this.#alone.has(g) || !isShareable(g));
    return [
      ...packGraphs(sharing, { ...this.#packLimits, shared: true }).map((graphs) => ({ graphs, shared: graphs.length > 1 })),
      ...packGraphs(single, this.#packLimits).map((graphs) => ({ graphs, shared: false })),
    ];
  }

  /**
   * Step 4: a payload and what follows from it: units rolled back with another unit of a shared
   * graph are resent at once, each in its own graph; retryable ones are re-packed among themselves
   * after a backoff.
   */
  async commitPayload(payload: Payload): Promise<void> {
    let { retry: pending, resendNow } = await this.#send(payload);
    for (let retry = 1; pending.length > 0 || resendNow.length > 0; ) {
      const next: SendOutcome = { retry: [], resendNow: [] };
      if (resendNow.length > 0) await this.#resend(resendNow, next);
      if (pending.length > 0) {
        const delayMs = backoffDelay(retry, this.core.retryOptions);
        this.core.logger.warn(
          { units: pending.length, retry, delayMs, reason: this.#lastError.get(pending[0]!)?.errorCode ?? 'PROCESSING_HALTED' },
          'salesforce: retrying units',
        );
        retry += 1;
        if (delayMs > 0) await sleep(delayMs, undefined, this.options.signal ? { signal: this.options.signal } : {}).catch(() => undefined);
        await this.#resend(pending, next);
      }
      pending = next.retry;
      resendNow = next.resendNow;
    }
  }

  /** Re-packs `units` and sends them, collecting what is left over into `into`. */
  async #resend(units: BuiltGraph[], into: SendOutcome): Promise<void> {
    for (const repacked of this.toPayloads(units)) {
      this.#progress.retries += 1;
      this.core.countRetry();
      const r = await this.#send(repacked);
      into.retry.push(...r.retry);
      into.resendNow.push(...r.resendNow);
    }
  }

  /** Sends one payload; returns the units to send again after a backoff, and those to resend now. */
  async #send(payload: Payload): Promise<SendOutcome> {
    if (this.options.signal?.aborted) {
      const error: UnitError = { errorCode: ClientErrorCode.ABORTED, message: 'the commit was aborted before this unit was sent', fields: [] };
      for (const g of payload.graphs) this.#finish(g, { ok: false, ids: {}, error, attempts: this.#attempts.get(g) ?? 0, retryable: true });
      return { retry: [], resendNow: [] };
    }
    for (const g of payload.graphs) {
      this.#attempts.set(g, (this.#attempts.get(g) ?? 0) + 1);
      this.#charged.set(g, (this.#charged.get(g) ?? 0) + 1);
    }
    this.#progress.requests += 1;
    const outcome: SendOutcome = { retry: [], resendNow: [] };
    try {
      const { body } = await this.core.send<unknown>({ method: 'POST', path: this.core.dataPath('/composite/graph'), json: graphRequestBody(payload) });
      await this.#applyGraphOutcomes(payload, body, outcome);
    } catch (error) {
      await this.#applyRequestFailure(payload, error, outcome);
    }
    const again = this.#withinBudget(outcome.retry);
    this.options.onProgress?.({ ...this.#progress });
    return { retry: again, resendNow: outcome.resendNow };
  }

  /** The request was answered: each unit's own outcome (committed, failed, rolled back, halted). */
  async #applyGraphOutcomes(payload: Payload, body: unknown, into: SendOutcome): Promise<void> {
    const { keyField } = this.options;
    const duplicates: BuiltGraph[] = [];
    const outcomes = readGraphResponse(payload, body);
    const progressed = [...outcomes.values()].some((o) => o.kind === 'committed' || o.kind === 'failed');
    for (const [graph, outcome] of outcomes) {
      if (outcome.kind === 'committed') this.#finish(graph, { ok: true, ids: outcome.ids, attempts: this.#attempts.get(graph)! });
      else if (outcome.kind === 'rolled-back' || (outcome.kind === 'not-run' && progressed)) {
        if (outcome.kind === 'rolled-back') this.#alone.add(graph);
        this.#charged.set(graph, this.#charged.get(graph)! - 1);
        into.resendNow.push(graph);
      } else if (outcome.kind === 'not-run') into.retry.push(graph);
      else if (keyField && isDuplicateKey(graph, outcome.error, keyField)) {
        this.#lastError.set(graph, outcome.error);
        duplicates.push(graph);
      } else if (RETRYABLE_NODE_ERRORS.has(outcome.error.errorCode)) {
        this.#lastError.set(graph, outcome.error);
        into.retry.push(graph);
      } else this.#finish(graph, { ok: false, ids: {}, error: outcome.error, attempts: this.#attempts.get(graph)! });
    }
    if (duplicates.length > 0) await this.#recover(duplicates, keyField!, false);
  }

  /** The whole request failed: retry what was not applied, recover what may have been, fail the rest. */
  async #applyRequestFailure(payload: Payload, error: unknown, into: SendOutcome): Promise<void> {
    const { keyField } = this.options;
    const retryability = classifyError(error);
    const unitError = toUnitError(error);
    if (retryability === 'not-applied') {
      for (const g of payload.graphs) this.#lastError.set(g, unitError);
      into.retry.push(...payload.graphs);
    } else if (retryability === 'unknown-outcome' && keyField) {
      for (const g of payload.graphs) this.#lastError.set(g, unitError);
      into.retry.push(...(await this.#recover(payload.graphs, keyField, true)));
    } else {
      const final: UnitError =
        retryability === 'unknown-outcome'
          ? {
              errorCode: ClientErrorCode.OUTCOME_UNKNOWN,
              message: `the answer to the commit was lost (${unitError.errorCode}: ${unitError.message}); the unit may or may not be written. Not resent: without keyField a resend could write it twice.`,
              fields: [],
            }
          : unitError;
      for (const g of payload.graphs) this.#finish(g, { ok: false, ids: {}, error: final, attempts: this.#attempts.get(g)! });
    }
  }

  /** Units to retry that still have attempts left; the others are finished with their last error. */
  #withinBudget(retry: BuiltGraph[]): BuiltGraph[] {
    const again: BuiltGraph[] = [];
    for (const g of retry) {
      if (this.#charged.get(g)! < this.#maxAttempts) again.push(g);
      else {
        const error = this.#lastError.get(g) ?? { errorCode: 'PROCESSING_HALTED', message: 'the graph was halted and never run', fields: [] };
        // Every send was refused with an error that proves nothing was written: a later commit may succeed.
        this.#finish(g, { ok: false, ids: {}, error, attempts: this.#attempts.get(g)!, retryable: true });
      }
    }
    return again;
  }

  /**
   * Looks `candidates` up by key: found ones are finished as committed (recovered). Returns those not
   * found: to resend when the outcome was unknown, failed with their duplicate error otherwise.
   */
  async #recover(candidates: BuiltGraph[], field: string, resendMissing: boolean): Promise<BuiltGraph[]> {
    let found: Map<BuiltGraph, Record<string, string>>;
    try {
      found = await findWrittenUnits(this.core, candidates, field);
    } catch (error) {
      const cause = toUnitError(error);
      const final: UnitError = {
        errorCode: ClientErrorCode.OUTCOME_UNKNOWN,
        message: `could not check whether the unit was written (${cause.errorCode}: ${cause.message}); not resent`,
        fields: [],
      };
      for (const g of candidates) this.#finish(g, { ok: false, ids: {}, error: final, attempts: this.#attempts.get(g)! });
      return [];
    }
    const missing: BuiltGraph[] = [];
    for (const g of candidates) {
      const ids = found.get(g);
      if (ids) this.#finish(g, { ok: true, ids, recovered: true, attempts: this.#attempts.get(g)! });
      else if (resendMissing) missing.push(g);
      else this.#finish(g, { ok: false, ids: {}, error: this.#lastError.get(g)!, attempts: this.#attempts.get(g)! });
    }
    this.core.logger.info({ checked: candidates.length, found: found.size }, 'salesforce: looked up units by key');
    return missing;
  }

  /** Records a unit's final result and counts it. */
  #finish(graphOrIndex: BuiltGraph | number, result: Omit<UnitResult, 'key'>): void {
    const index = typeof graphOrIndex === 'number' ? graphOrIndex : graphOrIndex.index;
    this.results[index] = { key: this.units[index]!.key, ...result };
    const progress = this.#progress;
    progress.done += 1;
    if (result.ok) progress.succeeded += 1;
    else progress.failed += 1;
    if (result.recovered) progress.recovered += 1;
  }
}

/** The root record was refused because its key already exists. */
function isDuplicateKey(graph: BuiltGraph, error: UnitError, keyField: string): boolean {
  if (error.errorCode !== 'DUPLICATE_VALUE' || error.referenceId !== graph.unit.records[0]!.ref) return false;
  const field = keyField.toLowerCase();
  return (error.fields ?? []).some((f) => f.toLowerCase() === field) || error.message.toLowerCase().includes(field);
}

function toUnitError(error: unknown): UnitError {
  if (error instanceof SalesforceApiError) {
    return { errorCode: error.errorCode, message: error.message, fields: error.fields, status: error.status };
  }
  const e = error as { errorCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.errorCode === 'string' ? e.errorCode : 'UNKNOWN_ERROR';
  const detail = typeof e.code === 'string' ? ` (${e.code})` : '';
  return { errorCode: code, message: `${String(e.message ?? error)}${detail}`, fields: [] };
}
