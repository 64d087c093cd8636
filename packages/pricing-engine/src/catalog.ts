/**
 * The car catalogue: the one table of what an eCars car can be configured with (battery ranges,
 * exterior paints, interior trims), their codes, labels, prices and image keys.
 *
 * Why it lives here, next to the pricing rules: the seed typed the same option and price arrays
 * into the Salesforce configurator LWC, the PWA, the PDF request schema and the PDF renderer, and
 * they drifted. Now every consumer reads this module, and `pnpm codegen` writes the Salesforce
 * Global Value Sets (the picklists of `Vehicle__c` and `Car_Configuration__c`) and the catalogue's
 * Custom Metadata records from it; a test fails when the committed files are stale.
 *
 * Codes are the Salesforce picklist API names (`Long_Range`), so a record's picklist value is a
 * catalogue key without translation. Prices are integers of the currency's minor unit, like every
 * amount in the engine.
 */
import { PricingError } from './errors.js';
import { CURRENCY_DECIMALS, MAX_SAFE_MINOR, formatMinor } from './money.js';

/** The three option groups of a configuration, in the order a configurator shows them. */
export type CatalogGroup = 'range' | 'exteriorColor' | 'interiorColor';

/** Every {@link CatalogGroup}, in display order. */
export const CATALOG_GROUPS: readonly CatalogGroup[] = Object.freeze([
  'range',
  'exteriorColor',
  'interiorColor',
]);

/** What every catalogue option has, whatever its group. */
export interface CatalogOption {
  /**
   * Stable key, also the Salesforce picklist value API name: letters, digits and single
   * underscores, starting with a letter (e.g. `Pearl_White`). Never reused for another option.
   */
  readonly code: string;
  /** Name shown to people (picklist label, configurator, PDF), e.g. `Pearl White`. */
  readonly label: string;
  /**
   * Price of the option in minor units of {@link CarCatalog.currency}: the base price of the car
   * for a range, the surcharge for a colour (0 when included).
   */
  readonly priceMinor: number;
  /**
   * Key of the option's picture, the same in every front end (PWA asset name, PDF drawing,
   * Salesforce static resource path), e.g. `exterior-pearl-white`.
   */
  readonly imageKey: string;
}

/** A battery range package: sets the car's base price. */
export interface RangeOption extends CatalogOption {
  /** Rated range on a full charge, in kilometres (WLTP). */
  readonly rangeKm: number;
}

/** A paint or trim colour. */
export interface ColorOption extends CatalogOption {
  /** Colour used to draw the option (swatch, vector car image), as `#rrggbb`. */
  readonly swatch: string;
}

/** The whole catalogue of one car model. */
export interface CarCatalog {
  /** Model name, e.g. `eCars Model E`. */
  readonly model: string;
  /** ISO 4217 code of every price in the catalogue. */
  readonly currency: string;
  /** Battery ranges, cheapest first; exactly one is chosen. */
  readonly ranges: readonly RangeOption[];
  /** Exterior paints; exactly one is chosen. The first is the default (included) one. */
  readonly exteriorColors: readonly ColorOption[];
  /** Interior trims; exactly one is chosen. The first is the default (included) one. */
  readonly interiorColors: readonly ColorOption[];
}

/** A configuration as codes, the way `Car_Configuration__c` stores it. */
export interface CarSelection {
  /** A {@link RangeOption.code}. */
  readonly range: string;
  /** A {@link ColorOption.code} of {@link CarCatalog.exteriorColors}. */
  readonly exteriorColor: string;
  /** A {@link ColorOption.code} of {@link CarCatalog.interiorColors}. */
  readonly interiorColor: string;
}

/** One priced line of a configuration. */
export interface PricedOption {
  /** Which group the option comes from. */
  readonly group: CatalogGroup;
  /** The chosen option. */
  readonly option: RangeOption | ColorOption;
  /** {@link CatalogOption.priceMinor} of the option. */
  readonly priceMinor: number;
}

