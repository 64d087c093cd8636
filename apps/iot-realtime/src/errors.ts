/**
 * The one error catalogue: every error the app raises on purpose has a code, an HTTP status and
 * a message template. README "Errors" lists them.
 */
export const ERRORS = {
  UNAUTHORIZED: { status: 401, message: () => 'missing or invalid bearer token' },
  VEHICLE_EXISTS: { status: 409, message: (vin: string) => `vehicle ${vin} is already provisioned (revoke it first to issue a new token)` },
  VEHICLE_NOT_FOUND: { status: 404, message: (vin: string) => `vehicle ${vin} is not provisioned` },
  INVALID_VIN: { status: 400, message: (vin: string) => `${JSON.stringify(vin)} is not a VIN (17 characters, digits and capitals except I, O, Q)` },
  SERVICE_USER_EXISTS: { status: 409, message: (name: string) => `service user ${name} already exists` },
  SERVICE_USER_NOT_FOUND: { status: 404, message: (name: string) => `service user ${name} does not exist` },
  INVALID_SERVICE_USER: { status: 400, message: (detail: string) => `invalid service user: ${detail}` },
} as const;

export type ErrorCode = keyof typeof ERRORS;
type Args<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]['message']>;

export class IotError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'IotError';
  readonly statusCode: number;
  constructor(
    readonly code: C,
    ...args: Args<C>
  ) {
    super((ERRORS[code].message as (...a: Args<C>) => string)(...args));
    this.statusCode = ERRORS[code].status;
  }
  toJSON(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** JSON schema of an error response. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;
