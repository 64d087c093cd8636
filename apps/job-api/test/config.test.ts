import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has local defaults for everything', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 5000, HOST: '127.0.0.1', REDIS_URL: 'redis://127.0.0.1:6379', CHUNK_SIZE: 500, REDIS_TLS_REJECT_UNAUTHORIZED: true });
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', CHUNK_SIZE: '0' })).toThrow(/PORT:[^]*CHUNK_SIZE:/);
  });

  it('caps CHUNK_SIZE at 500 (a chunk\'s ids travel in its query URL)', () => {
    expect(() => loadConfig({ CHUNK_SIZE: '501' })).toThrow(/CHUNK_SIZE/);
  });

  it('wants dashboard credentials in pairs', () => {
    expect(() => loadConfig({ ADMIN_USER: 'ops' })).toThrow(/ADMIN_USER and ADMIN_PASSWORD must be set together/);
  });
});
