/**
 * The key an API call is counted under: method plus the path below the API version, with record
 * ids, job ids and query locators replaced by placeholders, so that `GET /sobjects/Account/001…`
 * calls all count as `GET /sobjects/Account/{id}` and `GET /query/01g…-2000` as
 * `GET /query/{locator}`.
 */
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const DIGIT = /\d/;
const VERSION = /^v?\d+\.\d+$/;
/** Resources whose next path segment is a query cursor (`nextRecordsUrl`). */
const LOCATOR_PARENTS = new Set(['query', 'queryAll']);

export function endpointKey(method: string, url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  // Drop the API root: services/data/vXX.X, services/async/XX.X, cometd/XX.X.
  let start = 0;
  if (segments[0] === 'services' && (segments[1] === 'data' || segments[1] === 'async')) {
    start = segments[1] === 'async' ? 1 : 2;
  }
  const kept: string[] = [];
  for (let i = start; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (VERSION.test(segment)) continue;
    const previous = segments[i - 1] ?? '';
    if (LOCATOR_PARENTS.has(previous)) kept.push('{locator}');
    // An id has 15 or 18 alphanumerics and (unlike a 15-letter object name such as
    // ContentDocument) at least one digit: key prefixes always carry one.
    else if (ID.test(segment) && DIGIT.test(segment)) kept.push('{id}');
    else kept.push(segment);
  }
  return `${method.toUpperCase()} /${kept.join('/')}`;
}
