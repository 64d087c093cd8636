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
  const maxAttempts = options.maxAttempts ?? core.retryOptions.maxAttempts;
  const results: UnitResult[] = new Array(units.length);
  const progress: CommitProgress = { total: units.length, done: 0, succeeded: 0, failed: 0, requests: 0, retries: 0, recovered: 0 };

  const finish = (graphOrIndex: BuiltGraph | number, result: Omit<UnitResult, 'key'>) => {
    const index = typeof graphOrIndex === 'number' ? graphOrIndex : graphOrIndex.index;
    results[index] = { key: units[index]!.key, ...result };
    progress.done += 1;
    if (result.ok) progress.succeeded += 1;
    else progress.failed += 1;
    if (result.recovered) progress.recovered += 1;
  };

  const graphs: BuiltGraph[] = [];
  const keys = new Set<string>();
  units.forEach((unit, index) => {
    if (keys.has(unit?.key)) {
      finish(index, { ok: false, ids: {}, attempts: 0, error: { errorCode: ClientErrorCode.INVALID_UNIT, message: `duplicate unit key ${unit.key}`, fields: [] } });
      return;
    }
    keys.add(unit?.key);
    const built = buildGraph(unit, index, core.apiVersion, keyField);
    if (built.ok) graphs.push(built.graph);
    else finish(index, { ok: false, ids: {}, attempts: 0, error: built.error });
  });

  // Sends of a unit, and those charged against maxAttempts: a unit that was only rolled back with
  // another unit of its shared graph, or halted unrun while other graphs of its request got their
  // outcome, is not at fault and is resent at once, uncharged (its request made progress, so this
  // ends). Units halted in a request where nothing ran are charged and resent after a backoff.
  const attempts = new Map<BuiltGraph, number>();
  const charged = new Map<BuiltGraph, number>();
  const lastError = new Map<BuiltGraph, UnitError>();
  const packLimits = {
    ...(options.maxNodesPerRequest ? { maxNodes: options.maxNodesPerRequest } : {}),
    ...(options.maxGraphsPerRequest ? { maxGraphs: options.maxGraphsPerRequest } : {}),
  };

  // Units rolled back with another unit of a shared graph: from then on sent in graphs of their own.
  const alone = new Set<BuiltGraph>();
  /** The requests of `units`: shared graphs where allowed, one graph per unit otherwise. */
  const toPayloads = (units: BuiltGraph[]): Payload[] => {
    if (!options.shareGraphs) return packGraphs(units, packLimits).map((graphs) => ({ graphs, shared: false }));
    const sharing = units.filter((g) => !alone.has(g) && isShareable(g));
    const single = units.filter((g) => alone.has(g) || !isShareable(g));
    return [
      ...packGraphs(sharing, { ...packLimits, shared: true }).map((graphs) => ({ graphs, shared: graphs.length > 1 })),
      ...packGraphs(single, packLimits).map((graphs) => ({ graphs, shared: false })),
    ];
  };

  /** Sends one payload; returns the units to send again after a backoff, and those to resend now. */
  const send = async (payload: Payload): Promise<{ retry: BuiltGraph[]; resendNow: BuiltGraph[] }> => {
    for (const g of payload.graphs) {
      attempts.set(g, (attempts.get(g) ?? 0) + 1);
      charged.set(g, (charged.get(g) ?? 0) + 1);
    }
    progress.requests += 1;
    const retry: BuiltGraph[] = [];
    const resendNow: BuiltGraph[] = [];
    try {
      const { body } = await core.send<unknown>({ method: 'POST', path: core.dataPath('/composite/graph'), json: graphRequestBody(payload) });
      const duplicates: BuiltGraph[] = [];
      const outcomes = readGraphResponse(payload, body);
      const progressed = [...outcomes.values()].some((o) => o.kind === 'committed' || o.kind === 'failed');
      for (const [graph, outcome] of outcomes) {
        if (outcome.kind === 'committed') finish(graph, { ok: true, ids: outcome.ids, attempts: attempts.get(graph)! });
        else if (outcome.kind === 'rolled-back' || (outcome.kind === 'not-run' && progressed)) {
          if (outcome.kind === 'rolled-back') alone.add(graph);
          charged.set(graph, charged.get(graph)! - 1);
          resendNow.push(graph);
        } else if (outcome.kind === 'not-run') retry.push(graph);
        else if (keyField && isDuplicateKey(graph, outcome.error, keyField)) {
          lastError.set(graph, outcome.error);
          duplicates.push(graph);
        } else if (RETRYABLE_NODE_ERRORS.has(outcome.error.errorCode)) {
          lastError.set(graph, outcome.error);
          retry.push(graph);
        } else finish(graph, { ok: false, ids: {}, error: outcome.error, attempts: attempts.get(graph)! });
      }
      if (duplicates.length > 0) await recover(duplicates, keyField!, false);
    } catch (error) {
      const retryability = classifyError(error);
      const unitError = toUnitError(error);
      if (retryability === 'not-applied') {
        for (const g of payload.graphs) lastError.set(g, unitError);
        retry.push(...payload.graphs);
      } else if (retryability === 'unknown-outcome' && keyField) {
        for (const g of payload.graphs) lastError.set(g, unitError);
        retry.push(...(await recover(payload.graphs, keyField, true)));
      } else {
        const final: UnitError =
          retryability === 'unknown-outcome'
            ? {
                errorCode: ClientErrorCode.OUTCOME_UNKNOWN,
                message: `the answer to the commit was lost (${unitError.errorCode}: ${unitError.message}); the unit may or may not be written. Not resent: without keyField a resend could write it twice.`,
                fields: [],
              }
            : unitError;
        for (const g of payload.graphs) finish(g, { ok: false, ids: {}, error: final, attempts: attempts.get(g)! });
      }
    }
    const again: BuiltGraph[] = [];
    for (const g of retry) {
      if (charged.get(g)! < maxAttempts) again.push(g);
      else {
        const error = lastError.get(g) ?? { errorCode: 'PROCESSING_HALTED', message: 'the graph was halted and never run', fields: [] };
        finish(g, { ok: false, ids: {}, error, attempts: attempts.get(g)! });
      }
    }
    options.onProgress?.({ ...progress });
    return { retry: again, resendNow };
  };

  /**
   * Looks `graphs` up by key: found ones are finished as committed (recovered). Returns those not
   * found: to resend when the outcome was unknown, failed with their duplicate error otherwise.
   */
  const recover = async (candidates: BuiltGraph[], field: string, resendMissing: boolean): Promise<BuiltGraph[]> => {
    let found: Map<BuiltGraph, Record<string, string>>;
    try {
      found = await findWrittenUnits(core, candidates, field);
    } catch (error) {
      const cause = toUnitError(error);
      const final: UnitError = {
        errorCode: ClientErrorCode.OUTCOME_UNKNOWN,
        message: `could not check whether the unit was written (${cause.errorCode}: ${cause.message}); not resent`,
        fields: [],
      };
      for (const g of candidates) finish(g, { ok: false, ids: {}, error: final, attempts: attempts.get(g)! });
      return [];
    }
    const missing: BuiltGraph[] = [];
    for (const g of candidates) {
      const ids = found.get(g);
      if (ids) finish(g, { ok: true, ids, recovered: true, attempts: attempts.get(g)! });
      else if (resendMissing) missing.push(g);
      else finish(g, { ok: false, ids: {}, error: lastError.get(g)!, attempts: attempts.get(g)! });
    }
    core.logger.info({ checked: candidates.length, found: found.size }, 'salesforce: looked up units by key');
    return missing;
  };

  /**
   * A payload and what follows from it: units rolled back with another unit of a shared graph are
   * resent at once, each in its own graph; retryable ones are re-packed among themselves after a
   * backoff.
   */
  const commitPayload = async (payload: Payload) => {
    let { retry: pending, resendNow } = await send(payload);
    for (let retry = 1; pending.length > 0 || resendNow.length > 0; ) {
      const next: BuiltGraph[] = [];
      const again: BuiltGraph[] = [];
      const resend = async (units: BuiltGraph[]) => {
        for (const repacked of toPayloads(units)) {
          progress.retries += 1;
          core.countRetry();
          const r = await send(repacked);
          next.push(...r.retry);
          again.push(...r.resendNow);
        }
      };
      if (resendNow.length > 0) await resend(resendNow);
      if (pending.length > 0) {
        const delayMs = backoffDelay(retry, core.retryOptions);
        core.logger.warn(
          { units: pending.length, retry, delayMs, reason: lastError.get(pending[0]!)?.errorCode ?? 'PROCESSING_HALTED' },
          'salesforce: retrying units',
        );
        retry += 1;
        if (delayMs > 0) await sleep(delayMs);
        await resend(pending);
      }
      pending = next;
      resendNow = again;
    }
  };

  let toSend = graphs;
  if (options.precheck && keyField && graphs.length > 0) {
    // A rerun of work that may be partly written: units found by key are reported written first,
    // so that their roots do not fail as duplicates one graph at a time.
    const found = await findWrittenUnits(core, graphs, keyField);
    for (const [g, ids] of found) finish(g, { ok: true, ids, recovered: true, attempts: 0 });
    toSend = graphs.filter((g) => !found.has(g));
    if (found.size > 0) core.logger.info({ checked: graphs.length, found: found.size }, 'salesforce: units already written, not sent');
  }
  await mapWithConcurrency(toPayloads(toSend), options.concurrency ?? 4, commitPayload);
  return results;
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
