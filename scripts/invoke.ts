/**
 * `pnpm invoke <org-alias|local> <url> '<json>' [--wait]` — call a job-api endpoint the way
 * Salesforce does through AppLink (replaces the AppLink sample's bin/invoke.sh).
 *
 *   pnpm invoke local http://localhost:5000/api/data/create?numberOfOpportunities=100 '{}' --wait
 *   pnpm invoke my-org http://localhost:5000/api/executebatch '{"soqlWhereClause":"Name LIKE '\''Sample Opportunity%'\''"}' --wait
 */
import { parseArgs } from 'node:util';
import { localOrgContext, sfCliContext } from './lib/client-context.js';
import { followJob } from './lib/follow-job.js';

const HELP = `Usage: pnpm invoke <org-alias|local> <url> '<json>' [--wait]

  <org-alias|local>  a Salesforce CLI alias (uses \`sf org display\`), or "local" for the running local org
  <url>              the job-api endpoint, e.g. http://localhost:5000/api/executebatch
  <json>             the request body (default '{}')
  --wait             follow the job until it finishes, with a progress bar
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { wait: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help || positionals.length < 2) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const [target, url, json = '{}'] = positionals as [string, string, string?];
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    process.stderr.write(`invoke: the body is not JSON: ${json}\n`);
    return 2;
  }
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    process.stderr.write(`invoke: not a URL: ${url}\n`);
    return 2;
  }
  const context = target === 'local' ? localOrgContext() : await sfCliContext(target);
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-client-context': context },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  process.stdout.write(`Response from server (${res.status}):\n${text}\n`);
  if (!res.ok) return 1;
  const jobId = (JSON.parse(text) as { jobId?: string }).jobId;
  if (values.wait && jobId) {
    const status = await followJob(endpoint.origin, jobId, context, { label: endpoint.pathname.split('/').pop() ?? 'job' });
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`invoke: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
