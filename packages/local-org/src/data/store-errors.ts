/** The errors the record store reports, worded as Salesforce words them (the sObject type in them). */
import { SalesforceError } from '../errors.js';
import type { FieldDef } from '../schema/types.js';

/**
 * An upsert whose external id matches several records: REST answers 300 Multiple Choices with
 * the matching records' URLs, so the ids travel with the error.
 */
export class MultipleMatchesError extends SalesforceError {
  constructor(
    field: string,
    readonly ids: string[],
  ) {
    super('MULTIPLE_CHOICES', `${field}: more than one record found for external id field: [${ids.join(', ')}]`, 300, [field]);
  }
}

export const storeErrors = {
  noSuchColumn: (field: string, type: string) =>
    new SalesforceError('INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`, 400, [field]),
  notWritable: (f: FieldDef) =>
    new SalesforceError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      400,
      [f.name],
    ),
  crossReference: (f: FieldDef) =>
    new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, 400, [f.name]),
  entityDeleted: () => new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted', 400),
  notFound: () => new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404),
  duplicate: (f: FieldDef, id: string) =>
    new SalesforceError(
      'DUPLICATE_VALUE',
      `duplicate value found: ${f.name} duplicates value on record with id: ${id}`,
      400,
      [f.name],
    ),
  required: (fields: string[]) =>
    new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, 400, fields),
};
