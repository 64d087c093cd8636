/** The in-process queue of write transactions: exclusive alone, shared a few at a time, first come first served. */
import { describe, expect, it } from 'vitest';
import { WriteSlots } from '../src/data/write-slots.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('write slots', () => {
  it('runs shared holders side by side up to the limit, exclusive ones alone, in arrival order', async () => {
    const slots = new WriteSlots(2);
    const log: string[] = [];
    const hold = (name: string, shared: boolean) => {
      const held = slots.acquire(shared).then((release) => {
        log.push(`+${name}`);
        return release;
      });
      return held;
    };
    const s1 = hold('s1', true);
    const s2 = hold('s2', true);
    const s3 = hold('s3', true); // over the limit: waits
    const x = hold('x', false); // waits for every shared holder
    const s4 = hold('s4', true); // arrived after x: waits for x, not let past it
    await tick();
    expect(log).toEqual(['+s1', '+s2']);
    (await s1)();
    await tick();
    expect(log).toEqual(['+s1', '+s2', '+s3']);
    (await s2)();
    (await s3)();
    await tick();
    expect(log).toEqual(['+s1', '+s2', '+s3', '+x']);
    const releaseX = await x;
    releaseX();
    releaseX(); // a second release gives nothing back twice
    await tick();
    expect(log).toEqual(['+s1', '+s2', '+s3', '+x', '+s4']);
    (await s4)();
  });

  it('with a limit of 1 runs everything alone', async () => {
    const slots = new WriteSlots(1);
    const first = await slots.acquire(true);
    let second = false;
    const waiting = slots.acquire(true).then((release) => {
      second = true;
      return release;
    });
    await tick();
    expect(second).toBe(false);
    first();
    (await waiting)();
    expect(second).toBe(true);
  });
});