/** A configuration priced from the catalogue. */
export interface PricedConfiguration {
  /** ISO code of every amount. */
  readonly currency: string;
  /** Minor units of {@link PricedConfiguration.currency} (2 for USD). */
  readonly decimals: number;
  /** Range, exterior, interior, in {@link CATALOG_GROUPS} order. */
  readonly lines: readonly PricedOption[];
  /** Sum of the lines, in minor units. */
  readonly totalMinor: number;
  /** {@link PricedConfiguration.totalMinor} as a decimal string, e.g. `"46500.00"`. */
  readonly total: string;
}

const CODE_PATTERN = /^[A-Za-z](?:_?[A-Za-z0-9])*$/;
const IMAGE_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SWATCH_PATTERN = /^#[0-9a-f]{6}$/;

/**
 * The eCars catalogue. Prices in US cents. Adding an option here and running `pnpm codegen`
 * adds it to the Salesforce picklists, the Custom Metadata records, the PWA and the PDFs.
 */
export const CAR_CATALOG: CarCatalog = deepFreeze({
  model: 'eCars Model E',
  currency: 'USD',
  ranges: [
    {
      code: 'Short_Range',
      label: 'Short Range',
      priceMinor: 3_200_000,
      imageKey: 'range-short',
      rangeKm: 380,
    },
    {
      code: 'Medium_Range',
      label: 'Medium Range',
      priceMinor: 3_750_000,
      imageKey: 'range-medium',
      rangeKm: 510,
    },
    { code: 'Long_Range', label: 'Long Range', priceMinor: 4_500_000, imageKey: 'range-long', rangeKm: 640 },
  ],
  exteriorColors: [
    {
      code: 'Pearl_White',
      label: 'Pearl White',
      priceMinor: 0,
      imageKey: 'exterior-pearl-white',
      swatch: '#f2f1ec',
    },
    {
      code: 'VIP_Black',
      label: 'VIP Black',
      priceMinor: 150_000,
      imageKey: 'exterior-vip-black',
      swatch: '#16181b',
    },
    {
      code: 'Cosmic_Blue',
      label: 'Cosmic Blue',
      priceMinor: 150_000,
      imageKey: 'exterior-cosmic-blue',
      swatch: '#1f3f8f',
    },
    {
      code: 'Electric_Red',
      label: 'Electric Red',
      priceMinor: 200_000,
      imageKey: 'exterior-electric-red',
      swatch: '#c3161c',
    },
    {
      code: 'Glacier_Silver',
      label: 'Glacier Silver',
      priceMinor: 100_000,
      imageKey: 'exterior-glacier-silver',
      swatch: '#b8bec4',
    },
  ],
  interiorColors: [
    {
      code: 'Vegan_White',
      label: 'Vegan White',
      priceMinor: 0,
      imageKey: 'interior-vegan-white',
      swatch: '#ece8e1',
    },
    {
      code: 'Vegan_Tan',
      label: 'Vegan Tan',
      priceMinor: 80_000,
      imageKey: 'interior-vegan-tan',
      swatch: '#b58a5f',
    },
    {
      code: 'Nappa_Black',
      label: 'Nappa Black',
      priceMinor: 250_000,
      imageKey: 'interior-nappa-black',
      swatch: '#1b1b1d',
    },
  ],
});

/** The options of one group of a catalogue. */
export function catalogOptions(catalog: CarCatalog, group: 'range'): readonly RangeOption[];
export function catalogOptions(
  catalog: CarCatalog,
  group: CatalogGroup,
): readonly (RangeOption | ColorOption)[];
export function catalogOptions(
  catalog: CarCatalog,
  group: CatalogGroup,
): readonly (RangeOption | ColorOption)[] {
  switch (group) {
    case 'range':
      return catalog.ranges;
    case 'exteriorColor':
      return catalog.exteriorColors;
    case 'interiorColor':
      return catalog.interiorColors;
  }
}

/** The option with `code` in `group`, or `undefined`. Codes match exactly (picklist API names). */
export function findCatalogOption(
  catalog: CarCatalog,
  group: CatalogGroup,
  code: string,
): RangeOption | ColorOption | undefined {
  return catalogOptions(catalog, group).find((option) => option.code === code);
}

