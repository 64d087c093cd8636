/**
 * Pricing rules as data: the JSON shape ({@link RuleSetDefinition}), the validated and compiled
 * form the engine runs on ({@link RuleSet}), the defaults, and {@link loadRuleSet}.
 *
 * How a line's discount is computed (all in integer basis points, 10000 = 100%):
 *
 *   region discount (account region, else region of the account country, else the default)
 * + family adjustment (when the product family is listed)
 * + quantity tier (the highest tier whose `minQuantity` the line's quantity reaches)
 * = total, then capped at `maxDiscountBps`.
 *
 * Why additive points rather than compounding: it is what sales ops tables say ("EMEA 15%, plus
 * 2 points on Options") and it keeps every step an integer. Why validate everything at load:
 * rule sets come from config or a Custom Metadata record, and a typo must fail the deploy with
 * a path, not silently price 10,000 quotes at the default.
 */
import { PricingError, type RuleSetIssue } from './errors.js';
import { DEFAULT_COUNTRY_REGIONS, normalizeCountryKey } from './country-regions.js';
import { BPS_SCALE, CURRENCY_DECIMALS, toScaledInteger, type CurrencyDecimals } from './money.js';

/** One quantity break: from `minQuantity` units up, the line earns `extraBps` more discount. */
export interface QuantityTierDefinition {
  /**
   * Smallest quantity (inclusive) that earns this tier; positive, at most two decimals.
   * Tiers must be listed in strictly increasing `minQuantity` order.
   */
  readonly minQuantity: number;
  /**
   * Extra discount in basis points added for this tier (not cumulative with lower tiers: the
   * highest tier reached applies). Must not decrease from one tier to the next, so buying more
   * never raises the unit price.
   */
  readonly extraBps: number;
}

/** A rule set as it is written in JSON. Percentages are integer basis points (15% = 1500). */
export interface RuleSetDefinition {
  /**
   * Name of the rule set, echoed on every priced quote so a result can be traced to its rules.
   * @defaultValue `'custom'`
   */
  readonly id?: string;
  /**
   * Region discount by region code as it appears on the account (exact, case-sensitive match,
   * like the Salesforce picklist API value), e.g. `{ "NAMER": 1000, "EMEA": 1500 }`.
   */
  readonly regionDiscountsBps: Readonly<Record<string, number>>;
  /** Discount for a region that is missing, unknown, or cannot be derived from the country. */
  readonly defaultRegionDiscountBps: number;
  /**
   * Region of a country, used only when the account has no region. Keys are ISO 3166 codes or
   * names, matched ignoring case, dots and repeated spaces (`"u.s.a."` finds `"USA"`); values
   * must be keys of {@link RuleSetDefinition.regionDiscountsBps}.
   * @defaultValue `{}` (no country fallback)
   */
  readonly countryRegions?: Readonly<Record<string, string>>;
  /**
   * Extra discount points by product family (exact match on Product2.Family).
   * @defaultValue `{}`
   */
  readonly familyAdjustmentsBps?: Readonly<Record<string, number>>;
  /**
   * Quantity breaks, ascending; see {@link QuantityTierDefinition}.
   * @defaultValue `[]`
   */
  readonly quantityTiers?: readonly QuantityTierDefinition[];
  /** Upper bound of a line's total discount; the `cap` rule fires when it bites. */
  readonly maxDiscountBps: number;
  /**
   * A quote whose effective discount (total discount / subtotal, in whole basis points) is
   * strictly above this needs approval.
   */
  readonly approvalThresholdBps: number;
  /**
   * Days from CloseDate to the quote's ExpirationDate, an integer in [0, 3650].
   * @defaultValue `30`
   */
  readonly expirationDays?: number;
  /**
   * Extra or overriding currency minor units (0-3) by ISO code, on top of
   * {@link CURRENCY_DECIMALS}, e.g. `{ "HUF": 0 }` for an org that prices forints without fillér.
   * @defaultValue `{}`
   */
  readonly currencyDecimals?: Readonly<Record<string, number>>;
}

/** How the region of a quote was chosen. */
export type RegionSource = 'account' | 'country' | 'default';

