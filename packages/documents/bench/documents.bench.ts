/**
 * PDFs per second for 1,000 quotes rendered on the worker pool (one thread per CPU) against one
 * worker thread, the eCars sample's way, in the same run and on the same inputs; then the pool's
 * figure for 2-line quotes. The last line is one JSON object:
 *   {"bench":"documents","pdfsPerSec":…,"baselinePdfsPerSec":…,"ratio":…,…}
 * The run fails (exit 1) when the ratio is below 1.8 on 2 or more CPUs; `--no-gate` only reports.
 * Usage: pnpm --filter @ecars/documents bench [-- --quotes N] [-- --no-gate]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DocumentRenderer, type QuoteDocumentInput } from '../src/index.js';
import { quoteInput } from '../test/fixtures/quotes.js';

const TARGET_RATIO = 1.8;
const CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD'] as const;

const { values } = parseArgs({
  options: {
    quotes: { type: 'string', default: '1000' },
    'no-gate': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: documents.bench.ts [--quotes N (default 1000)] [--no-gate]');
  process.exit(0);
}
const quotes = Number(values.quotes);
if (!Number.isInteger(quotes) || quotes < 10) {
  console.error(`--quotes must be an integer >= 10, got ${values.quotes}`);
  process.exit(2);
}

interface Totals {
  seconds: number;
  cpuMs: number;
  bytes: number;
  count: number;
}

/** Renders every input through `renderer`, all submitted at once (the renderer applies back-pressure). */
async function run(
  renderer: DocumentRenderer,
  inputs: readonly QuoteDocumentInput[],
  totals: Totals,
): Promise<void> {
  const started = performance.now();
  // CPU time of the whole process, every thread included: unlike PDFs/s it hardly depends on how
  // much of the machine other processes take, so it tells a slow run from a busy machine.
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    inputs.map(async (input) => {
      const pdf = await renderer.render(input);
      // Not `totals.bytes += await …`: that reads the sum before the await and loses the other documents' sizes.
      totals.bytes += pdf.byteLength;
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  totals.seconds += (performance.now() - started) / 1000;
  totals.cpuMs += (cpu.user + cpu.system) / 1000;
  totals.count += inputs.length;
}

function summary(label: string, totals: Totals): { pdfsPerSec: number; cpuMsPerPdf: number } {
  const pdfsPerSec = Math.round((totals.count / totals.seconds) * 10) / 10;
  const cpuMsPerPdf = Math.round((totals.cpuMs / totals.count) * 100) / 100;
  console.log(
    `${label}: ${totals.count} PDFs in ${totals.seconds.toFixed(2)} s = ${pdfsPerSec} PDFs/s, ` +
      `${cpuMsPerPdf} ms CPU/PDF, ${Math.round(totals.bytes / totals.count)} bytes/PDF`,
  );
  return { pdfsPerSec, cpuMsPerPdf };
}

const cpus = availableParallelism();
const mixed = Array.from({ length: quotes }, (_, index) =>
  quoteInput({ lines: 1 + (index % 8), seed: index, currency: CURRENCIES[index % CURRENCIES.length]! }),
);
const twoLines = Array.from({ length: quotes }, (_, index) => quoteInput({ lines: 2, seed: index }));
const loadBefore = loadavg()[0]!;
console.log(`${quotes} quotes of 1–8 lines; ${cpus} CPUs; load average ${loadBefore.toFixed(2)}`);

const single = new DocumentRenderer({ threads: 1 });
const pool = new DocumentRenderer();
// Warm-up outside the timing: thread start, module load, JIT of pdfkit and fontkit.
const warmUp = mixed.slice(0, 30 * pool.threads);
await Promise.all([
  ...warmUp.map((input) => single.render(input)),
  ...warmUp.map((input) => pool.render(input)),
]);

// The two take turns on the same slices, so a change in the machine's load (other processes)
// falls on both rather than on whichever ran second.
const ROUNDS = 4;
const baselineTotals: Totals = { seconds: 0, cpuMs: 0, bytes: 0, count: 0 };
const poolTotals: Totals = { seconds: 0, cpuMs: 0, bytes: 0, count: 0 };
for (let round = 0; round < ROUNDS; round++) {
  const slice = mixed.slice(
    Math.floor((round * quotes) / ROUNDS),
    Math.floor(((round + 1) * quotes) / ROUNDS),
  );
  await run(single, slice, baselineTotals);
  await run(pool, slice, poolTotals);
  console.log(`  round ${round + 1}/${ROUNDS}: ${poolTotals.count} quotes each`);
}
await single.close();
const baseline = summary('one worker thread (the sample)', baselineTotals);
const pooled = summary(`pool of ${pool.threads} threads`, poolTotals);
const twoLineTotals: Totals = { seconds: 0, cpuMs: 0, bytes: 0, count: 0 };
await run(pool, twoLines, twoLineTotals);
const twoLine = summary('pool, 2-line quotes', twoLineTotals);
await pool.close();

const ratio = Math.round((pooled.pdfsPerSec / baseline.pdfsPerSec) * 100) / 100;
const gated = cpus >= 2 && !values['no-gate'];
if (gated && ratio < TARGET_RATIO) {
  console.error(
    `ratio ${ratio} is below the target ${TARGET_RATIO} on ${cpus} CPUs (load average ${loadavg()[0]!.toFixed(2)}: another process may be using the CPUs)`,
  );
  process.exitCode = 1;
}
console.log(
  JSON.stringify({
    bench: 'documents',
    pdfsPerSec: pooled.pdfsPerSec,
    baselinePdfsPerSec: baseline.pdfsPerSec,
    ratio,
    twoLinePdfsPerSec: twoLine.pdfsPerSec,
    cpuMsPerPdf: pooled.cpuMsPerPdf,
    baselineCpuMsPerPdf: baseline.cpuMsPerPdf,
    quotes,
    threads: cpus,
    targetRatio: TARGET_RATIO,
    gated,
    loadAverage: Math.round(Math.max(loadBefore, loadavg()[0]!) * 100) / 100,
  }),
);
