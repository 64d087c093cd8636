/**
 * Keys, a self-signed certificate and RS256 JWT assertions for the OAuth 2.0 JWT bearer flow, made
 * with node:crypto alone (no fixture key files, no openssl). jsforce's and sf-client's JWT code are
 * tested against the org with these.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

export interface SigningKeyPair {
  /** PKCS#8 PEM: what a client signs assertions with. */
  privateKeyPem: string;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
  /** Self-signed X.509 PEM of the public key, as uploaded to a Salesforce connected app. */
  certificatePem: string;
}

/** A fresh 2048-bit RSA key pair and its self-signed certificate (`CN=<commonName>`, valid for a year). */
export function createSigningKeyPair(commonName = 'local-org test client'): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const spki = publicKey.export({ type: 'spki', format: 'der' });

  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
  const now = Date.now();
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))), // [0] EXPLICIT version v3
    integer(Buffer.from(now.toString(16).padStart(12, '0'), 'hex')),
    sha256WithRsa,
    name,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 365 * 86_400_000))),
    name,
    spki,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = certificate.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  return { privateKeyPem, publicKeyPem, certificatePem };
}

/** Claims of a Salesforce JWT bearer assertion; `exp` in seconds since the epoch. */
export interface JwtBearerClaimsInput {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  [claim: string]: unknown;
}

/**
 * An RS256-signed JWT (`header.claims.signature`, base64url). `header` overrides the default
 * `{alg:'RS256'}` so tests can forge other algorithms; the signature is RS256 regardless.
 */
export function signJwtAssertion(
  claims: JwtBearerClaimsInput,
  privateKeyPem: string,
  header: Record<string, unknown> = { alg: 'RS256' },
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKeyPem).toString('base64url')}`;
}

/** `exp` for an assertion valid for `seconds` from now (negative: already expired). */
export function expiresIn(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}

// --- minimal DER (ITU-T X.690) encoding, enough for one certificate ---

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function seq(...parts: Buffer[]): Buffer {
  return der(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return der(0x31, Buffer.concat(parts));
}

/** A non-negative INTEGER: a leading zero keeps the high bit from reading as a sign. */
function integer(bigEndian: Buffer): Buffer {
  return der(0x02, (bigEndian[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bigEndian]) : bigEndian);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}
