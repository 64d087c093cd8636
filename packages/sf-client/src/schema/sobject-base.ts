/** Shapes shared by every generated sObject interface. */

/** The `attributes` of a record as the REST API returns it. */
export interface SObjectAttributes {
  type: string;
  url?: string;
}

/** A child relationship in a query result (`Opportunity.OpportunityLineItems`). */
export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** A compound address field. */
export interface Address {
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  latitude?: number | null;
  longitude?: number | null;
}
