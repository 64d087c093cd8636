import { describe, expect, it } from 'vitest';
import { placeholder } from '../src/index.js';

describe('pricing-engine', () => {
  it('loads', () => {
    expect(placeholder).toBe(1);
  });
});