/**
 * A validated rule set compiled into lookup tables. Create it with {@link loadRuleSet}; the
 * typed arrays are shared by every batch priced with it and must not be modified.
 */
export interface RuleSet {
  /** {@link RuleSetDefinition.id}. */
  readonly id: string;
  /** The normalised definition (defaults filled in, country keys normalised), frozen. */
  readonly definition: Readonly<Required<RuleSetDefinition>>;
  /** Region codes; a region's index into {@link RuleSet.regionBps}. */
  readonly regionNames: readonly string[];
  /** Index used for the default region: `regionNames.length`. */
  readonly defaultRegionIndex: number;
  /** Discount by region index, the default region last. */
  readonly regionBps: Int32Array;
  /** Region index by region code. */
  readonly regionIndexByName: ReadonlyMap<string, number>;
  /** Region index by normalised country key (see {@link normalizeCountryKey}). */
  readonly countryRegionIndex: ReadonlyMap<string, number>;
  /** Product families with an adjustment; a family's index into {@link RuleSet.familyBps}. */
  readonly familyNames: readonly string[];
  /** Extra discount by family index. */
  readonly familyBps: Int32Array;
  /** Family index by family name. */
  readonly familyIndexByName: ReadonlyMap<string, number>;
  /** Tier thresholds in hundredths of a unit, ascending. */
  readonly tierMinHundredths: Float64Array;
  /** Extra discount by tier index. */
  readonly tierExtraBps: Int32Array;
  /** Rule id of each tier, e.g. `tier:10+`. */
  readonly tierRuleIds: readonly string[];
  /** {@link RuleSetDefinition.maxDiscountBps}. */
  readonly maxDiscountBps: number;
  /** {@link RuleSetDefinition.approvalThresholdBps}. */
  readonly approvalThresholdBps: number;
  /** {@link RuleSetDefinition.expirationDays}. */
  readonly expirationDays: number;
  /** Minor units by currency ISO code: the built-in table merged with the rule set's overrides. */
  readonly currencyDecimals: ReadonlyMap<string, CurrencyDecimals>;
}

/**
 * The default rules: exactly the seed's region table (NAMER 10%, EMEA 15%, APAC 8%, anything
 * else 5%), plus a country fallback for accounts without a region. No family adjustments and no
 * quantity tiers, so every line is priced as the seed priced it; the 25% cap and 20% approval
 * threshold therefore never bind with these rules and are there as safe values to copy.
 */
export const DEFAULT_RULE_SET_DEFINITION: Readonly<Required<RuleSetDefinition>> = Object.freeze({
  id: 'seed-default-v1',
  regionDiscountsBps: Object.freeze({ NAMER: 1000, EMEA: 1500, APAC: 800 }),
  defaultRegionDiscountBps: 500,
  countryRegions: DEFAULT_COUNTRY_REGIONS,
  familyAdjustmentsBps: Object.freeze({}),
  quantityTiers: Object.freeze([]),
  maxDiscountBps: 2500,
  approvalThresholdBps: 2000,
  expirationDays: 30,
  currencyDecimals: Object.freeze({}),
});

const KNOWN_FIELDS: readonly (keyof RuleSetDefinition)[] = [
  'id',
  'regionDiscountsBps',
  'defaultRegionDiscountBps',
  'countryRegions',
  'familyAdjustmentsBps',
  'quantityTiers',
  'maxDiscountBps',
  'approvalThresholdBps',
  'expirationDays',
  'currencyDecimals',
];

/** Longest quantity threshold accepted (one trillion units), far beyond any real order. */
const MAX_TIER_QUANTITY = 1e12;

/**
 * Validates a rule set (e.g. parsed JSON) and compiles it. Throws a {@link PricingError} with
 * code `INVALID_RULE_SET` whose `issues` list every problem with its path, e.g.
 * `quantityTiers[1].extraBps: must not be lower than the previous tier's 300 (more quantity
 * must never raise the price), got 200`.
 */
