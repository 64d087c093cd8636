/**
 * Device tokens and service secrets: generated with 192 bits of randomness, stored only as scrypt
 * hashes (`scrypt$N$r$p$salt$hash`, parameters kept with the hash so they can be raised later).
 *
 * Why N = 2^12 and not the 2^14+ used for passwords: a device token is random, not chosen by a
 * person, so there is nothing to guess; the hash only has to make a leaked table useless, which
 * any scrypt cost does. A cheaper cost keeps a reconnect storm of thousands of cars from queuing
 * seconds of key derivation (scrypt runs on libuv's thread pool, not the event loop).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 4096, r: 8, p: 1 } as const;
const KEY_LEN = 32;

function derive(secret: string, salt: Buffer, opts: ScryptOptions, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, len, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new random token (base64url, 32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function hashToken(token: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(token, salt, PARAMS, KEY_LEN);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time check of `token` against a stored hash; false for any malformed hash. */
export async function verifyToken(token: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0) return false;
  const key = await derive(token, salt, { N, r, p }, expected.length);
  return timingSafeEqual(key, expected);
}
