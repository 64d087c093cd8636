/** Compile-time checks of the generated types (tsc --noEmit runs them; the assertions keep vitest honest). */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Opportunity, Quote, SObjectName } from '../src/index.js';
import { soql } from '../src/index.js';

describe('generated types', () => {
  it('types fields and picklists of the generated interfaces', () => {
    expectTypeOf<Quote['Status']>().toEqualTypeOf<'Draft' | 'Needs Review' | 'In Review' | 'Approved' | 'Rejected' | 'Presented' | 'Accepted' | 'Denied' | (string & {}) | null>();
    expectTypeOf<Opportunity['Amount']>().toEqualTypeOf<number | null>();
    expectTypeOf<'Vehicle__c'>().toMatchTypeOf<SObjectName>();
    // @ts-expect-error: builder field names are checked against the generated interface
    expect(() => soql('Quote').select('NotAField')).not.toThrow();
    expect(soql('Quote').select('Name', 'Opportunity.Account.Region__c').toSoql()).toBe('SELECT Name, Opportunity.Account.Region__c FROM Quote');
  });
});