export function loadRuleSet(raw: unknown): RuleSet {
  const issues: RuleSetIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };

  if (!isPlainObject(raw)) {
    throw invalid([{ path: '(root)', message: `must be an object, got ${describe(raw)}` }]);
  }
  for (const key of Object.keys(raw)) {
    if (!(KNOWN_FIELDS as readonly string[]).includes(key)) {
      issue(key, `unknown field (expected one of ${KNOWN_FIELDS.join(', ')})`);
    }
  }

  let id = 'custom';
  if (raw.id !== undefined) {
    if (typeof raw.id !== 'string' || raw.id.trim() === '' || raw.id.length > 80) {
      issue('id', `must be a non-empty string of at most 80 characters, got ${describe(raw.id)}`);
    } else {
      id = raw.id;
    }
  }

  const regionDiscountsBps = readRecord(raw, 'regionDiscountsBps', true, issue, (path, value) =>
    checkBps(path, value, issue),
  );
  const defaultRegionDiscountBps = readBps(raw, 'defaultRegionDiscountBps', issue);
  const maxDiscountBps = readBps(raw, 'maxDiscountBps', issue);
  const approvalThresholdBps = readBps(raw, 'approvalThresholdBps', issue);

  const countryRegions: Record<string, string> = {};
  const rawCountries = readRecord(raw, 'countryRegions', false, issue, (path, value) => {
    if (typeof value !== 'string') {
      issue(path, `must be a region code (string), got ${describe(value)}`);
      return false;
    }
    if (!Object.hasOwn(regionDiscountsBps, value)) {
      issue(path, `region ${JSON.stringify(value)} is not a key of regionDiscountsBps`);
      return false;
    }
    return true;
  });
  for (const [country, region] of Object.entries(rawCountries)) {
    const key = normalizeCountryKey(country);
    const existing = countryRegions[key];
    if (existing !== undefined && existing !== region) {
      issue(
        `countryRegions[${JSON.stringify(country)}]`,
        `normalises to ${JSON.stringify(key)}, already mapped to ${existing}, not ${String(region)}`,
      );
    }
    countryRegions[key] = region as string;
  }

  const familyAdjustmentsBps = readRecord(raw, 'familyAdjustmentsBps', false, issue, (path, value) =>
    checkBps(path, value, issue),
  );

  const quantityTiers: QuantityTierDefinition[] = [];
  if (raw.quantityTiers !== undefined) {
    if (!Array.isArray(raw.quantityTiers)) {
      issue(
        'quantityTiers',
        `must be an array of { minQuantity, extraBps }, got ${describe(raw.quantityTiers)}`,
      );
    } else {
      let previous: QuantityTierDefinition | undefined;
      raw.quantityTiers.forEach((tier: unknown, index: number) => {
        const path = `quantityTiers[${index}]`;
        if (!isPlainObject(tier)) {
          issue(path, `must be an object { minQuantity, extraBps }, got ${describe(tier)}`);
          return;
        }
        for (const key of Object.keys(tier)) {
          if (key !== 'minQuantity' && key !== 'extraBps')
            issue(`${path}.${key}`, 'unknown field (expected minQuantity, extraBps)');
        }
        const { minQuantity, extraBps } = tier;
        let ok = true;
        if (
          typeof minQuantity !== 'number' ||
          !(minQuantity > 0) ||
          minQuantity > MAX_TIER_QUANTITY ||
          Number.isNaN(toScaledInteger(minQuantity, 2))
        ) {
          issue(
            `${path}.minQuantity`,
            `must be a positive quantity with at most 2 decimals, got ${describe(minQuantity)}`,
          );
          ok = false;
        }
        if (!checkBps(`${path}.extraBps`, extraBps, issue)) ok = false;
        if (!ok) return;
        const current = { minQuantity: minQuantity as number, extraBps: extraBps as number };
        if (previous !== undefined) {
          if (current.minQuantity <= previous.minQuantity) {
            issue(
              `${path}.minQuantity`,
              `must be greater than the previous tier's ${previous.minQuantity} (tiers are listed in ascending order), got ${current.minQuantity}`,
            );
          }
          if (current.extraBps < previous.extraBps) {
            issue(
              `${path}.extraBps`,
              `must not be lower than the previous tier's ${previous.extraBps} (more quantity must never raise the price), got ${current.extraBps}`,
            );
          }
        }
        quantityTiers.push(current);
        previous = current;
      });
    }
  }

  let expirationDays = 30;
  if (raw.expirationDays !== undefined) {
    const days = raw.expirationDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 3650) {
      issue('expirationDays', `must be an integer number of days in [0, 3650], got ${describe(days)}`);
    } else {
      expirationDays = days;
    }
  }

  const currencyDecimalsOverrides = readRecord(raw, 'currencyDecimals', false, issue, (path, value, key) => {
    let ok = true;
    if (!/^[A-Z]{3}$/.test(key)) {
      issue(path, 'key must be an upper-case ISO 4217 code such as "USD"');
      ok = false;
    }
    if (value !== 0 && value !== 1 && value !== 2 && value !== 3) {
      issue(path, `must be 0, 1, 2 or 3 decimals, got ${describe(value)}`);
      ok = false;
    }
    return ok;
  });

  if (issues.length > 0) throw invalid(issues);

  const definition: Required<RuleSetDefinition> = deepFreeze({
    id,
    regionDiscountsBps: regionDiscountsBps as Record<string, number>,
    defaultRegionDiscountBps,
    countryRegions,
    familyAdjustmentsBps: familyAdjustmentsBps as Record<string, number>,
    quantityTiers,
    maxDiscountBps,
    approvalThresholdBps,
    expirationDays,
    currencyDecimals: currencyDecimalsOverrides as Record<string, number>,
  });
  return compile(definition);
}

