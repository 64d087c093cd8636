/**
 * Who may connect: vehicles (username = VIN, password = device token) and service users (backend
 * consumers and tools, with their own subscribe/publish patterns). Secrets are stored as scrypt
 * hashes; a revocation is announced on the database's NOTIFY channel so every broker process
 * disconnects the vehicle.
 */
import { isVin } from '@ecars/telemetry';
import type { Database } from '../db/database.js';
import { IotError } from '../errors.js';
import { hashToken, newToken, verifyToken } from './token-hash.js';

/** NOTIFY channel (prefixed with the schema) carrying `vehicle:VIN` or `service:NAME`. */
export const REVOKED_CHANNEL = 'credential_revoked';

export type Principal =
  | { kind: 'vehicle'; vin: string }
  | { kind: 'service'; name: string; subscribe: readonly string[]; publish: readonly string[] };

/** CONNACK return codes of MQTT 3.1.1 used for refusals. */
export type Refusal = { returnCode: 4 | 5; reason: 'no_credentials' | 'unknown_user' | 'bad_token' | 'revoked' };

export interface VehicleRow {
  vin: string;
  createdAt: string;
  revokedAt: string | null;
}
export interface ServiceUserRow {
  name: string;
  subscribe: string[];
  publish: string[];
  createdAt: string;
  revokedAt: string | null;
}

const SERVICE_NAME_RE = /^[a-z][a-z0-9_-]{1,62}$/;
const PATTERN_RE = /^(?!\$)[^#+]*(?:(?:^|\/)\+(?=\/|$)[^#+]*)*(?:(?:^|\/)#)?$/;

export class CredentialStore {
  constructor(private readonly db: Database) {}

  /** Provisions a vehicle (or re-provisions a revoked one) and returns its token, shown once. */
  async addVehicle(vin: string): Promise<string> {
    if (!isVin(vin)) throw new IotError('INVALID_VIN', vin);
    const token = newToken();
    const hash = await hashToken(token);
    const rows = await this.db.query(
      `INSERT INTO vehicles (vin, token_hash) VALUES ($1, $2)
       ON CONFLICT (vin) DO UPDATE SET token_hash = excluded.token_hash, created_at = now(), revoked_at = NULL
         WHERE vehicles.revoked_at IS NOT NULL
       RETURNING vin`,
      [vin, hash],
    );
    if (rows.length === 0) throw new IotError('VEHICLE_EXISTS', vin);
    return token;
  }

  /** Revokes a vehicle's token and tells every broker to disconnect it. */
  async revokeVehicle(vin: string): Promise<void> {
    const rows = await this.db.query(`UPDATE vehicles SET revoked_at = coalesce(revoked_at, now()) WHERE vin = $1 RETURNING vin`, [vin]);
    if (rows.length === 0) throw new IotError('VEHICLE_NOT_FOUND', vin);
    await this.db.notify(REVOKED_CHANNEL, `vehicle:${vin}`);
  }

  async listVehicles(): Promise<VehicleRow[]> {
    const rows = await this.db.query<{ vin: string; created_at: Date; revoked_at: Date | null }>(`SELECT vin, created_at, revoked_at FROM vehicles ORDER BY vin`);
    return rows.map((r) => ({ vin: r.vin, createdAt: new Date(r.created_at).toISOString(), revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null }));
  }

  /** Creates a service user with MQTT topic patterns it may subscribe to / publish on. */
  async addServiceUser(name: string, rights: { subscribe?: readonly string[]; publish?: readonly string[] }): Promise<string> {
    if (!SERVICE_NAME_RE.test(name)) throw new IotError('INVALID_SERVICE_USER', `name ${JSON.stringify(name)} must be lower-case letters, digits, - or _`);
    const patterns = [...(rights.subscribe ?? []), ...(rights.publish ?? [])];
    const bad = patterns.find((p) => !PATTERN_RE.test(p));
    if (bad !== undefined) throw new IotError('INVALID_SERVICE_USER', `topic pattern ${JSON.stringify(bad)}`);
    const token = newToken();
    const rows = await this.db.query(
      `INSERT INTO service_users (name, token_hash, subscribe, publish) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, subscribe = excluded.subscribe, publish = excluded.publish, created_at = now(), revoked_at = NULL
         WHERE service_users.revoked_at IS NOT NULL
       RETURNING name`,
      [name, await hashToken(token), rights.subscribe ?? [], rights.publish ?? []],
    );
    if (rows.length === 0) throw new IotError('SERVICE_USER_EXISTS', name);
    return token;
  }

  async revokeServiceUser(name: string): Promise<void> {
    const rows = await this.db.query(`UPDATE service_users SET revoked_at = coalesce(revoked_at, now()) WHERE name = $1 RETURNING name`, [name]);
    if (rows.length === 0) throw new IotError('SERVICE_USER_NOT_FOUND', name);
    await this.db.notify(REVOKED_CHANNEL, `service:${name}`);
  }

  async listServiceUsers(): Promise<ServiceUserRow[]> {
    const rows = await this.db.query<{ name: string; subscribe: string[]; publish: string[]; created_at: Date; revoked_at: Date | null }>(
      `SELECT name, subscribe, publish, created_at, revoked_at FROM service_users ORDER BY name`,
    );
    return rows.map((r) => ({ name: r.name, subscribe: r.subscribe, publish: r.publish, createdAt: new Date(r.created_at).toISOString(), revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null }));
  }

  /** Checks a CONNECT's credentials. A VIN-shaped username is a vehicle; anything else a service user. */
  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<Principal | Refusal> {
    if (!username || !password || password.length === 0) return { returnCode: 4, reason: 'no_credentials' };
    const token = password.toString('utf8');
    if (isVin(username)) {
      const [row] = await this.db.query<{ token_hash: string; revoked_at: Date | null }>(`SELECT token_hash, revoked_at FROM vehicles WHERE vin = $1`, [username]);
      if (!row) return { returnCode: 4, reason: 'unknown_user' };
      if (!(await verifyToken(token, row.token_hash))) return { returnCode: 4, reason: 'bad_token' };
      if (row.revoked_at) return { returnCode: 5, reason: 'revoked' };
      return { kind: 'vehicle', vin: username };
    }
    const [row] = await this.db.query<{ token_hash: string; revoked_at: Date | null; subscribe: string[]; publish: string[] }>(
      `SELECT token_hash, revoked_at, subscribe, publish FROM service_users WHERE name = $1`,
      [username],
    );
    if (!row) return { returnCode: 4, reason: 'unknown_user' };
    if (!(await verifyToken(token, row.token_hash))) return { returnCode: 4, reason: 'bad_token' };
    if (row.revoked_at) return { returnCode: 5, reason: 'revoked' };
    return { kind: 'service', name: username, subscribe: row.subscribe, publish: row.publish };
  }
}
