/**
 * `GET /jobs/ingest` and `GET /jobs/query`: all jobs of the org, 1,000 per page, the next page
 * reached through `nextRecordsUrl` (`…?queryLocator=<locator>`).
 */
const PAGE = 1_000;

export interface JobListPage {
  done: boolean;
  records: Record<string, unknown>[];
  nextRecordsUrl: string | null;
}

export function listPage<J>(
  jobs: J[],
  show: (job: J) => Record<string, unknown>,
  path: string,
  queryLocator: string | undefined,
): JobListPage {
  const start = queryLocator && /^\d+$/.test(queryLocator) ? Number(queryLocator) : 0;
  const page = jobs.slice(start, start + PAGE);
  const next = start + page.length;
  const done = next >= jobs.length;
  return { done, records: page.map(show), nextRecordsUrl: done ? null : `${path}?queryLocator=${next}` };
}
