/**
 * Checks a document input before any drawing, so bad data fails with a {@link DocumentInputError}
 * naming the field instead of a half-drawn PDF or a pdfkit stack trace. Prices are not re-derived:
 * the checks are about shape (a label for every priced line, integer amounts, a known currency).
 */
import { CATALOG_GROUPS } from '@ecars/pricing-engine';
import { TEMPLATE_NAMES, type DocumentInput, type TemplateName } from './document-input.js';
import { DocumentInputError, UnknownTemplateError } from './errors.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Returns `input` typed as a {@link DocumentInput}, or throws naming the first bad field. */
export function validateDocumentInput(input: unknown): DocumentInput {
  const record = object(input, 'input');
  const template = record.template;
  if (!(TEMPLATE_NAMES as readonly unknown[]).includes(template)) throw new UnknownTemplateError(template);
  if ((template as TemplateName) === 'quote') validateQuote(record);
  else validateOrderConfirmation(record);
  return input as DocumentInput;
}

function validateQuote(input: Record<string, unknown>): void {
  text(input.quoteNumber, 'quoteNumber');
  text(input.name, 'name');
  date(input.issueDate, 'issueDate');
  const account = object(input.account, 'account');
  text(account.name, 'account.name');
  if (input.contact !== undefined && input.contact !== null)
    text(object(input.contact, 'contact').name, 'contact.name');
  const pricing = object(input.pricing, 'pricing');
  currency(pricing.currencyIsoCode, pricing.currencyDecimals, 'pricing');
  date(pricing.expirationDate, 'pricing.expirationDate');
  for (const field of ['subtotalMinor', 'totalDiscountMinor', 'totalMinor', 'discountBps'] as const) {
    amount(pricing[field], `pricing.${field}`);
  }
  const lines = array(pricing.lines, 'pricing.lines');
  const labels = array(input.lineLabels, 'lineLabels');
  if (labels.length !== lines.length) {
    throw new DocumentInputError(
      'lineLabels',
      `has ${labels.length} labels for ${lines.length} priced lines`,
    );
  }
  lines.forEach((line, index) => {
    const path = `pricing.lines[${index}]`;
    const priced = object(line, path);
    for (const field of ['listUnitPriceMinor', 'unitPriceMinor', 'lineTotalMinor', 'discountBps'] as const) {
      amount(priced[field], `${path}.${field}`);
    }
    if (typeof priced.quantity !== 'number' || !Number.isFinite(priced.quantity) || priced.quantity <= 0) {
      throw new DocumentInputError(`${path}.quantity`, 'must be a positive number');
    }
    text(object(labels[index], `lineLabels[${index}]`).productName, `lineLabels[${index}].productName`);
  });
}

function validateOrderConfirmation(input: Record<string, unknown>): void {
  text(input.reference, 'reference');
  text(input.modelName, 'modelName');
  date(input.issueDate, 'issueDate');
  text(object(input.contact, 'contact').name, 'contact.name');
  const configuration = object(input.configuration, 'configuration');
  currency(configuration.currency, configuration.decimals, 'configuration', 'currency', 'decimals');
  amount(configuration.totalMinor, 'configuration.totalMinor');
  const lines = array(configuration.lines, 'configuration.lines');
  const groups = new Set<unknown>();
  lines.forEach((line, index) => {
    const path = `configuration.lines[${index}]`;
    const priced = object(line, path);
    if (!(CATALOG_GROUPS as readonly unknown[]).includes(priced.group)) {
      throw new DocumentInputError(`${path}.group`, `must be one of ${CATALOG_GROUPS.join(', ')}`);
    }
    if (groups.has(priced.group))
      throw new DocumentInputError(`${path}.group`, `${String(priced.group)} is chosen twice`);
    groups.add(priced.group);
    amount(priced.priceMinor, `${path}.priceMinor`);
    const option = object(priced.option, `${path}.option`);
    text(option.code, `${path}.option.code`);
    text(option.label, `${path}.option.label`);
    text(option.imageKey, `${path}.option.imageKey`);
    if (
      priced.group !== 'range' &&
      (typeof option.swatch !== 'string' || !/^#[0-9a-f]{6}$/i.test(option.swatch))
    ) {
      throw new DocumentInputError(`${path}.option.swatch`, 'must be a colour like #1a2b3c');
    }
  });
  for (const group of CATALOG_GROUPS) {
    if (!groups.has(group)) throw new DocumentInputError('configuration.lines', `has no ${group} option`);
  }
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DocumentInputError(path, 'must be an object');
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new DocumentInputError(path, 'must be an array');
  return value;
}

function text(value: unknown, path: string): void {
  if (typeof value !== 'string' || value.trim() === '')
    throw new DocumentInputError(path, 'must be a non-empty string');
}

function date(value: unknown, path: string): void {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new DocumentInputError(path, 'must be a date YYYY-MM-DD');
  }
}

function amount(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new DocumentInputError(path, 'must be a non-negative integer (minor units or basis points)');
  }
}

function currency(
  code: unknown,
  decimals: unknown,
  path: string,
  codeField = 'currencyIsoCode',
  decimalsField = 'currencyDecimals',
): void {
  if (typeof code !== 'string' || !KNOWN_CURRENCIES.has(code)) {
    throw new DocumentInputError(
      `${path}.${codeField}`,
      `${JSON.stringify(code)} is not an ISO 4217 currency`,
    );
  }
  if (decimals !== 0 && decimals !== 1 && decimals !== 2 && decimals !== 3) {
    throw new DocumentInputError(`${path}.${decimalsField}`, 'must be 0, 1, 2 or 3');
  }
}
