/**
 * The replay option of a subscription (`ext: {replay: {"<channel>": -1 | -2 | N}}`) turned into
 * the subscriber's starting cursor, "the last replay id already seen":
 * - `-1` (also the default): only events committed after the subscription → the newest id now;
 * - `-2`: every retained event → just before the oldest retained one;
 * - `N`: the events after N, valid only while nothing after N has left the retention window and
 *   N is not in the future; otherwise Salesforce's invalid-replay-id error.
 */
import type { LogBounds } from './event-log.js';
import { bayeuxErrors, streamingError } from './streaming-errors.js';

export const REPLAY_NEW = -1;
export const REPLAY_ALL = -2;

/** The starting cursor for `replay` over a log holding `bounds`; throws INVALID_REPLAY_ID. */
export function startingCursor(replay: unknown, bounds: LogBounds): number {
  const n = typeof replay === 'string' && /^-?\d+$/.test(replay.trim()) ? Number(replay) : replay;
  if (n === undefined || n === null || n === REPLAY_NEW) return bounds.newest;
  if (n === REPLAY_ALL) return bounds.oldest - 1;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= bounds.oldest - 1 && n <= bounds.newest) return n;
  throw streamingError('INVALID_REPLAY_ID', bayeuxErrors.invalidReplayId(replay));
}
