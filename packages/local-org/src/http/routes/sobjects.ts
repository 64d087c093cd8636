/** The `/sobjects` resources: describeGlobal, describe, basic information, rows, upsert by external id. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SalesforceError } from '../../errors.js';
import type { OrgRuntime } from '../../org-runtime.js';
import { describeGlobal, describeSObject, globalEntry } from '../describe.js';
import {
  createRecord,
  deleteRecord,
  multipleChoices,
  retrieveRecord,
  updateRecord,
  upsertRecord,
  type RestResponse,
} from '../sobject-operations.js';
import { ident } from '../../storage/ddl.js';
import { apiVersionOf } from '../versions.js';

type P = { version: string; type: string; id: string; field: string; value: string };

export async function sobjectRoutes(app: FastifyInstance, { org }: { org: OrgRuntime }): Promise<void> {
  const send = (reply: FastifyReply, r: RestResponse, recordsWritten = 0) => {
    reply.request.recordsWritten = recordsWritten;
    if (r.headers) reply.headers(r.headers);
    reply.code(r.status);
    return r.status === 204 ? reply.send() : reply.send(r.body);
  };

  // The data model is read once when the org starts and never changes while it runs, so describe
  // answers `If-Modified-Since` at or after this moment with 304 Not Modified, as documented.
  const metadataTime = Math.floor(Date.now() / 1000) * 1000;
  const notModified = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const since = Date.parse(req.headers['if-modified-since'] ?? '');
    if (Number.isNaN(since) || since < metadataTime) return false;
    reply.code(304).send();
    return true;
  };

  app.get<{ Params: Pick<P, 'version'> }>('/sobjects', async (req, reply) => {
    const version = apiVersionOf(req);
    if (notModified(req, reply)) return reply;
    return describeGlobal(org, version);
  });

  app.get<{ Params: Pick<P, 'version' | 'type'> }>('/sobjects/:type', async (req) => {
    const o = org.store.objectOrThrow(req.params.type);
    return { objectDescribe: globalEntry(o, apiVersionOf(req)), recentItems: [] };
  });

  app.get<{ Params: Pick<P, 'version' | 'type'> }>('/sobjects/:type/describe', async (req, reply) => {
    const version = apiVersionOf(req);
    const o = org.store.objectOrThrow(req.params.type);
    if (notModified(req, reply)) return reply;
    return describeSObject(org, o, version);
  });

  app.post<{ Params: Pick<P, 'version' | 'type'> }>('/sobjects/:type', async (req, reply) =>
    send(reply, await org.store.transaction((tx) => createRecord(org, tx, req.params.type, req.body, apiVersionOf(req))), 1),
  );

  app.get<{ Params: Pick<P, 'version' | 'type' | 'id'>; Querystring: { fields?: string } }>(
    '/sobjects/:type/:id',
    async (req, reply) => {
      const fields = req.query.fields?.split(',').map((s) => s.trim()).filter(Boolean);
      return send(reply, await retrieveRecord(org, null, req.params.type, req.params.id, apiVersionOf(req), fields));
    },
  );

  app.patch<{ Params: Pick<P, 'version' | 'type' | 'id'> }>('/sobjects/:type/:id', async (req, reply) =>
    send(reply, await org.store.transaction((tx) => updateRecord(org, tx, req.params.type, req.params.id, req.body)), 1),
  );

  app.delete<{ Params: Pick<P, 'version' | 'type' | 'id'> }>('/sobjects/:type/:id', async (req, reply) =>
    send(reply, await org.store.transaction((tx) => deleteRecord(org, tx, req.params.type, req.params.id)), 1),
  );

  const upsert = async (req: FastifyRequest<{ Params: P }>, reply: FastifyReply) =>
    send(
      reply,
      await org.store.transaction((tx) =>
        upsertRecord(org, tx, req.params.type, req.params.field, req.params.value, req.body, apiVersionOf(req)),
      ),
      1,
    );
  app.patch<{ Params: P }>('/sobjects/:type/:field/:value', upsert);
  app.post<{ Params: P }>('/sobjects/:type/:field/:value', upsert);
  // `POST /sobjects/T/Id` with no value: an upsert on Id that inserts.
  app.post<{ Params: Pick<P, 'version' | 'type' | 'field'> }>('/sobjects/:type/:field', async (req, reply) =>
    send(
      reply,
      await org.store.transaction((tx) =>
        upsertRecord(org, tx, req.params.type, req.params.field, undefined, req.body, apiVersionOf(req)),
      ),
      1,
    ),
  );

  app.get<{ Params: P }>('/sobjects/:type/:field/:value', async (req, reply) => {
    const o = org.store.objectOrThrow(req.params.type);
    const f = org.schema.field(o.name, req.params.field);
    if (!f?.externalId && f?.name !== 'Id') {
      throw new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params.field}`, 404);
    }
    const version = apiVersionOf(req);
    const r = await org.db.query<{ Id: string }>(
      `SELECT "Id" FROM ${ident(o.name)} WHERE lower(${ident(f.name)}) = lower($1) AND NOT "IsDeleted" ORDER BY "Id" LIMIT 200`,
      [req.params.value],
    );
    if (r.rows.length === 0) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
    if (r.rows.length > 1) return send(reply, { status: 300, body: multipleChoices(o.name, r.rows.map((x) => x.Id), version) });
    return send(reply, await retrieveRecord(org, null, o.name, r.rows[0]!.Id, version));
  });
}
