import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has local defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 5000, HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:6379', CHUNK_SIZE: 2490, REDIS_TLS_REJECT_UNAUTHORIZED: true });
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', CHUNK_SIZE: '0' })).toThrow(/PORT:[^]*CHUNK_SIZE:/);
  });

  it('caps CHUNK_SIZE at 2,490 (five ranges of 498, read in one composite call)', () => {
    expect(loadConfig({ CHUNK_SIZE: '2490' }).CHUNK_SIZE).toBe(2490);
    expect(() => loadConfig({ CHUNK_SIZE: '2491' })).toThrow(/CHUNK_SIZE/);
  });

  it('wants dashboard credentials in pairs', () => {
    expect(() => loadConfig({ ADMIN_USER: 'ops' })).toThrow(/ADMIN_USER and ADMIN_PASSWORD must be set together/);
  });
});
