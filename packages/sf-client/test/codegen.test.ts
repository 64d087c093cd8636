import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '@ecars/local-org';
import { generateAll } from '../scripts/generate-sobjects.js';
import { SCHEMA_MAP } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('codegen', () => {
  const generated = generateAll(loadSchema().objects());

  it.each(Object.keys(generated))('keeps the committed %s identical to what pnpm codegen writes', (path) => {
    const committed = readFileSync(`${root}/${path}`, 'utf8');
    // On failure: run `pnpm codegen` in packages/sf-client and commit the result.
    expect(committed).toBe(generated[path]);
  });

  it('types picklists as unions, nillable fields as nullable and parents as optional nested records', () => {
    const types = generated['src/generated/sobjects.ts']!;
    expect(types).toContain(`  Region__c: 'NAMER' | 'EMEA' | 'APAC' | 'LATAM' | null;`);
    expect(types).toContain('  Amount: number | null;');
    expect(types).toContain('  IsDeleted: boolean;');
    expect(types).toContain('  Opportunity?: Opportunity | null;');
    expect(types).toContain('  QuoteLineItems?: QueryResult<QuoteLineItem> | null;');
    expect(types).toContain('export interface Vehicle__c {');
  });

  it('maps the fields, relationships and keys the builder and validator check against', () => {
    expect(SCHEMA_MAP['Quote']?.fields['Batch_Key__c']).toMatchObject({ type: 'string', unique: true, externalId: true });
    expect(SCHEMA_MAP['Opportunity']?.fields['AccountId']).toMatchObject({ referenceTo: ['Account'], relationshipName: 'Account' });
    expect(SCHEMA_MAP['Opportunity']?.children['OpportunityLineItems']).toEqual({
      relationshipName: 'OpportunityLineItems',
      childSObject: 'OpportunityLineItem',
      field: 'OpportunityId',
    });
    expect(SCHEMA_MAP['Car_Telemetry_Alert__e']?.queryable).toBe(false);
  });
});