function compile(definition: Required<RuleSetDefinition>): RuleSet {
  const regionNames = Object.keys(definition.regionDiscountsBps);
  const regionBps = new Int32Array(regionNames.length + 1);
  const regionIndexByName = new Map<string, number>();
  regionNames.forEach((name, index) => {
    regionBps[index] = definition.regionDiscountsBps[name] ?? 0;
    regionIndexByName.set(name, index);
  });
  regionBps[regionNames.length] = definition.defaultRegionDiscountBps;

  const countryRegionIndex = new Map<string, number>();
  for (const [country, region] of Object.entries(definition.countryRegions)) {
    const index = regionIndexByName.get(region);
    if (index !== undefined) countryRegionIndex.set(country, index);
  }

  const familyNames = Object.keys(definition.familyAdjustmentsBps);
  const familyBps = new Int32Array(familyNames.length);
  const familyIndexByName = new Map<string, number>();
  familyNames.forEach((name, index) => {
    familyBps[index] = definition.familyAdjustmentsBps[name] ?? 0;
    familyIndexByName.set(name, index);
  });

  const tiers = definition.quantityTiers;
  const tierMinHundredths = new Float64Array(tiers.length);
  const tierExtraBps = new Int32Array(tiers.length);
  const tierRuleIds: string[] = [];
  tiers.forEach((tier, index) => {
    tierMinHundredths[index] = toScaledInteger(tier.minQuantity, 2);
    tierExtraBps[index] = tier.extraBps;
    tierRuleIds.push(`tier:${tier.minQuantity}+`);
  });

  const currencyDecimals = new Map<string, CurrencyDecimals>(
    Object.entries(CURRENCY_DECIMALS) as [string, CurrencyDecimals][],
  );
  for (const [code, decimals] of Object.entries(definition.currencyDecimals)) {
    currencyDecimals.set(code, decimals as CurrencyDecimals);
  }

  return Object.freeze({
    id: definition.id,
    definition,
    regionNames: Object.freeze(regionNames),
    defaultRegionIndex: regionNames.length,
    regionBps,
    regionIndexByName,
    countryRegionIndex,
    familyNames: Object.freeze(familyNames),
    familyBps,
    familyIndexByName,
    tierMinHundredths,
    tierExtraBps,
    tierRuleIds: Object.freeze(tierRuleIds),
    maxDiscountBps: definition.maxDiscountBps,
    approvalThresholdBps: definition.approvalThresholdBps,
    expirationDays: definition.expirationDays,
    currencyDecimals,
  });
}

