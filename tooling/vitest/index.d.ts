import type { UserConfig } from 'vitest/config';

/** The shared Vitest preset, with `overrides` merged on top. */
export function preset(overrides?: UserConfig): UserConfig;
