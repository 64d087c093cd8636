/**
 * The one error type of the local org: a Salesforce API error with its documented code.
 *
 * On the wire Salesforce answers errors as an ARRAY `[{message, errorCode, fields?}]` with a 4xx/5xx
 * status; inside composite and collection responses the same shape appears per node/record. Every
 * part of the emulator throws `SalesforceError`; the HTTP layer serialises it.
 */
export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';

  /**
   * @param errorCode - Salesforce's code, e.g. `REQUIRED_FIELD_MISSING`, `MALFORMED_QUERY`.
   * @param message - Text shaped like Salesforce's own message for that code.
   * @param status - HTTP status the REST API answers with.
   * @defaultValue status 400
   * @param fields - Field API names the error is about (record-level validation errors).
   */
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status = 400,
    readonly fields: string[] = [],
  ) {
    super(message);
  }

  /** The element of a REST error array: `{message, errorCode, fields}`. */
  toJSON(): { message: string; errorCode: string; fields: string[] } {
    return { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }

  /** The element of a sObject Collections result's `errors`: `{statusCode, message, fields}`. */
  toCollectionError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

/** Builders for the codes used in more than one place, so messages stay identical everywhere. */
export const errors = {
  invalidSession: () =>
    new SalesforceError('INVALID_SESSION_ID', 'Session expired or invalid', 401),
  notFound: (what = 'The requested resource does not exist') => new SalesforceError('NOT_FOUND', what, 404),
  /** SOQL / describe on an object that does not exist. */
  invalidType: (type: string) =>
    new SalesforceError(
      'INVALID_TYPE',
      `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      400,
    ),
  malformedId: (id: string) => new SalesforceError('MALFORMED_ID', `Record ID: id value of incorrect type: ${id}`, 400),
  invalidField: (field: string, type: string) =>
    new SalesforceError('INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`, 400),
  requiredMissing: (fields: string[]) =>
    new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, 400, fields),
  jsonParser: (message: string) => new SalesforceError('JSON_PARSER_ERROR', message, 400),
  processingHalted: () =>
    new SalesforceError(
      'PROCESSING_HALTED',
      'The transaction was rolled back since another operation in the same transaction failed.',
      400,
    ),
};
