/**
 * The SOQL engine of the local org.
 *
 * Supported (behaving like Salesforce as documented):
 * - SELECT of fields (any case; output keys use the schema's API names), parent paths up to 5
 *   levels (`Opportunity.Account.Owner.Name`, nested `{Account: {attributes, Name}}` or `null`),
 *   child subqueries by child relationship name with their own WHERE / ORDER BY / LIMIT / OFFSET
 *   (LIMIT and OFFSET per parent; `null` when a parent has no children), `FIELDS(STANDARD|CUSTOM|ALL)`
 *   (the last two need `LIMIT` ≤ 200), `toLabel()`/`FORMAT()`/`convertCurrency()` (return the value).
 * - WHERE with `= != <> < <= > >= LIKE IN NOT IN INCLUDES EXCLUDES`, AND/OR/NOT and parentheses
 *   (AND and OR may not be mixed at one level), semi-/anti-joins (`Id IN (SELECT … FROM …)`),
 *   null, boolean, number, currency-prefixed number, string (with SOQL escapes), date, datetime
 *   (with `Z` or `±hh:mm`) and date literals (`TODAY`, `LAST_N_DAYS:n`, `THIS_QUARTER`, fiscal = calendar),
 *   date functions (`CALENDAR_YEAR(CloseDate) = 2024`). Text comparison is case-insensitive; id
 *   literals may be 15 or 18 characters.
 * - ORDER BY fields, parent paths and date functions (ASC NULLS FIRST / DESC NULLS LAST by default,
 *   text case-insensitive), LIMIT, OFFSET (≤ 2000).
 * - `COUNT()`, and `COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX` with aliases (unaliased: `expr0`, `expr1`…),
 *   GROUP BY fields, parent paths and date functions, HAVING.
 * - `WITH SECURITY_ENFORCED`, `WITH USER_MODE|SYSTEM_MODE`, `USING SCOPE`, `FOR VIEW|REFERENCE|UPDATE`
 *   are accepted and have no effect (the local org has one all-powerful user).
 * - Soft-deleted rows are hidden unless `includeDeleted` (`/queryAll`).
 *
 * Not supported (a clear MALFORMED_QUERY): `TYPEOF`, GROUP BY ROLLUP/CUBE, nested child subqueries,
 * `WITH DATA CATEGORY`, `UPDATE TRACKING|VIEWSTAT`, `DISTANCE`/`GEOLOCATION`.
 *
 * Polymorphic lookups (`Task.What`): the parent is found by id among all `referenceTo` objects
 * present in the schema (i.e. by key prefix). Only fields of the polymorphic parent itself can
 * be reached (`What.Name`, `What.Type`), not further hops (`What.Owner.Name`); when the targets
 * have different types for one field name the query fails.
 *
 * Not emulated: picklist ORDER BY uses the value text, not the picklist's defined order; GROUP BY
 * text is case-sensitive; aggregate queries are not limited to 2000 groups.
 */
export { compileSoql, MAX_OFFSET, type CompiledSoql, type CompiledSubquery } from './compile.js';
export { executeSoql } from './execute.js';
export { BATCH_SIZE, clampBatchSize, QueryCursors, type QueryCursorsOptions } from './query-cursors.js';
export type { QueryPage, SoqlChildResult, SoqlContext, SoqlOptions, SoqlRecord, SoqlResult } from './types.js';
