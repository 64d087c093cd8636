import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_SET,
  DEFAULT_RULE_SET_DEFINITION,
  PricingError,
  loadRuleSet,
  normalizeCountryKey,
  resolveRegion,
  type RuleSetIssue,
} from '../src/index.js';

const minimal = {
  regionDiscountsBps: { NAMER: 1000 },
  defaultRegionDiscountBps: 500,
  maxDiscountBps: 2500,
  approvalThresholdBps: 2000,
};

function issuesOf(raw: unknown): RuleSetIssue[] {
  try {
    loadRuleSet(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PricingError);
    const pricingError = error as PricingError;
    expect(pricingError.code).toBe('INVALID_RULE_SET');
    return [...pricingError.issues];
  }
  throw new Error('expected loadRuleSet to throw');
}

describe('default rule set', () => {
  it("is the seed's region table", () => {
    expect(DEFAULT_RULE_SET.id).toBe('seed-default-v1');
    expect(DEFAULT_RULE_SET_DEFINITION.regionDiscountsBps).toEqual({ NAMER: 1000, EMEA: 1500, APAC: 800 });
    expect(DEFAULT_RULE_SET_DEFINITION.defaultRegionDiscountBps).toBe(500);
    expect(DEFAULT_RULE_SET_DEFINITION.familyAdjustmentsBps).toEqual({});
    expect(DEFAULT_RULE_SET_DEFINITION.quantityTiers).toEqual([]);
    expect(DEFAULT_RULE_SET.maxDiscountBps).toBe(2500);
    expect(DEFAULT_RULE_SET.approvalThresholdBps).toBe(2000);
    expect(DEFAULT_RULE_SET.expirationDays).toBe(30);
    expect([...DEFAULT_RULE_SET.regionBps]).toEqual([1000, 1500, 800, 500]);
  });

  it('round-trips through JSON', () => {
    const reloaded = loadRuleSet(JSON.parse(JSON.stringify(DEFAULT_RULE_SET_DEFINITION)));
    expect(reloaded.definition).toEqual(DEFAULT_RULE_SET.definition);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_RULE_SET)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULE_SET.definition.regionDiscountsBps)).toBe(true);
  });
});

