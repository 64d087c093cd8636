/**
 * The standard objects every org has, as far as this project uses them: one field table per object,
 * with the API names, types, lengths, properties (Create, Update, Nillable, Defaulted on create)
 * and relationship names of Salesforce's Object Reference, whose page each table names. Describe
 * and the write path both read these tables (`test/field-properties.test.ts` holds them to it).
 *
 * Deliberate differences from a real org, each because the emulator has no use for the rest:
 * - Only the fields the project and its samples touch are listed (a real Account has ~60).
 * - Compound fields (`BillingAddress`, `Name` parts beyond First/Last) are left out; their parts are here.
 * - `OwnerId` points at `User` only (Salesforce also allows `Group` for Lead and Case owners).
 * - Polymorphic `Task.WhatId`/`WhoId` list only the objects defined here.
 * - `User.ProfileId` is a reference with no target: there is no Profile object to point at.
 * - `User` and `Organization` carry `IsDeleted` like every table (the storage contract), and are
 *   not createable through the API.
 * - Fields the org derives (`Contact.Name`, `Opportunity.IsWon`, quote totals…) are `calculated`;
 *   the DML layer computes them. `Opportunity.Amount` stays writable, as in Salesforce, and is
 *   rolled up from line items when there are any.
 */
import {
  checkbox,
  currency,
  double,
  field,
  int,
  percent,
  picklist,
  reference,
  sobject,
  text,
  textArea,
} from './field-builders.js';
import type { FieldDef, SObjectDef } from './types.js';

/** One sales stage with the values Salesforce's default OpportunityStage records carry. */
export interface OpportunityStage {
  value: string;
  /** Probability (%) an opportunity gets when it enters the stage without an explicit one. */
  probability: number;
  forecastCategory: 'Pipeline' | 'Best Case' | 'Commit' | 'Omitted' | 'Closed';
  isClosed: boolean;
  isWon: boolean;
}

