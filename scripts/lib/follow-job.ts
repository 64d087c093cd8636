/**
 * Follows a job through `GET /api/jobs/:id` until it finishes, drawing a progress bar. A 429 is
 * not an error: it waits what `Retry-After` says (or backs off) and polls again.
 */
import { ProgressBar } from './progress.js';

/** The status body of job-api (see apps/job-api schemas). */
export interface JobStatusBody {
  jobId: string;
  kind: string;
  state: string;
  progress: number;
  counts: { found: number; priced: number; quoted: number; failed: number; skipped: number };
  errors: { recordId: string | null; errorCode: string; message: string }[];
  apiCalls: number;
  timings: { elapsedMs: number | null };
  failedReason: string | null;
}

export async function followJob(
  baseUrl: string,
  jobId: string,
  clientContext: string,
  options: { label?: string; pollMs?: number; timeoutMs?: number } = {},
): Promise<JobStatusBody> {
  const bar = new ProgressBar(options.label ?? 'job');
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let limited = 0;
  let lastProgress = 0;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/jobs/${jobId}`, { headers: { 'x-client-context': clientContext } });
    if (res.status === 429 && Date.now() < deadline) {
      // Rate limited: wait what the API asks (Retry-After, seconds), else back off, and poll again.
      const seconds = Number(res.headers.get('retry-after'));
      limited += 1;
      const waitMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Math.min(30_000, 500 * 2 ** limited);
      bar.update(lastProgress, `rate limited; polling again in ${Math.ceil(waitMs / 1000)} s`);
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, Math.min(waitMs, Math.max(0, deadline - Date.now()))));
      continue;
    }
    limited = 0;
    if (!res.ok) throw new Error(`GET /api/jobs/${jobId} answered ${res.status}: ${await res.text()}`);
    const status = (await res.json()) as JobStatusBody;
    const c = status.counts;
    const detail =
      status.kind === 'quote-batch'
        ? `${c.quoted}/${c.found} quoted, ${c.failed} failed, ${c.skipped} skipped`
        : `${c.found} records, ${c.failed} failed`;
    if (status.state === 'completed') {
      bar.done(detail);
      return status;
    }
    if (status.state === 'failed') {
      bar.update(status.progress, detail);
      throw new Error(`job ${jobId} failed: ${status.failedReason ?? 'unknown reason'}`);
    }
    lastProgress = status.progress;
    bar.update(status.progress, `${status.state}; ${detail}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${status.state} after ${(options.timeoutMs ?? 1_800_000) / 1000} s`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
  }
}