describe('loadRuleSet', () => {
  it('fills in defaults for optional fields', () => {
    const rules = loadRuleSet(minimal);
    expect(rules.id).toBe('custom');
    expect(rules.expirationDays).toBe(30);
    expect(rules.definition.countryRegions).toEqual({});
    expect(rules.tierMinHundredths.length).toBe(0);
    expect(rules.currencyDecimals.get('JPY')).toBe(0);
  });

  it('compiles tiers, families and currency overrides', () => {
    const rules = loadRuleSet({
      ...minimal,
      id: 'spring-promo',
      familyAdjustmentsBps: { Options: 200 },
      quantityTiers: [
        { minQuantity: 10, extraBps: 100 },
        { minQuantity: 50.5, extraBps: 300 },
      ],
      countryRegions: { 'united states': 'NAMER', 'u.s.': 'NAMER' },
      currencyDecimals: { HUF: 0, XTS: 3 },
      expirationDays: 45,
    });
    expect(rules.id).toBe('spring-promo');
    expect([...rules.tierMinHundredths]).toEqual([1000, 5050]);
    expect([...rules.tierExtraBps]).toEqual([100, 300]);
    expect(rules.tierRuleIds).toEqual(['tier:10+', 'tier:50.5+']);
    expect(rules.familyIndexByName.get('Options')).toBe(0);
    expect(rules.definition.countryRegions).toEqual({ 'UNITED STATES': 'NAMER', US: 'NAMER' });
    expect(rules.currencyDecimals.get('HUF')).toBe(0);
    expect(rules.currencyDecimals.get('XTS')).toBe(3);
    expect(rules.currencyDecimals.get('USD')).toBe(2);
    expect(rules.expirationDays).toBe(45);
  });

  it('rejects a non-object with a clear message', () => {
    expect(issuesOf(null)).toEqual([{ path: '(root)', message: 'must be an object, got null' }]);
    expect(issuesOf([1])).toEqual([{ path: '(root)', message: 'must be an object, got an array' }]);
    expect(() => loadRuleSet('x')).toThrow(
      /INVALID_RULE_SET: invalid rule set: \(root\): must be an object, got "x"/,
    );
  });

  it('names every wrong path and says why', () => {
    const issues = issuesOf({
      regionDiscountsBps: { NAMER: 0.1, EMEA: 1500, ' APAC': 800 },
      defaultRegionDiscountBps: -1,
      maxDiscountBps: 10_001,
      countryRegions: { Germany: 'EMEA', France: 'EUROPE', DE: 7 },
      familyAdjustmentsBps: { Options: 'two' },
      quantityTiers: [
        { minQuantity: 10, extraBps: 300 },
        { minQuantity: 5, extraBps: 200 },
        { minQuantity: 0, extraBps: 100 },
        { minQuantity: 1.234, extraBps: 400, bonus: 1 },
      ],
      expirationDays: 30.5,
      currencyDecimals: { usd: 2, JPY: 4 },
      expirationDay: 30,
    });
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath).toEqual({
      expirationDay:
        'unknown field (expected one of id, regionDiscountsBps, defaultRegionDiscountBps, countryRegions, familyAdjustmentsBps, quantityTiers, maxDiscountBps, approvalThresholdBps, expirationDays, currencyDecimals)',
      'regionDiscountsBps["NAMER"]':
        'must be an integer number of basis points in [0, 10000], got 0.1 (this looks like a fraction: 15% is 1500 basis points)',
      'regionDiscountsBps[" APAC"]': 'key must be non-empty and have no surrounding whitespace',
      defaultRegionDiscountBps: 'must be an integer number of basis points in [0, 10000], got -1',
      maxDiscountBps: 'must be an integer number of basis points in [0, 10000], got 10001',
      approvalThresholdBps: 'is required (an integer number of basis points, 15% = 1500)',
      'countryRegions["France"]': 'region "EUROPE" is not a key of regionDiscountsBps',
      'countryRegions["DE"]': 'must be a region code (string), got 7',
      'familyAdjustmentsBps["Options"]': 'must be an integer number of basis points in [0, 10000], got "two"',
      'quantityTiers[1].minQuantity':
        "must be greater than the previous tier's 10 (tiers are listed in ascending order), got 5",
      'quantityTiers[1].extraBps':
        "must not be lower than the previous tier's 300 (more quantity must never raise the price), got 200",
      'quantityTiers[2].minQuantity': 'must be a positive quantity with at most 2 decimals, got 0',
      'quantityTiers[3].bonus': 'unknown field (expected minQuantity, extraBps)',
      'quantityTiers[3].minQuantity': 'must be a positive quantity with at most 2 decimals, got 1.234',
      expirationDays: 'must be an integer number of days in [0, 3650], got 30.5',
      'currencyDecimals["usd"]': 'key must be an upper-case ISO 4217 code such as "USD"',
      'currencyDecimals["JPY"]': 'must be 0, 1, 2 or 3 decimals, got 4',
    });
  });

  it('rejects conflicting country keys that normalise to the same key', () => {
    const issues = issuesOf({
      ...minimal,
      regionDiscountsBps: { NAMER: 1000, EMEA: 1500 },
      countryRegions: { US: 'NAMER', 'u.s.': 'EMEA' },
    });
    expect(issues).toEqual([
      { path: 'countryRegions["u.s."]', message: 'normalises to "US", already mapped to NAMER, not EMEA' },
    ]);
  });

  it('requires the region table and rejects wrong container types', () => {
    const issues = issuesOf({
      defaultRegionDiscountBps: 500,
      maxDiscountBps: 2500,
      approvalThresholdBps: 2000,
      quantityTiers: {},
      id: '',
    });
    expect(issues).toEqual([
      { path: 'id', message: 'must be a non-empty string of at most 80 characters, got ""' },
      { path: 'regionDiscountsBps', message: 'is required (an object)' },
      { path: 'quantityTiers', message: 'must be an array of { minQuantity, extraBps }, got {}' },
    ]);
  });
});

describe('region resolution', () => {
  it('uses the account region, exactly', () => {
    expect(resolveRegion(DEFAULT_RULE_SET, 'EMEA', 'Japan')).toEqual({
      index: 1,
      name: 'EMEA',
      source: 'account',
      countryKey: null,
    });
    expect(resolveRegion(DEFAULT_RULE_SET, ' APAC ', null).name).toBe('APAC');
  });

  it('gives an unknown region the default, without consulting the country (like the seed)', () => {
    expect(resolveRegion(DEFAULT_RULE_SET, 'LATAM', 'Germany')).toEqual({
      index: 3,
      name: null,
      source: 'default',
      countryKey: null,
    });
    expect(resolveRegion(DEFAULT_RULE_SET, 'emea', null).source).toBe('default');
  });

  it('falls back to the country when the region is missing or blank', () => {
    expect(resolveRegion(DEFAULT_RULE_SET, null, 'Germany')).toEqual({
      index: 1,
      name: 'EMEA',
      source: 'country',
      countryKey: 'GERMANY',
    });
    expect(resolveRegion(DEFAULT_RULE_SET, undefined, 'US').name).toBe('NAMER');
    expect(resolveRegion(DEFAULT_RULE_SET, '  ', 'Japan').name).toBe('APAC');
    expect(resolveRegion(DEFAULT_RULE_SET, '', 'united  states').name).toBe('NAMER');
    expect(resolveRegion(DEFAULT_RULE_SET, null, 'u.s.a.').name).toBe('NAMER');
    expect(resolveRegion(DEFAULT_RULE_SET, null, 'JPN').name).toBe('APAC');
    expect(resolveRegion(DEFAULT_RULE_SET, null, 'Mexico')).toEqual({
      index: 3,
      name: null,
      source: 'default',
      countryKey: null,
    });
    expect(resolveRegion(DEFAULT_RULE_SET, null, null).source).toBe('default');
  });

  it('normalises country keys', () => {
    expect(normalizeCountryKey(' u.s.a. ')).toBe('USA');
    expect(normalizeCountryKey('united \t kingdom')).toBe('UNITED KINGDOM');
  });
});