/** Default sales process of a new org, in order (drives `StageName`, `Probability`, `IsClosed`, `IsWon`). */
export const opportunityStages: readonly OpportunityStage[] = [
  { value: 'Prospecting', probability: 10, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
  { value: 'Qualification', probability: 10, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
  { value: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline', isClosed: false, isWon: false },
  {
    value: 'Value Proposition',
    probability: 50,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
  },
  {
    value: 'Id. Decision Makers',
    probability: 60,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
  },
  {
    value: 'Perception Analysis',
    probability: 70,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
  },
  {
    value: 'Proposal/Price Quote',
    probability: 75,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
  },
  {
    value: 'Negotiation/Review',
    probability: 90,
    forecastCategory: 'Pipeline',
    isClosed: false,
    isWon: false,
  },
  { value: 'Closed Won', probability: 100, forecastCategory: 'Closed', isClosed: true, isWon: true },
  { value: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', isClosed: true, isWon: false },
];

/** Default Case statuses; `isClosed` drives `Case.IsClosed`/`ClosedDate`. */
export const caseStatuses = [
  { value: 'New', isClosed: false },
  { value: 'Working', isClosed: false },
  { value: 'Escalated', isClosed: false },
  { value: 'Closed', isClosed: true },
] as const;

/** Default Task statuses; `isClosed` drives `Task.IsClosed`. */
export const taskStatuses = [
  { value: 'Not Started', isClosed: false },
  { value: 'In Progress', isClosed: false },
  { value: 'Completed', isClosed: true },
  { value: 'Waiting on someone else', isClosed: false },
  { value: 'Deferred', isClosed: false },
] as const;

/** Default Lead statuses; `isConverted` marks the statuses a conversion may set. */
export const leadStatuses = [
  { value: 'Open - Not Contacted', isConverted: false },
  { value: 'Working - Contacted', isConverted: false },
  { value: 'Closed - Converted', isConverted: true },
  { value: 'Closed - Not Converted', isConverted: false },
] as const;

/** Product families of the eCars catalogue (Salesforce's own `Family` picklist is open-ended). */
export const productFamilies = ['Vehicle', 'Option', 'Service'] as const;

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
/**
 * Salesforce restricts these keys to its full lists of time zones and locales; the emulator lists
 * the common ones and leaves the picklists open rather than refuse a valid zone it did not list.
 */
const TIME_ZONES: ReadonlyArray<readonly [string, string]> = [
  ['America/Los_Angeles', '(GMT-08:00) Pacific Standard Time (America/Los_Angeles)'],
  ['America/Denver', '(GMT-07:00) Mountain Standard Time (America/Denver)'],
  ['America/Chicago', '(GMT-06:00) Central Standard Time (America/Chicago)'],
  ['America/New_York', '(GMT-05:00) Eastern Standard Time (America/New_York)'],
  ['GMT', '(GMT+00:00) Greenwich Mean Time (GMT)'],
  ['Europe/London', '(GMT+00:00) Greenwich Mean Time (Europe/London)'],
  ['Europe/Paris', '(GMT+01:00) Central European Standard Time (Europe/Paris)'],
  ['Europe/Berlin', '(GMT+01:00) Central European Standard Time (Europe/Berlin)'],
  ['Asia/Tokyo', '(GMT+09:00) Japan Standard Time (Asia/Tokyo)'],
  ['Australia/Sydney', '(GMT+11:00) Australian Eastern Daylight Time (Australia/Sydney)'],
];
const LOCALES: ReadonlyArray<readonly [string, string]> = [
  ['en_US', 'English (United States)'],
  ['en_GB', 'English (United Kingdom)'],
  ['fr_FR', 'French (France)'],
  ['de_DE', 'German (Germany)'],
  ['ja_JP', 'Japanese (Japan)'],
];
const LANGUAGES: ReadonlyArray<readonly [string, string]> = [
  ['en_US', 'English'],
  ['fr', 'French'],
  ['de', 'German'],
  ['ja', 'Japanese'],
  ['es', 'Spanish'],
];

/** Street/City/State/PostalCode/Country parts of an address, e.g. `Billing` → `BillingCity`. */
function address(prefix: string, labelPrefix: string): FieldDef[] {
  const label = labelPrefix ? `${labelPrefix} ` : '';
  return [
    textArea(`${prefix}Street`, 255, { label: `${label}Street` }),
    text(`${prefix}City`, 40, { label: `${label}City` }),
    text(`${prefix}State`, 80, { label: `${label}State/Province` }),
    text(`${prefix}PostalCode`, 20, { label: `${label}Zip/Postal Code` }),
    text(`${prefix}Country`, 80, { label: `${label}Country` }),
  ];
}

/**
 * `LastActivityDate`: the due date of the record's latest closed task or event, maintained by the
 * org (read-only: Filter, Group, Nillable, Sort). local-org has no activity timeline, so it stays null.
 */
function lastActivityDate(): FieldDef {
  return field('LastActivityDate', 'date', { label: 'Last Activity', readOnly: true });
}

/** First/Last name and the full name the org composes from them. */
function personName(): FieldDef[] {
  return [
    text('LastName', 80, { label: 'Last Name', required: true }),
    text('FirstName', 40, { label: 'First Name' }),
    picklist('Salutation', SALUTATIONS),
    text('Name', 121, { label: 'Full Name', calculated: true }),
  ];
}

/** Source: Object Reference, user (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_user.htm); lengths from the Field Reference. */
function user(): SObjectDef {
  return sobject(
    {
      name: 'User',
      label: 'User',
      labelPlural: 'Users',
      keyPrefix: '005',
      createable: false,
      deletable: false,
    },
    false,
    [
      text('Username', 80, { required: true, unique: true }),
      text('LastName', 80, { label: 'Last Name', required: true }),
      text('FirstName', 40, { label: 'First Name' }),
      text('Name', 121, { label: 'Full Name', calculated: true }),
      text('CompanyName', 80, { label: 'Company Name' }),
      text('Department', 80),
      text('Title', 80),
      field('Email', 'email', { length: 128, required: true }),
      field('Phone', 'phone'),
      text('Alias', 8, { required: true }),
      text('CommunityNickname', 40, { label: 'Nickname', nillable: false, defaultedOnCreate: true }),
      checkbox('IsActive', { label: 'Active', defaultValue: true }),
      picklist('TimeZoneSidKey', TIME_ZONES, { label: 'Time Zone', required: true }),
      picklist('LocaleSidKey', LOCALES, { label: 'Locale', required: true }),
      picklist(
        'EmailEncodingKey',
        ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'ISO-2022-JP', 'EUC-JP', 'ks_c_5601-1987', 'Big5', 'GB2312'],
        {
          label: 'Email Encoding',
          required: true,
        },
      ),
      picklist('LanguageLocaleKey', LANGUAGES, { label: 'Language', required: true }),
      reference('ProfileId', [], { label: 'Profile ID', relationshipName: null, required: true }),
      picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], {
        label: 'User Type',
        readOnly: true,
        defaultValue: 'Standard',
      }),
      field('LastLoginDate', 'datetime', { label: 'Last Login', readOnly: true }),
    ],
  );
}

/** Source: Object Reference, organization (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_organization.htm); lengths from the Field Reference. */
function organization(): SObjectDef {
  return sobject(
    {
      name: 'Organization',
      label: 'Organization',
      labelPlural: 'Organizations',
      keyPrefix: '00D',
      createable: false,
      updateable: false,
      deletable: false,
    },
    false,
    [
      text('Name', 80, { required: true }),
      text('Division', 80),
      ...address('', ''),
      field('Phone', 'phone'),
      text('PrimaryContact', 80, { label: 'Primary Contact' }),
      picklist('DefaultLocaleSidKey', LOCALES, { label: 'Locale', required: true }),
      picklist('TimeZoneSidKey', TIME_ZONES, { label: 'Time Zone', required: true }),
      picklist('LanguageLocaleKey', LANGUAGES, { label: 'Language', required: true }),
      picklist(
        'OrganizationType',
        [
          'Team Edition',
          'Professional Edition',
          'Enterprise Edition',
          'Developer Edition',
          'Personal Edition',
          'Unlimited Edition',
          'Contact Manager Edition',
          'Base Edition',
        ],
        { label: 'Edition', readOnly: true },
      ),
      text('InstanceName', 5, { label: 'Instance Name', readOnly: true }),
      checkbox('IsSandbox', { label: 'Is Sandbox', readOnly: true }),
      text('NamespacePrefix', 15, { label: 'Namespace Prefix', readOnly: true }),
      field('TrialExpirationDate', 'datetime', { label: 'Trial Expiration Date', readOnly: true }),
      int('FiscalYearStartMonth', 2, { label: 'Fiscal Year Starts In', readOnly: true }),
    ],
  );
}

/** Source: Object Reference, account (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_account.htm); lengths from the Field Reference. */
function account(): SObjectDef {
  return sobject({ name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001' }, true, [
    text('Name', 255, { label: 'Account Name', required: true }),
    picklist(
      'Type',
      [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Channel Partner / Reseller',
        'Installation Partner',
        'Technology Partner',
        'Other',
      ],
      { label: 'Account Type' },
    ),
    reference('ParentId', 'Account', {
      label: 'Parent Account ID',
      relationshipName: 'Parent',
      childRelationshipName: 'ChildAccounts',
    }),
    ...address('Billing', 'Billing'),
    ...address('Shipping', 'Shipping'),
    field('Phone', 'phone', { label: 'Account Phone' }),
    field('Fax', 'phone', { label: 'Account Fax' }),
    text('AccountNumber', 40, { label: 'Account Number' }),
    field('Website', 'url'),
    text('Site', 80, { label: 'Account Site' }),
    picklist('Industry', INDUSTRIES),
    currency('AnnualRevenue', 18, 0, { label: 'Annual Revenue' }),
    int('NumberOfEmployees', 8, { label: 'Employees' }),
    picklist('Rating', RATINGS, { label: 'Account Rating' }),
    picklist('AccountSource', LEAD_SOURCES, { label: 'Account Source' }),
    textArea('Description', 32000, { label: 'Account Description' }),
    text('Sic', 20, { label: 'SIC Code' }),
    text('SicDesc', 80, { label: 'SIC Description' }),
    text('TickerSymbol', 20, { label: 'Ticker Symbol' }),
    picklist('Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
    text('Jigsaw', 20, { label: 'Data.com Key' }),
    text('JigsawCompanyId', 20, { label: 'Jigsaw Company ID', readOnly: true }),
    lastActivityDate(),
  ]);
}

/** Source: Object Reference, contact (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_contact.htm); lengths from the Field Reference. */
function contact(): SObjectDef {
  return sobject({ name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003' }, true, [
    reference('AccountId', 'Account', {
      label: 'Account ID',
      relationshipName: 'Account',
      childRelationshipName: 'Contacts',
    }),
    ...personName(),
    ...address('Mailing', 'Mailing'),
    field('Phone', 'phone', { label: 'Business Phone' }),
    field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
    field('Email', 'email'),
    text('Title', 128),
    text('Department', 80),
    field('Birthdate', 'date'),
    picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
    checkbox('HasOptedOutOfEmail', { label: 'Email Opt Out' }),
    textArea('Description', 32000, { label: 'Contact Description' }),
    lastActivityDate(),
  ]);
}

/** Source: Object Reference, lead (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_lead.htm); lengths from the Field Reference. */
function lead(): SObjectDef {
  return sobject({ name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q' }, true, [
    ...personName(),
    text('Title', 128),
    text('Company', 255, { required: true }),
    ...address('', ''),
    field('Phone', 'phone'),
    field('MobilePhone', 'phone', { label: 'Mobile Phone' }),
    field('Email', 'email'),
    field('Website', 'url'),
    textArea('Description', 32000),
    picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
    picklist(
      'Status',
      leadStatuses.map((s) => s.value),
      { label: 'Lead Status', required: true, defaultValue: 'Open - Not Contacted', restricted: true },
    ),
    picklist('Industry', INDUSTRIES),
    picklist('Rating', RATINGS),
    currency('AnnualRevenue', 18, 0, { label: 'Annual Revenue' }),
    int('NumberOfEmployees', 8, { label: 'Employees' }),
    checkbox('IsConverted', { label: 'Converted', readOnly: true }),
    field('ConvertedDate', 'date', { label: 'Converted Date', readOnly: true }),
    reference('ConvertedAccountId', 'Account', {
      label: 'Converted Account ID',
      relationshipName: 'ConvertedAccount',
      readOnly: true,
    }),
    reference('ConvertedContactId', 'Contact', {
      label: 'Converted Contact ID',
      relationshipName: 'ConvertedContact',
      readOnly: true,
    }),
    reference('ConvertedOpportunityId', 'Opportunity', {
      label: 'Converted Opportunity ID',
      relationshipName: 'ConvertedOpportunity',
      readOnly: true,
    }),
    checkbox('IsUnreadByOwner', { label: 'Unread By Owner' }),
    lastActivityDate(),
  ]);
}

/** Source: Object Reference, opportunity (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_opportunity.htm); lengths from the Field Reference. */
function opportunity(): SObjectDef {
  return sobject(
    { name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006' },
    true,
    [
      reference('AccountId', 'Account', {
        label: 'Account ID',
        relationshipName: 'Account',
        childRelationshipName: 'Opportunities',
      }),
      checkbox('IsPrivate', { label: 'Private' }),
      text('Name', 120, { required: true }),
      textArea('Description', 32000),
      picklist(
        'StageName',
        opportunityStages.map((s) => s.value),
        { label: 'Stage', required: true, restricted: true },
      ),
      currency('Amount', 18, 2),
      // Defaulted from the stage on create (opportunityStages), like Salesforce's OpportunityStage.
      percent('Probability', 3, 0, { label: 'Probability (%)', defaultedOnCreate: true }),
      currency('ExpectedRevenue', 18, 2, { label: 'Expected Amount', calculated: true }),
      double('TotalOpportunityQuantity', 18, 2, { label: 'Quantity' }),
      field('CloseDate', 'date', { label: 'Close Date', required: true }),
      picklist(
        'Type',
        [
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer',
        ],
        {
          label: 'Opportunity Type',
        },
      ),
      text('NextStep', 255, { label: 'Next Step' }),
      picklist('LeadSource', LEAD_SOURCES, { label: 'Lead Source' }),
      checkbox('IsClosed', { label: 'Closed', calculated: true }),
      checkbox('IsWon', { label: 'Won', calculated: true }),
      picklist('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
        label: 'Forecast Category',
        restricted: true,
        defaultedOnCreate: true,
      }),
      reference('Pricebook2Id', 'Pricebook2', {
        label: 'Price Book ID',
        relationshipName: 'Pricebook2',
        childRelationshipName: 'Opportunities',
      }),
      checkbox('HasOpportunityLineItem', { label: 'Has Line Item', calculated: true }),
      lastActivityDate(),
    ],
  );
}

/** Source: Object Reference, product2 (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_product2.htm); lengths from the Field Reference. */
function product2(): SObjectDef {
  return sobject({ name: 'Product2', label: 'Product', labelPlural: 'Products', keyPrefix: '01t' }, false, [
    text('Name', 255, { label: 'Product Name', required: true }),
    text('ProductCode', 255, { label: 'Product Code' }),
    textArea('Description', 4000, { label: 'Product Description' }),
    checkbox('IsActive', { label: 'Active' }),
    picklist('Family', productFamilies, { label: 'Product Family' }),
    text('StockKeepingUnit', 180, { label: 'Product SKU' }),
    checkbox('IsArchived', { label: 'Archived', readOnly: true }),
  ]);
}

/** Source: Object Reference, pricebook2 (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_pricebook2.htm); lengths from the Field Reference. */
function pricebook2(): SObjectDef {
  return sobject(
    { name: 'Pricebook2', label: 'Price Book', labelPlural: 'Price Books', keyPrefix: '01s' },
    false,
    [
      text('Name', 255, { label: 'Price Book Name', required: true }),
      checkbox('IsActive', { label: 'Active' }),
      checkbox('IsArchived', { label: 'Archived', readOnly: true }),
      text('Description', 255),
      checkbox('IsStandard', { label: 'Is Standard Price Book', readOnly: true }),
    ],
  );
}

/** Source: Object Reference, pricebookentry (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_pricebookentry.htm); lengths from the Field Reference. */
function pricebookEntry(): SObjectDef {
  return sobject(
    {
      name: 'PricebookEntry',
      label: 'Price Book Entry',
      labelPlural: 'Price Book Entries',
      keyPrefix: '01u',
    },
    false,
    [
      text('Name', 255, { label: 'Product Name', calculated: true }),
      reference('Pricebook2Id', 'Pricebook2', {
        label: 'Price Book ID',
        relationshipName: 'Pricebook2',
        childRelationshipName: 'PricebookEntries',
        required: true,
        createOnly: true,
      }),
      reference('Product2Id', 'Product2', {
        label: 'Product ID',
        relationshipName: 'Product2',
        childRelationshipName: 'PricebookEntries',
        required: true,
        createOnly: true,
      }),
      currency('UnitPrice', 18, 2, { label: 'List Price', required: true }),
      checkbox('IsActive', { label: 'Active' }),
      checkbox('UseStandardPrice', { label: 'Use Standard Price' }),
      text('ProductCode', 255, { label: 'Product Code', calculated: true }),
      checkbox('IsArchived', { label: 'Archived', readOnly: true }),
    ],
  );
}

/** Source: Object Reference, opportunitylineitem (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_opportunitylineitem.htm); lengths from the Field Reference. */
function opportunityLineItem(): SObjectDef {
  return sobject(
    {
      name: 'OpportunityLineItem',
      label: 'Opportunity Product',
      labelPlural: 'Opportunity Product',
      keyPrefix: '00k',
    },
    false,
    [
      reference('OpportunityId', 'Opportunity', {
        label: 'Opportunity ID',
        relationshipName: 'Opportunity',
        childRelationshipName: 'OpportunityLineItems',
        cascadeDelete: true,
        required: true,
        createOnly: true,
      }),
      int('SortOrder', 9, { label: 'Sort Order' }),
      reference('PricebookEntryId', 'PricebookEntry', {
        label: 'Price Book Entry ID',
        relationshipName: 'PricebookEntry',
        childRelationshipName: 'OpportunityLineItems',
        required: true,
        createOnly: true,
      }),
      // The Object Reference calls it read-only ("use PricebookEntryId instead") yet lists Create
      // among its properties, and real orgs accept it on insert (the AppLink seed sample sends it
      // with PricebookEntryId): createable, not updateable, defaulted from the price book entry.
      // Both given and naming different products: FIELD_INTEGRITY_EXCEPTION (observed, not
      // documented; object-rules.ts). Product2 lists no child relationship for it.
      reference('Product2Id', 'Product2', {
        label: 'Product ID',
        relationshipName: 'Product2',
        createOnly: true,
        defaultedOnCreate: true,
      }),
      text('ProductCode', 255, { label: 'Product Code', calculated: true }),
      text('Name', 376, { label: 'Opportunity Product Name', calculated: true }),
      double('Quantity', 12, 2, { required: true }),
      // Either UnitPrice or TotalPrice is given on create; the org derives the other.
      currency('TotalPrice', 18, 2, { label: 'Total Price' }),
      currency('UnitPrice', 18, 2, { label: 'Sales Price' }),
      currency('ListPrice', 18, 2, { label: 'List Price', readOnly: true, defaultedOnCreate: true }),
      currency('Subtotal', 18, 2, { calculated: true }),
      percent('Discount', 5, 2),
      field('ServiceDate', 'date', { label: 'Date' }),
      text('Description', 255, { label: 'Line Description' }),
    ],
  );
}

/** Source: Object Reference, quote (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_quote.htm); lengths from the Field Reference. */
function quote(): SObjectDef {
  return sobject({ name: 'Quote', label: 'Quote', labelPlural: 'Quotes', keyPrefix: '0Q0' }, true, [
    text('Name', 255, { label: 'Quote Name', required: true }),
    reference('OpportunityId', 'Opportunity', {
      label: 'Opportunity ID',
      relationshipName: 'Opportunity',
      childRelationshipName: 'Quotes',
      cascadeDelete: true,
      required: true,
      createOnly: true,
    }),
    // The opportunity's account, copied by the org.
    reference('AccountId', 'Account', {
      label: 'Account ID',
      relationshipName: 'Account',
      childRelationshipName: 'Quotes',
      readOnly: true,
    }),
    reference('Pricebook2Id', 'Pricebook2', {
      label: 'Price Book ID',
      relationshipName: 'Pricebook2',
      childRelationshipName: 'Quotes',
    }),
    reference('ContactId', 'Contact', {
      label: 'Contact ID',
      relationshipName: 'Contact',
      childRelationshipName: 'Quotes',
    }),
    checkbox('IsSyncing', { label: 'Syncing', readOnly: true }),
    text('QuoteNumber', 30, { label: 'Quote Number', autoNumberFormat: '{00000000}' }),
    picklist(
      'Status',
      ['Draft', 'Needs Review', 'In Review', 'Approved', 'Rejected', 'Presented', 'Accepted', 'Denied'],
      {
        defaultValue: 'Draft',
      },
    ),
    field('ExpirationDate', 'date', { label: 'Expiration Date' }),
    textArea('Description', 32000),
    currency('Subtotal', 18, 2, { calculated: true }),
    percent('Discount', 18, 2, { calculated: true }),
    currency('ShippingHandling', 18, 2, { label: 'Shipping and Handling' }),
    currency('Tax', 18, 2),
    currency('TotalPrice', 18, 2, { label: 'Total Price', calculated: true }),
    currency('GrandTotal', 18, 2, { label: 'Grand Total', calculated: true }),
    int('LineItemCount', 8, { label: 'Line Items', calculated: true }),
    field('Email', 'email'),
    field('Phone', 'phone'),
    field('Fax', 'phone'),
    text('BillingName', 255, { label: 'Bill To Name' }),
    ...address('Billing', 'Bill To'),
    text('ShippingName', 255, { label: 'Ship To Name' }),
    ...address('Shipping', 'Ship To'),
  ]);
}

/** Source: Object Reference, quotelineitem (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_quotelineitem.htm); lengths from the Field Reference. */
function quoteLineItem(): SObjectDef {
  return sobject(
    { name: 'QuoteLineItem', label: 'Quote Line Item', labelPlural: 'Quote Line Items', keyPrefix: '0QL' },
    false,
    [
      text('LineNumber', 30, { label: 'Line Item Number', autoNumberFormat: '{00000000}' }),
      reference('QuoteId', 'Quote', {
        label: 'Quote ID',
        relationshipName: 'Quote',
        childRelationshipName: 'QuoteLineItems',
        cascadeDelete: true,
        required: true,
        createOnly: true,
      }),
      reference('PricebookEntryId', 'PricebookEntry', {
        label: 'Price Book Entry ID',
        relationshipName: 'PricebookEntry',
        childRelationshipName: 'QuoteLineItems',
        required: true,
        createOnly: true,
      }),
      // Settable on create; when absent the org copies it from the price book entry.
      reference('Product2Id', 'Product2', {
        label: 'Product ID',
        relationshipName: 'Product2',
        createOnly: true,
        defaultedOnCreate: true,
      }),
      text('OpportunityLineItemId', 18, { label: 'Opportunity Product ID', createOnly: true }),
      double('Quantity', 12, 2, { required: true }),
      currency('UnitPrice', 18, 2, { label: 'Sales Price', required: true }),
      percent('Discount', 5, 2),
      currency('ListPrice', 18, 2, { label: 'List Price', readOnly: true, defaultedOnCreate: true }),
      currency('Subtotal', 18, 2, { calculated: true }),
      currency('TotalPrice', 18, 2, { label: 'Total Price', calculated: true }),
      text('Description', 255, { label: 'Line Item Description' }),
      field('ServiceDate', 'date', { label: 'Date' }),
      int('SortOrder', 9, { label: 'Sort Order' }),
    ],
  );
}

/** Source: Object Reference, case (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_case.htm); lengths from the Field Reference. */
function caseObject(): SObjectDef {
  return sobject({ name: 'Case', label: 'Case', labelPlural: 'Cases', keyPrefix: '500' }, true, [
    text('CaseNumber', 30, { label: 'Case Number', autoNumberFormat: '{00000000}' }),
    reference('ContactId', 'Contact', {
      label: 'Contact ID',
      relationshipName: 'Contact',
      childRelationshipName: 'Cases',
    }),
    reference('AccountId', 'Account', {
      label: 'Account ID',
      relationshipName: 'Account',
      childRelationshipName: 'Cases',
    }),
    reference('ParentId', 'Case', {
      label: 'Parent Case ID',
      relationshipName: 'Parent',
      childRelationshipName: 'Cases',
    }),
    text('SuppliedName', 80, { label: 'Web Name' }),
    field('SuppliedEmail', 'email', { label: 'Web Email' }),
    text('SuppliedPhone', 40, { label: 'Web Phone' }),
    text('SuppliedCompany', 80, { label: 'Web Company' }),
    picklist('Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'], {
      label: 'Case Type',
    }),
    picklist(
      'Status',
      caseStatuses.map((s) => s.value),
      { required: true, defaultValue: 'New', restricted: true },
    ),
    picklist(
      'Reason',
      [
        'Installation',
        'Equipment Complexity',
        'Performance',
        'Breakdown',
        'Equipment Design',
        'Feedback',
        'Other',
      ],
      {
        label: 'Case Reason',
      },
    ),
    picklist('Origin', ['Phone', 'Email', 'Web'], { label: 'Case Origin' }),
    text('Subject', 255),
    picklist('Priority', ['High', 'Medium', 'Low'], { defaultValue: 'Medium' }),
    textArea('Description', 32000),
    checkbox('IsClosed', { label: 'Closed', calculated: true }),
    field('ClosedDate', 'datetime', { label: 'Closed Date', readOnly: true }),
    checkbox('IsEscalated', { label: 'Escalated' }),
  ]);
}

/** Source: Object Reference, task (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_task.htm); lengths from the Field Reference. */
function task(): SObjectDef {
  return sobject({ name: 'Task', label: 'Task', labelPlural: 'Tasks', keyPrefix: '00T' }, true, [
    reference('WhoId', ['Contact', 'Lead'], {
      label: 'Name ID',
      relationshipName: 'Who',
      childRelationshipName: 'Tasks',
    }),
    reference('WhatId', ['Account', 'Opportunity', 'Case', 'Quote'], {
      label: 'Related To ID',
      relationshipName: 'What',
      childRelationshipName: 'Tasks',
    }),
    // A combobox in Salesforce (free text with suggestions); describe's closest type here is string.
    text('Subject', 255),
    field('ActivityDate', 'date', { label: 'Due Date Only' }),
    picklist(
      'Status',
      taskStatuses.map((s) => s.value),
      { required: true, defaultValue: 'Not Started', restricted: true },
    ),
    picklist('Priority', ['High', 'Normal', 'Low'], {
      required: true,
      defaultValue: 'Normal',
      restricted: true,
    }),
    checkbox('IsHighPriority', { label: 'High Priority', calculated: true }),
    picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
    picklist('TaskSubtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
      label: 'Task Subtype',
      createOnly: true,
    }),
    textArea('Description', 32000, { label: 'Description' }),
    checkbox('IsClosed', { label: 'Closed', calculated: true }),
  ]);
}

/**
 * The built-in standard objects, freshly built on each call (callers may extend them with the
 * custom fields of force-app without affecting each other).
 */
export function standardObjects(): SObjectDef[] {
  return [
    user(),
    organization(),
    account(),
    contact(),
    lead(),
    opportunity(),
    product2(),
    pricebook2(),
    pricebookEntry(),
    opportunityLineItem(),
    quote(),
    quoteLineItem(),
    caseObject(),
    task(),
  ];
}
