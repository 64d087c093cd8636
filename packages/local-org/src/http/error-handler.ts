/**
 * Every error leaves the org as Salesforce's error array `[{message, errorCode, fields?}]` with
 * the status Salesforce uses; nothing ever answers with a stack trace.
 */
import { randomInt } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { SalesforceError } from '../errors.js';

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SalesforceError | Error, req, reply) => {
    if (err instanceof SalesforceError) {
      return reply.code(err.status).send([err.toJSON()]);
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
      return reply.code(413).send([{ message: 'Request body is too large.', errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return reply
        .code(415)
        .send([{ message: `Content type '${req.headers['content-type'] ?? ''}' not supported`, errorCode: 'UNSUPPORTED_MEDIA_TYPE' }]);
    }
    if (fe.statusCode === 400 || fe.validation) {
      return reply.code(400).send([{ message: fe.message, errorCode: 'JSON_PARSER_ERROR' }]);
    }
    const errorId = `${randomInt(1e8, 1e9)}-${randomInt(1e4, 1e5)} (${randomInt(1e8, 1e9)})`;
    req.log.error({ err, errorId }, 'unexpected error');
    return reply.code(500).send([
      {
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ]);
  });

  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
  );
}