/**
 * Prices a configuration: the range's base price plus both colour surcharges. Throws a
 * {@link PricingError} `UNKNOWN_CATALOG_OPTION` naming the group, the code and the valid codes
 * when a code is not in the catalogue (a stale picklist value, a typo in a PWA request).
 */
export function priceConfiguration(
  selection: CarSelection,
  catalog: CarCatalog = CAR_CATALOG,
): PricedConfiguration {
  const lines: PricedOption[] = [];
  let totalMinor = 0;
  for (const group of CATALOG_GROUPS) {
    const code: unknown = selection[group];
    const option = typeof code === 'string' ? findCatalogOption(catalog, group, code) : undefined;
    if (option === undefined) {
      const valid = catalogOptions(catalog, group)
        .map((o) => o.code)
        .join(', ');
      throw new PricingError(
        'UNKNOWN_CATALOG_OPTION',
        `${group} ${JSON.stringify(code ?? null)} is not in the ${catalog.model} catalogue (expected one of ${valid})`,
      );
    }
    lines.push({ group, option, priceMinor: option.priceMinor });
    totalMinor += option.priceMinor;
  }
  const decimals = CURRENCY_DECIMALS[catalog.currency] ?? 2;
  return {
    currency: catalog.currency,
    decimals,
    lines,
    totalMinor,
    total: formatMinor(totalMinor, decimals),
  };
}

/**
 * Checks a catalogue's invariants and returns every problem (empty when valid): codes are valid
 * picklist API names and unique per group, labels non-empty and at most 255 characters (the
 * picklist limit), prices non-negative safe integers, image keys kebab-case and unique across the
 * catalogue, swatches `#rrggbb`, the currency known, every group non-empty. The codegen refuses to
 * write Salesforce metadata from a catalogue with problems.
 */
export function catalogProblems(catalog: CarCatalog): string[] {
  const problems: string[] = [];
  if (CURRENCY_DECIMALS[catalog.currency] === undefined) {
    problems.push(`currency ${JSON.stringify(catalog.currency)} is not a known ISO 4217 code`);
  }
  const imageKeys = new Set<string>();
  for (const group of CATALOG_GROUPS) {
    const options = catalogOptions(catalog, group);
    if (options.length === 0) problems.push(`${group}: has no options`);
    const codes = new Set<string>();
    options.forEach((option, index) => {
      const at = `${group}[${index}]`;
      if (!CODE_PATTERN.test(option.code) || option.code.length > 40) {
        problems.push(`${at}.code: ${JSON.stringify(option.code)} is not a picklist API name`);
      }
      if (codes.has(option.code)) problems.push(`${at}.code: ${option.code} is listed twice`);
      codes.add(option.code);
      if (option.label.trim() === '' || option.label.length > 255) {
        problems.push(`${at}.label: must have 1 to 255 characters`);
      }
      if (
        !Number.isSafeInteger(option.priceMinor) ||
        option.priceMinor < 0 ||
        option.priceMinor > MAX_SAFE_MINOR
      ) {
        problems.push(
          `${at}.priceMinor: must be a non-negative integer of minor units, got ${option.priceMinor}`,
        );
      }
      if (!IMAGE_KEY_PATTERN.test(option.imageKey)) {
        problems.push(`${at}.imageKey: ${JSON.stringify(option.imageKey)} is not kebab-case`);
      } else if (imageKeys.has(option.imageKey)) {
        problems.push(`${at}.imageKey: ${option.imageKey} is used twice`);
      }
      imageKeys.add(option.imageKey);
      if ('swatch' in option && !SWATCH_PATTERN.test(option.swatch)) {
        problems.push(`${at}.swatch: ${JSON.stringify(option.swatch)} is not #rrggbb`);
      }
      if ('rangeKm' in option && (!Number.isInteger(option.rangeKm) || option.rangeKm <= 0)) {
        problems.push(`${at}.rangeKm: must be a positive integer, got ${option.rangeKm}`);
      }
    });
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
