/**
 * A Bulk API 2.0 ingest job driven the way a client drives it over HTTP: `POST /jobs/ingest`, one
 * streamed CSV `PUT …/batches`, `PATCH {state: UploadComplete}`, then `GET` polls until the job
 * has ended. Client-side timestamps of each step tell where the time went.
 */
import type { Readable } from 'node:stream';
import type { RestClient } from './rest-client.js';

/** The part of `GET /jobs/ingest/<id>` the benchmark reads. */
export interface IngestJobInfo {
  id: string;
  state: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  /** Server-side processing time of the job, ms (the org's internal batches). */
  totalProcessingTime: number;
  errorMessage?: string;
}

/** One finished job: its last info and the client's timings, seconds from job creation. */
export interface IngestRun {
  info: IngestJobInfo;
  /** Job creation → JobComplete seen: the figure. */
  seconds: number;
  /** Creation → the upload answered (CSV produced, sent, parsed and staged by the org). */
  uploadedAt: number;
  /** Creation → the close (UploadComplete) answered; processing starts after it. */
  closedAt: number;
  /** Status polls sent. */
  polls: number;
}

const ENDED = new Set(['JobComplete', 'Failed', 'Aborted']);

/**
 * Runs one insert job of `object` with `csv` as its upload and waits for it to end.
 * @param timeoutMs - Polling gives up after this long: the job is aborted and the call throws.
 */
export async function runIngestJob(
  client: RestClient,
  object: string,
  csv: Readable,
  { pollMs = 50, timeoutMs }: { pollMs?: number; timeoutMs: number },
): Promise<IngestRun> {
  const jobs = `${client.base}/jobs/ingest`;
  const start = performance.now();
  const since = () => (performance.now() - start) / 1000;
  const job = await client.send<{ id: string; state: string }>(
    'POST',
    jobs,
    { object, operation: 'insert', contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' },
    200,
  );
  await client.sendStream('PUT', `${jobs}/${job.id}/batches`, csv, 'text/csv', 201);
  const uploadedAt = since();
  await client.send('PATCH', `${jobs}/${job.id}`, { state: 'UploadComplete' }, 200);
  const closedAt = since();
  let polls = 0;
  for (;;) {
    const info = await client.send<IngestJobInfo>('GET', `${jobs}/${job.id}`);
    polls++;
    if (ENDED.has(info.state)) return { info, seconds: since(), uploadedAt, closedAt, polls };
    if (since() * 1000 > timeoutMs) {
      await client.send('PATCH', `${jobs}/${job.id}`, { state: 'Aborted' }, 200).catch(() => undefined);
      throw new Error(`bulk job ${job.id} still ${info.state} after ${(timeoutMs / 1000).toFixed(0)} s (${info.numberRecordsProcessed} processed); aborted`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
