/**
 * Requests as clients send them: several (jsforce, simple-salesforce-style clients, the `sf` CLI)
 * send `Content-Type: application/json` on every request, GET and DELETE included, with no body.
 * Salesforce reads that as no body; Fastify's own parser refuses it (FST_ERR_CTP_EMPTY_JSON_BODY).
 * And `X-PrettyPrint: 1` asks for indented JSON, as Salesforce's REST API documents.
 */
import type { FastifyInstance } from 'fastify';

/** Installs the JSON body parser and the pretty-print hook on `app` (before its routes are registered). */
export function installRequestFormat(app: FastifyInstance): void {
  // The default parser keeps its prototype-poisoning protection; only an empty body is read differently.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(req, text, done);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.headers['x-prettyprint'] !== '1' || typeof payload !== 'string' || payload === '') return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    try {
      return JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      return payload;
    }
  });
}
