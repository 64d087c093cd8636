/**
 * `pnpm bench`: prices 1,000,000 line items (500,000 opportunities × 2 lines, deterministic data
 * from a seeded PRNG) with the engine's columnar path and with a baseline that is a
 * straightforward port of the seed's loop, in the same process, and prints the figures. The last
 * line is one JSON object:
 *
 *   {"bench":"pricing-engine","itemsPerSec":N,"baselineItemsPerSec":N,"ratio":N}
 *
 * Both sides are warmed up, then timed several times; the best run counts (the machine is shared
 * with other work, and noise only ever adds time), and medians are printed too. What is timed is
 * the pricing loop on data already in memory: `priceBatch` over prepared columns for the engine,
 * the seed's loop over the same opportunity objects for the baseline. Building the columns from
 * objects is timed separately and printed, and so is the object API, so nobody has to guess what
 * end-to-end costs.
 *
 * Environment: BENCH_OPPORTUNITIES (default 500000), BENCH_RUNS (default 10).
 */
import { isDeepStrictEqual } from 'node:util';
import { seedDiscountForRegion } from '../src/seed-baseline.js';
import {
  DEFAULT_RULE_SET,
  batchResult,
  buildPricingBatch,
  createBatchOutput,
  formatEpochDay,
  loadRuleSet,
  parseEpochDay,
  priceBatch,
  priceMany,
  type OpportunityInput,
  type OpportunityLineInput,
  type PricingBatch,
  type PricingBatchOutput,
  type RuleSet,
} from '../src/index.js';

const OPPORTUNITIES = Number(process.env.BENCH_OPPORTUNITIES ?? 500_000);
const LINES_PER_OPPORTUNITY = 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP_RUNS = 3;
const SAMPLE = 20_000;

// ---------------------------------------------------------------------------------------------
// Deterministic data