/** The default rules ({@link DEFAULT_RULE_SET_DEFINITION}), loaded. */
export const DEFAULT_RULE_SET: RuleSet = loadRuleSet(DEFAULT_RULE_SET_DEFINITION);

/** Region chosen for an account. */
export interface ResolvedRegion {
  /** Index into {@link RuleSet.regionBps}; {@link RuleSet.defaultRegionIndex} for the default. */
  readonly index: number;
  /** Region code, or `null` when the default discount applies. */
  readonly name: string | null;
  /** Whether it came from the account's region, its country, or neither. */
  readonly source: RegionSource;
  /** Normalised country key that matched, when `source` is `'country'`. */
  readonly countryKey: string | null;
}

/**
 * Picks the region for an account, as the seed did plus a country fallback:
 * - a region that is present (non-blank) is matched exactly (trimmed); an unknown one gets the
 *   default discount, like the seed's `default:` branch, and the country is *not* consulted
 *   (the account said where it is; a country disagreeing is a data problem to surface, not to
 *   guess around);
 * - a missing or blank region falls back to the country table;
 * - otherwise the default.
 */
export function resolveRegion(
  ruleSet: RuleSet,
  region: string | null | undefined,
  country: string | null | undefined,
): ResolvedRegion {
  const trimmedRegion = region?.trim() ?? '';
  if (trimmedRegion !== '') {
    const index = ruleSet.regionIndexByName.get(trimmedRegion);
    return index === undefined
      ? { index: ruleSet.defaultRegionIndex, name: null, source: 'default', countryKey: null }
      : { index, name: trimmedRegion, source: 'account', countryKey: null };
  }
  if (country !== null && country !== undefined) {
    const key = normalizeCountryKey(country);
    const index = ruleSet.countryRegionIndex.get(key);
    if (index !== undefined) {
      return { index, name: ruleSet.regionNames[index] ?? null, source: 'country', countryKey: key };
    }
  }
  return { index: ruleSet.defaultRegionIndex, name: null, source: 'default', countryKey: null };
}

/** Bit set of the rules that fired on a line (the columnar form of the rule ids). */
export const RULE_FLAG_FAMILY = 1;
/** The quantity tier in `tierIndex` applied. */
export const RULE_FLAG_TIER = 2;
/** The total was capped at `maxDiscountBps`. */
export const RULE_FLAG_CAP = 4;

function invalid(issues: readonly RuleSetIssue[]): PricingError {
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new PricingError('INVALID_RULE_SET', `invalid rule set: ${summary}`, { issues });
}

function readBps(
  raw: Record<string, unknown>,
  key: string,
  issue: (path: string, message: string) => void,
): number {
  const value = raw[key];
  if (value === undefined) {
    issue(key, 'is required (an integer number of basis points, 15% = 1500)');
    return 0;
  }
  return checkBps(key, value, issue) ? (value as number) : 0;
}

function checkBps(path: string, value: unknown, issue: (path: string, message: string) => void): boolean {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= BPS_SCALE) return true;
  const hint =
    typeof value === 'number' && value > 0 && value < 1
      ? ' (this looks like a fraction: 15% is 1500 basis points)'
      : '';
  issue(path, `must be an integer number of basis points in [0, 10000], got ${describe(value)}${hint}`);
  return false;
}

function readRecord(
  raw: Record<string, unknown>,
  key: string,
  required: boolean,
  issue: (path: string, message: string) => void,
  check: (path: string, value: unknown, key: string) => boolean,
): Record<string, unknown> {
  const value = raw[key];
  if (value === undefined) {
    if (required) issue(key, 'is required (an object)');
    return {};
  }
  if (!isPlainObject(value)) {
    issue(key, `must be an object, got ${describe(value)}`);
    return {};
  }
  const result: Record<string, unknown> = {};
  for (const [entryKey, entryValue] of Object.entries(value)) {
    const path = `${key}[${JSON.stringify(entryKey)}]`;
    if (entryKey.trim() === '' || entryKey.trim() !== entryKey) {
      issue(path, 'key must be non-empty and have no surrounding whitespace');
      continue;
    }
    if (check(path, entryValue, entryKey)) result[entryKey] = entryValue;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return 'an array';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
