/** `/services/data/vV/jobs/ingest…`: Bulk API 2.0 ingest jobs over HTTP. */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiVersionOf } from '../http/versions.js';
import { bulkErrors } from './bulk-errors.js';
import type { BulkService } from './bulk-service.js';
import type { IngestResultKind } from './ingest-jobs.js';
import { ingestJobInfo, ingestJobListed, ingestJobSummary } from './job-info.js';
import { listPage } from './job-listing.js';
import { jobInfo, jobList, jobParams, listQuerystring, objectBody, versionParams } from './route-schemas.js';

type JobRequest = FastifyRequest<{ Params: { version: string; jobId: string } }>;

const RESULT_FILES: IngestResultKind[] = ['successfulResults', 'failedResults', 'unprocessedrecords'];

export async function ingestRoutes(app: FastifyInstance, { bulk }: { bulk: BulkService }): Promise<void> {
  const jobOf = (req: JobRequest) => {
    apiVersionOf(req);
    return bulk.ingest.get(req.params.jobId);
  };

  app.post('/ingest', { schema: { params: versionParams, body: objectBody, response: { 200: jobInfo } } }, async (req) =>
    ingestJobSummary(bulk.ingest.create(req.body, apiVersionOf(req))),
  );

  app.get(
    '/ingest',
    { schema: { params: versionParams, querystring: listQuerystring, response: { 200: jobList } } },
    async (req: FastifyRequest<{ Querystring: { queryLocator?: string; jobType?: string } }>) => {
      const version = apiVersionOf(req);
      const { jobType, queryLocator } = req.query;
      const jobs = jobType === undefined || jobType === 'V2Ingest' ? bulk.ingest.list() : [];
      return listPage(jobs, ingestJobListed, `/services/data/v${version}/jobs/ingest`, queryLocator);
    },
  );

  app.get('/ingest/:jobId', { schema: { params: jobParams, response: { 200: jobInfo } } }, async (req: JobRequest) => ingestJobInfo(jobOf(req)));

  app.put('/ingest/:jobId/batches', { schema: { params: jobParams } }, async (req: JobRequest, reply) => {
    const job = jobOf(req);
    // The text/csv parser hands the raw request stream through; no body at all reads as empty.
    const body = req.body === undefined ? Readable.from([]) : req.body;
    if (!(body instanceof Readable)) throw bulkErrors.notCsv(req.headers['content-type'] ?? '');
    await bulk.ingest.upload(job, body);
    return reply.code(201).send();
  });

  app.patch('/ingest/:jobId', { schema: { params: jobParams, body: objectBody, response: { 200: jobInfo } } }, async (req: JobRequest) =>
    ingestJobSummary(bulk.ingest.changeState(jobOf(req), (req.body as { state?: unknown }).state)),
  );

  app.delete('/ingest/:jobId', { schema: { params: jobParams } }, async (req: JobRequest, reply) => {
    await bulk.ingest.delete(jobOf(req));
    return reply.code(204).send();
  });

  for (const kind of RESULT_FILES) {
    app.get(`/ingest/:jobId/${kind}`, { schema: { params: jobParams } }, async (req: JobRequest, reply) => {
      const job = jobOf(req);
      return reply.type('text/csv').send(Readable.from(bulk.ingest.results(job, kind)));
    });
  }
}
