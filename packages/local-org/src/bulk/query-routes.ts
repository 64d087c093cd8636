/** `/services/data/vV/jobs/query…`: Bulk API 2.0 query jobs over HTTP. */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiVersionOf } from '../http/versions.js';
import type { BulkService } from './bulk-service.js';
import { queryJobInfo, queryJobListed, queryJobSummary } from './job-info.js';
import { listPage } from './job-listing.js';
import { jobInfo, jobList, jobParams, listQuerystring, objectBody, resultsQuerystring, versionParams } from './route-schemas.js';

type JobRequest = FastifyRequest<{ Params: { version: string; jobId: string } }>;

export async function queryRoutes(app: FastifyInstance, { bulk }: { bulk: BulkService }): Promise<void> {
  const jobOf = (req: JobRequest) => {
    apiVersionOf(req);
    return bulk.query.get(req.params.jobId);
  };

  app.post('/query', { schema: { params: versionParams, body: objectBody, response: { 200: jobInfo } } }, async (req) =>
    queryJobSummary(bulk.query.create(req.body, apiVersionOf(req))),
  );

  app.get(
    '/query',
    { schema: { params: versionParams, querystring: listQuerystring, response: { 200: jobList } } },
    async (req: FastifyRequest<{ Querystring: { queryLocator?: string; jobType?: string } }>) => {
      const version = apiVersionOf(req);
      const { jobType, queryLocator } = req.query;
      const jobs = jobType === undefined || jobType === 'V2Query' ? bulk.query.list() : [];
      return listPage(jobs, queryJobListed, `/services/data/v${version}/jobs/query`, queryLocator);
    },
  );

  app.get('/query/:jobId', { schema: { params: jobParams, response: { 200: jobInfo } } }, async (req: JobRequest) => queryJobInfo(jobOf(req)));

  app.patch('/query/:jobId', { schema: { params: jobParams, body: objectBody, response: { 200: jobInfo } } }, async (req: JobRequest) =>
    queryJobSummary(bulk.query.changeState(jobOf(req), (req.body as { state?: unknown }).state)),
  );

  app.delete('/query/:jobId', { schema: { params: jobParams } }, async (req: JobRequest, reply) => {
    await bulk.query.delete(jobOf(req));
    return reply.code(204).send();
  });

  app.get(
    '/query/:jobId/results',
    { schema: { params: jobParams, querystring: resultsQuerystring } },
    async (req: FastifyRequest<{ Params: { version: string; jobId: string }; Querystring: { locator?: string; maxRecords?: string } }>, reply) => {
      const job = jobOf(req);
      const page = await bulk.query.results(job, apiVersionOf(req), req.query.locator, req.query.maxRecords);
      return reply
        .type('text/csv')
        .header('Sforce-Locator', page.locator)
        .header('Sforce-NumberOfRecords', String(page.count))
        .send(Readable.from(page.csv));
    },
  );
}
