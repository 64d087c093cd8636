/**
 * Data every org has (its Organization, the integration User, the standard price book) and the
 * optional `demo` seed: accounts in each sales region, eCars products with standard prices,
 * vehicles, leads and a case — enough for `pnpm demo`, the batch job and the LWCs to have
 * something real to work on.
 */
import { makeId } from '../ids.js';
import type { Sql } from '../storage/database.js';
import type { RecordStore } from './record-store.js';
import type { Row, WriteResult } from './store-types.js';

/** Identity of the org and its user, fixed so that a data directory keeps working across restarts. */
export const ORG_ID = makeId('00D', 1);
export const USER_ID = makeId('005', 1);
export const STANDARD_PRICEBOOK_ID = makeId('01s', 1);
export const USERNAME = 'integration@ecars.local-org';

/** Inserts the Organization, User and standard price book rows unless they exist. */
export async function ensureBaseRecords(sql: Sql, now = new Date().toISOString()): Promise<void> {
  const has = await sql.query(`SELECT 1 FROM "Organization" WHERE "Id" = $1`, [ORG_ID]);
  if (has.rows.length > 0) return;
  const audit = { IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, CreatedById: USER_ID, LastModifiedById: USER_ID };
  const insert = async (table: string, row: Row) => {
    const cols = await sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()`,
      [table],
    );
    const known = new Set(cols.rows.map((c) => c.column_name));
    const entries = Object.entries(row).filter(([k]) => known.has(k));
    await sql.query(
      `INSERT INTO "${table}" (${entries.map(([k]) => `"${k}"`).join(',')}) VALUES (${entries.map((_e, i) => `$${i + 1}`).join(',')})`,
      entries.map(([, v]) => v),
    );
  };
  await insert('Organization', {
    Id: ORG_ID, Name: 'eCars Local Org', OrganizationType: 'Developer Edition', InstanceName: 'LOCAL1',
    IsSandbox: false, NamespacePrefix: null, DefaultLocaleSidKey: 'en_US', TimeZoneSidKey: 'GMT', ...audit,
  });
  await insert('User', {
    Id: USER_ID, Username: USERNAME, FirstName: 'Integration', LastName: 'User', Name: 'Integration User',
    Email: 'integration@ecars.example', Alias: 'integ', IsActive: true, TimeZoneSidKey: 'GMT',
    LocaleSidKey: 'en_US', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8', ...audit,
  });
  await insert('Pricebook2', {
    Id: STANDARD_PRICEBOOK_ID, Name: 'Standard Price Book', IsActive: true, IsStandard: true,
    Description: 'The standard price book of the org', ...audit,
  });
}

/** The sales regions the pricing rules know, one demo account each (two in NAMER). */
const ACCOUNTS = [
  { Name: 'Pacific Fleet Leasing', Region__c: 'NAMER', BillingCountry: 'United States', Industry: 'Transportation' },
  { Name: 'Maple Motors Group', Region__c: 'NAMER', BillingCountry: 'Canada', Industry: 'Retail' },
  { Name: 'Rhein Mobility GmbH', Region__c: 'EMEA', BillingCountry: 'Germany', Industry: 'Transportation' },
  { Name: 'Sakura EV Distribution', Region__c: 'APAC', BillingCountry: 'Japan', Industry: 'Retail' },
  { Name: 'Andes Electric Autos', Region__c: 'LATAM', BillingCountry: 'Chile', Industry: 'Retail' },
];

/** eCars models and options with their standard (list) prices. */
const PRODUCTS = [
  { Name: 'eCars Model E Short Range', ProductCode: 'ECAR-SR', Family: 'Vehicle', price: 32000 },
  { Name: 'eCars Model E Medium Range', ProductCode: 'ECAR-MR', Family: 'Vehicle', price: 39500 },
  { Name: 'eCars Model E Long Range', ProductCode: 'ECAR-LR', Family: 'Vehicle', price: 48900 },
  { Name: 'Premium Paint', ProductCode: 'OPT-PAINT', Family: 'Option', price: 1500 },
  { Name: 'Nappa Leather Interior', ProductCode: 'OPT-NAPPA', Family: 'Option', price: 2200 },
  { Name: 'Autopilot Package', ProductCode: 'OPT-AUTO', Family: 'Option', price: 4999.99 },
  { Name: 'Home Charger Installation', ProductCode: 'SVC-CHARGE', Family: 'Service', price: 799.5 },
  { Name: 'Extended Warranty 5y', ProductCode: 'SVC-WARR5', Family: 'Service', price: 1299 },
];

const VEHICLES = [
  { Name: 'Model E LR Pearl White', VIN__c: '5YJ3E1EA7KF000001', Model__c: 'Model E', Year__c: 2026, Price__c: 48900, Range__c: 'Long_Range', Exterior_Color__c: 'Pearl_White', Interior_Color__c: 'Vegan_White', Status__c: 'Available' },
  { Name: 'Model E MR VIP Black', VIN__c: '5YJ3E1EA7KF000002', Model__c: 'Model E', Year__c: 2026, Price__c: 39500, Range__c: 'Medium_Range', Exterior_Color__c: 'VIP_Black', Interior_Color__c: 'Nappa_Black', Status__c: 'Available' },
  { Name: 'Model E SR Cosmic Blue', VIN__c: '5YJ3E1EA7KF000003', Model__c: 'Model E', Year__c: 2025, Price__c: 32000, Range__c: 'Short_Range', Exterior_Color__c: 'Cosmic_Blue', Interior_Color__c: 'Vegan_Tan', Status__c: 'Sold' },
];

const LEADS = [
  { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines Ltd', Email: 'ada@example.com', Country: 'United Kingdom', LeadSource: 'Web' },
  { FirstName: 'Grace', LastName: 'Hopper', Company: 'Compiler Co', Email: 'grace@example.com', Country: 'United States', LeadSource: 'Web' },
];

function ids(results: WriteResult[], what: string): string[] {
  return results.map((r, i) => {
    if (!r.ok) throw new Error(`demo seed: ${what} #${i} failed: ${r.error.errorCode} ${r.error.message}`);
    return r.id;
  });
}