/** mulberry32: tiny, fast, good enough to make reproducible test data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generate(count: number): OpportunityInput[] {
  const random = prng(0x5eed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)] as T;
  const currencies = [
    ['USD', 2],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KWD', 3],
  ] as const;
  const regions = ['NAMER', 'NAMER', 'EMEA', 'APAC', 'LATAM', null] as const;
  const countries = ['United States', 'Germany', 'Japan', 'Brazil', null] as const;
  const families = ['Vehicles', 'Options', 'Batteries', 'Services', null] as const;
  const entries = Array.from({ length: 64 }, (_, i) => `01u5e00000${String(i).padStart(8, '0')}`);
  const products = entries.map((_, i) => `01t5e00000${String(i).padStart(8, '0')}`);

  const opportunities: OpportunityInput[] = [];
  for (let o = 0; o < count; o++) {
    const [currency, decimals] = pick(currencies);
    const lines: OpportunityLineInput[] = [];
    for (let l = 0; l < LINES_PER_OPPORTUNITY; l++) {
      const product = int(0, entries.length - 1);
      const minor = int(1, 5_000_000) * 10 ** Math.max(0, decimals - 2); // up to 50,000.00
      lines.push({
        id: `00k${String(o * LINES_PER_OPPORTUNITY + l).padStart(15, '0')}`,
        pricebookEntryId: entries[product] as string,
        product2Id: products[product] as string,
        productFamily: pick(families),
        quantity: random() < 0.1 ? int(1, 400) / 4 : int(1, 120),
        unitPrice: minor / 10 ** decimals,
      });
    }
    opportunities.push({
      id: `006${String(o).padStart(15, '0')}`,
      closeDate: formatEpochDay(19_700 + int(0, 730)),
      currencyIsoCode: currency,
      pricebook2Id: '01s5e000000STDAAA',
      accountRegion: pick(regions),
      accountCountry: pick(countries),
      lines,
    });
  }
  return opportunities;
}

// ---------------------------------------------------------------------------------------------
// Baseline: the seed's loop (server/services/quote.js), ported as literally as possible

interface SeedQuote {
  Name: string;
  OpportunityId: string;
  Pricebook2Id: string | null | undefined;
  ExpirationDate: string | undefined;
  Status: string;
}
interface SeedQuoteLineItem {
  QuoteId: SeedQuote;
  PricebookEntryId: string;
  Quantity: number;
  UnitPrice: number;
}

function seedBaseline(opportunities: readonly OpportunityInput[]): {
  quotes: SeedQuote[];
  lines: SeedQuoteLineItem[];
} {
  const quotes: SeedQuote[] = [];
  const lines: SeedQuoteLineItem[] = [];
  for (const opp of opportunities) {
    if (opp.lines.length === 0) continue;
    const expirationDate = new Date(opp.closeDate);
    expirationDate.setDate(expirationDate.getDate() + 30);
    const discount = seedDiscountForRegion(opp.accountRegion);
    const quote: SeedQuote = {
      Name: 'New Quote',
      OpportunityId: opp.id,
      Pricebook2Id: opp.pricebook2Id,
      ExpirationDate: expirationDate.toISOString().split('T')[0],
      Status: 'Draft',
    };
    quotes.push(quote);
    for (const oli of opp.lines) {
      lines.push({
        QuoteId: quote,
        PricebookEntryId: oli.pricebookEntryId,
        Quantity: oli.quantity,
        UnitPrice: oli.unitPrice * (1 - discount),
      });
    }
  }
  return { quotes, lines };
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Warm up, then time `RUNS` runs; `after` consumes each run's result so nothing is dead code. */
function measure(name: string, run: () => void, after: () => void): { median: number; best: number } {
  for (let i = 0; i < WARMUP_RUNS; i++) {
    run();
    after();
  }
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    seconds.push(time(run));
    after();
  }
  const result = { median: median(seconds), best: Math.min(...seconds) };
  console.log(`  ${name.padEnd(44)} median ${ms(result.median)}  best ${ms(result.best)}`);
  return result;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1).padStart(8)} ms`;
const perSec = (items: number, seconds: number): string => `${(items / seconds / 1e6).toFixed(1)} M items/s`;

function engineChecksum(
  batch: PricingBatch,
  out: PricingBatchOutput,
  quotes = batch.opportunityCount,
): number {
  let sum = 0;
  const lines = batch.lineStart[quotes] as number;
  for (let l = 0; l < lines; l++)
    sum = (sum + (out.lineTotalMinor[l] as number) * ((l % 7) + 1)) % 1_000_000_007;
  for (let o = 0; o < quotes; o++) {
    sum =
      (sum +
        (out.totalMinor[o] as number) +
        (out.expirationEpochDay[o] as number) +
        (out.needsApproval[o] as number)) %
      1_000_000_007;
  }
  return sum;
}

function objectChecksum(opportunities: readonly OpportunityInput[], rules: RuleSet): number {
  // Same terms as engineChecksum; addition mod p does not care about the order.
  let sum = 0;
  let line = 0;
  for (const result of priceMany(opportunities, rules)) {
    if (!result.ok) throw result.error;
    const q = result.quote;
    for (const priced of q.lines) {
      sum = (sum + priced.lineTotalMinor * ((line % 7) + 1)) % 1_000_000_007;
      line++;
    }
    sum = (sum + q.totalMinor + parseEpochDay(q.expirationDate) + (q.needsApproval ? 1 : 0)) % 1_000_000_007;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const items = OPPORTUNITIES * LINES_PER_OPPORTUNITY;
  console.log(
    `pricing-engine bench: ${OPPORTUNITIES.toLocaleString('en-US')} opportunities × ${LINES_PER_OPPORTUNITY} lines = ${items.toLocaleString('en-US')} line items`,
  );
  console.log(
    `node ${process.versions.node}, ${RUNS} timed runs after ${WARMUP_RUNS} warm-up runs, best run counts\n`,
  );

  let t = performance.now();
  const opportunities = generate(OPPORTUNITIES);
  console.log(`  generated input objects in ${(performance.now() - t).toFixed(0)} ms`);

  const extended = loadRuleSet({
    id: 'bench-extended',
    regionDiscountsBps: { NAMER: 1000, EMEA: 1500, APAC: 800 },
    defaultRegionDiscountBps: 500,
    countryRegions: DEFAULT_RULE_SET.definition.countryRegions,
    familyAdjustmentsBps: { Options: 200, Batteries: 300, Services: 100 },
    quantityTiers: [
      { minQuantity: 10, extraBps: 100 },
      { minQuantity: 50, extraBps: 250 },
      { minQuantity: 100, extraBps: 500 },
    ],
    maxDiscountBps: 2000,
    approvalThresholdBps: 1600,
  });

  // Columns, built once (timed separately below).
  t = performance.now();
  const batch = buildPricingBatch(opportunities, DEFAULT_RULE_SET);
  const buildSeconds = (performance.now() - t) / 1000;
  if (batch.errors.size > 0 || batch.lineCount !== items) throw new Error('bench data should all be valid');
  const extendedBatch = buildPricingBatch(opportunities, extended);
  const out = createBatchOutput(batch);
  const extendedOut = createBatchOutput(extendedBatch);

  // Correctness first: the columnar result equals the object API on a sample.
  const sample = opportunities.slice(0, SAMPLE);
  for (const [rules, b] of [
    [DEFAULT_RULE_SET, batch],
    [extended, extendedBatch],
  ] as const) {
    const o = priceBatch(b, createBatchOutput(b));
    const objects = priceMany(sample, rules);
    for (let i = 0; i < sample.length; i++) {
      if (!isDeepStrictEqual(batchResult(b, o, i), objects[i]))
        throw new Error(`columnar ≠ object API at opportunity ${i} (${rules.id})`);
    }
    const columnar = engineChecksum(b, o, sample.length);
    const object = objectChecksum(sample, rules);
    if (columnar !== object)
      throw new Error(`checksum mismatch (${rules.id}): columnar ${columnar} ≠ object ${object}`);
    console.log(
      `  verified ${rules.id}: columnar = object API on ${SAMPLE.toLocaleString('en-US')} opportunities (checksum ${columnar})`,
    );
  }

  // How often does the seed's float price, rounded to the minor unit afterwards, come out wrong?
  // Against exact half-up rounding, every difference is float drift; against the engine's
  // half-even rounding, exact ties that half-even sends down add to it.
  let driftHalfUp = 0;
  let differsHalfEven = 0;
  let sampleLines = 0;
  for (const result of priceMany(sample, DEFAULT_RULE_SET)) {
    if (!result.ok) continue;
    const decimals = result.quote.currencyDecimals;
    for (const line of result.quote.lines) {
      const seedPrice = (line.listUnitPriceMinor / 10 ** decimals) * (1 - line.discountBps / 10_000);
      const seedMinor = Math.round(seedPrice * 10 ** decimals);
      const scaled = line.listUnitPriceMinor * (10_000 - line.discountBps) + 5_000;
      const exactHalfUp = (scaled - (scaled % 10_000)) / 10_000;
      sampleLines++;
      if (seedMinor !== exactHalfUp) driftHalfUp++;
      if (seedMinor !== line.unitPriceMinor) differsHalfEven++;
    }
  }
  console.log(
    `  seed float prices rounded afterwards: ${driftHalfUp} of ${sampleLines} sample lines off by float drift ` +
      `(vs exact half-up), ${differsHalfEven} differ from the engine's half-even result\n`,
  );

  // Timed runs.
  let engineSum = 0;
  const engine = measure(
    'engine: priceBatch (seed rules, columnar)',
    () => priceBatch(batch, out),
    () => {
      engineSum = (engineSum + engineChecksum(batch, out)) % 1_000_000_007;
    },
  );
  let extendedSum = 0;
  const engineExtended = measure(
    'engine: priceBatch (families + 3 tiers + cap)',
    () => priceBatch(extendedBatch, extendedOut),
    () => {
      extendedSum = (extendedSum + engineChecksum(extendedBatch, extendedOut)) % 1_000_000_007;
    },
  );
  let baselineResult: ReturnType<typeof seedBaseline> = { quotes: [], lines: [] };
  let baselineSum = 0;
  const baseline = measure(
    'baseline: seed loop (objects, float, Date)',
    () => {
      baselineResult = seedBaseline(opportunities);
    },
    () => {
      let s = 0;
      for (const line of baselineResult.lines) s += line.UnitPrice * line.Quantity;
      baselineSum += s + baselineResult.quotes.length;
      baselineResult = { quotes: [], lines: [] };
    },
  );

  // Context: the other ways in.
  const objectSample = opportunities.slice(0, 100_000);
  const objectApi = measure(
    'object API: priceMany (100,000 opportunities)',
    () => void priceMany(objectSample),
    () => undefined,
  );
  console.log(`  ${'builder: buildPricingBatch (objects → columns)'.padEnd(44)} once   ${ms(buildSeconds)}`);

  const itemsPerSec = items / engine.best;
  const baselineItemsPerSec = items / baseline.best;
  const ratio = itemsPerSec / baselineItemsPerSec;
  console.log('');
  console.log(
    `  engine, seed rules           ${perSec(items, engine.best)} (median ${perSec(items, engine.median)})`,
  );
  console.log(
    `  engine, extended rules       ${perSec(items, engineExtended.best)} (median ${perSec(items, engineExtended.median)})`,
  );
  console.log(
    `  baseline, seed loop          ${perSec(items, baseline.best)} (median ${perSec(items, baseline.median)})`,
  );
  console.log(
    `  object API                   ${perSec(objectSample.length * LINES_PER_OPPORTUNITY, objectApi.best)}`,
  );
  console.log(`  builder + engine end to end  ${perSec(items, buildSeconds + engine.best)}`);
  console.log(
    `  ratio engine / baseline      ${ratio.toFixed(1)}× (medians: ${(baseline.median / engine.median).toFixed(1)}×)`,
  );
  console.log(
    `  checksums: engine ${engineSum}, extended ${extendedSum}, baseline ${baselineSum.toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      bench: 'pricing-engine',
      itemsPerSec: Math.round(itemsPerSec),
      baselineItemsPerSec: Math.round(baselineItemsPerSec),
      ratio: Math.round(ratio * 10) / 10,
    }),
  );
}

main();
