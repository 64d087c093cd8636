/**
 * The session guard of the API routes: `Authorization: Bearer <token>` (REST, jsforce, AppLink),
 * `Authorization: OAuth <token>` (CometD) or `X-SFDC-Session: <token>` (Bulk API 1.0), else 401
 * with Salesforce's body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../errors.js';
import type { TokenStore } from './token-store.js';

/** A Fastify `onRequest`/`preHandler` hook that sets `request.session` or answers 401. */
export type SessionGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

const AUTHORIZATION = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i;

/** The access token of an `Authorization` header, or undefined when it carries none. */
export function accessTokenOf(authorization: string | undefined): string | undefined {
  return AUTHORIZATION.exec(authorization ?? '')?.[1];
}

/**
 * The body of Salesforce's 401, exactly `[{"message":"Session expired or invalid","errorCode":
 * "INVALID_SESSION_ID"}]` (no `fields`, unlike DML errors).
 */
export function invalidSessionBody(): Array<{ message: string; errorCode: string }> {
  const err = errors.invalidSession();
  return [{ message: err.message, errorCode: err.errorCode }];
}

export function createSessionGuard(tokens: TokenStore): SessionGuard {
  return async function requireSession(request, reply) {
    // Bulk API 1.0 clients send the session in `X-SFDC-Session` instead of `Authorization`.
    const legacy = request.headers['x-sfdc-session'];
    const token = accessTokenOf(request.headers.authorization) ?? (typeof legacy === 'string' && legacy !== '' ? legacy.trim() : undefined);
    const session = token === undefined ? null : tokens.verify(token);
    if (!session) {
      request.log.info({ reason: token === undefined ? 'missing' : 'invalid' }, 'local-org: rejected API call without a valid session');
      return reply.code(401).send(invalidSessionBody());
    }
    request.session = session;
    return undefined;
  };
}
