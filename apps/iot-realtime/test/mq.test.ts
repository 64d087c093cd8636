/**
 * The broker's bus never builds the queue whose release overflowed the stack with mqemitter's
 * concurrency limit (mcollina/mqemitter#204; it crashed the broker in the benchmark).
 */
import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { createMq } from '../src/broker/mq.js';

/** Blocks the only slot, queues `n` messages nobody subscribes to, then frees the slot. */
function drainAfterBacklog(mq: ReturnType<typeof mqemitter>, n: number): Promise<number> {
  return new Promise((resolve) => {
    let held: (() => void) | null = null;
    mq.on('hold', (_m, cb) => {
      held = cb;
    });
    mq.emit({ topic: 'hold' });
    let done = 0;
    for (let i = 0; i < n; i++) mq.emit({ topic: 'nobody/listens' }, () => ++done === n && resolve(done));
    held!();
  });
}

describe('createMq', () => {
  it('plain mqemitter overflows the stack releasing a long backlog (the failure the guard prevents)', async () => {
    await expect(drainAfterBacklog(mqemitter({ concurrency: 1 }), 100_000)).rejects.toThrow(RangeError);
  });

  it('the broker bus keeps no backlog: one slow delivery holds up nothing, 100,000 messages go through', async () => {
    expect(await drainAfterBacklog(createMq(), 100_000)).toBe(100_000);
  });
});
