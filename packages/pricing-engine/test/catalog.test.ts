import { describe, expect, it } from 'vitest';
import {
  CAR_CATALOG,
  catalogProblems,
  findCatalogOption,
  isPricingError,
  priceConfiguration,
  type CarCatalog,
} from '../src/index.js';

describe('car catalogue', () => {
  it('is valid: picklist API names, unique codes and image keys, non-negative integer prices', () => {
    expect(catalogProblems(CAR_CATALOG)).toEqual([]);
  });

  it('prices a configuration as the range base price plus both colour surcharges, in cents', () => {
    const priced = priceConfiguration({
      range: 'Long_Range',
      exteriorColor: 'Electric_Red',
      interiorColor: 'Nappa_Black',
    });
    expect(priced.lines.map((line) => [line.group, line.option.code, line.priceMinor])).toEqual([
      ['range', 'Long_Range', 4_500_000],
      ['exteriorColor', 'Electric_Red', 200_000],
      ['interiorColor', 'Nappa_Black', 250_000],
    ]);
    expect(priced).toMatchObject({ currency: 'USD', decimals: 2, totalMinor: 4_950_000, total: '49500.00' });
  });

  it('includes the default colours at no charge', () => {
    const priced = priceConfiguration({
      range: 'Short_Range',
      exteriorColor: 'Pearl_White',
      interiorColor: 'Vegan_White',
    });
    expect(priced.totalMinor).toBe(CAR_CATALOG.ranges[0]!.priceMinor);
  });

  it('refuses an unknown code with UNKNOWN_CATALOG_OPTION naming the group and the valid codes', () => {
    let caught: unknown;
    try {
      priceConfiguration({ range: 'Long_Range', exteriorColor: 'Pink', interiorColor: 'Vegan_Tan' });
    } catch (error) {
      caught = error;
    }
    expect(isPricingError(caught) && caught.code).toBe('UNKNOWN_CATALOG_OPTION');
    expect((caught as Error).message).toContain('exteriorColor "Pink"');
    expect((caught as Error).message).toContain('Pearl_White, VIP_Black');
  });

  it('matches codes exactly, like picklist API names', () => {
    expect(findCatalogOption(CAR_CATALOG, 'range', 'long_range')).toBeUndefined();
    expect(findCatalogOption(CAR_CATALOG, 'interiorColor', 'Vegan_Tan')?.label).toBe('Vegan Tan');
  });

  it('reports every broken invariant of a catalogue with its path', () => {
    const broken: CarCatalog = {
      model: 'Broken',
      currency: 'XXX',
      ranges: [],
      exteriorColors: [
        { code: 'Red', label: 'Red', priceMinor: 1.5, imageKey: 'red', swatch: 'red' },
        { code: 'Red', label: ' ', priceMinor: -1, imageKey: 'red', swatch: '#ff0000' },
      ],
      interiorColors: [
        { code: '9_Bad__Code', label: 'Bad', priceMinor: 0, imageKey: 'Bad Key', swatch: '#000000' },
      ],
    };
    expect(catalogProblems(broken)).toEqual([
      'currency "XXX" is not a known ISO 4217 code',
      'range: has no options',
      'exteriorColor[0].priceMinor: must be a non-negative integer of minor units, got 1.5',
      'exteriorColor[0].swatch: "red" is not #rrggbb',
      'exteriorColor[1].code: Red is listed twice',
      'exteriorColor[1].label: must have 1 to 255 characters',
      'exteriorColor[1].priceMinor: must be a non-negative integer of minor units, got -1',
      'exteriorColor[1].imageKey: red is used twice',
      'interiorColor[0].code: "9_Bad__Code" is not a picklist API name',
      'interiorColor[0].imageKey: "Bad Key" is not kebab-case',
    ]);
  });

  it('is frozen, so no consumer can change a price at run time', () => {
    expect(Object.isFrozen(CAR_CATALOG.ranges[0])).toBe(true);
  });
});