/**
 * True when the `demo` seed is in the database already (a data directory or PostgreSQL schema keeps
 * it across restarts). Asks for the seed's own first product, not for "any Account": an org first
 * started without the seed and given records of its own must still get the seed when asked.
 */
export async function hasDemoSeed(sql: Sql): Promise<boolean> {
  const r = await sql.query(`SELECT 1 FROM "Product2" WHERE "ProductCode" = $1 LIMIT 1`, [PRODUCTS[0]!.ProductCode]);
  return r.rows.length > 0;
}

/** Loads the `demo` seed through the record store (so it passes the same validation as the API). */
export async function seedDemo(store: RecordStore): Promise<void> {
  await store.transaction(async (tx) => {
    const accountFields = (a: (typeof ACCOUNTS)[number]) =>
      store.schema.field('Account', 'Region__c') ? a : (({ Region__c: _r, ...rest }) => rest)(a);
    const accountIds = ids(await store.create(tx, 'Account', ACCOUNTS.map(accountFields)), 'Account');
    const productIds = ids(
      await store.create(tx, 'Product2', PRODUCTS.map(({ price: _p, ...p }) => ({ ...p, IsActive: true }))),
      'Product2',
    );
    ids(
      await store.create(
        tx,
        'PricebookEntry',
        PRODUCTS.map((p, i) => ({ Pricebook2Id: STANDARD_PRICEBOOK_ID, Product2Id: productIds[i], UnitPrice: p.price, IsActive: true })),
      ),
      'PricebookEntry',
    );
    const vehicleIds = store.schema.object('Vehicle__c') ? ids(await store.create(tx, 'Vehicle__c', VEHICLES), 'Vehicle__c') : [];
    ids(await store.create(tx, 'Lead', LEADS), 'Lead');
    ids(
      await store.create(tx, 'Case', [
        {
          Subject: 'Battery temperature above threshold',
          Description: 'Telemetry reported 61 °C at the pack while charging.',
          Priority: 'High',
          Origin: 'Web',
          AccountId: accountIds[0],
          ...(vehicleIds[0] && store.schema.field('Case', 'Vehicle__c') ? { Vehicle__c: vehicleIds[0] } : {}),
        },
      ]),
      'Case',
    );
  });
}
