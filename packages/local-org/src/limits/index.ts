export { limitsPlugin, LIMIT_INFO_HEADER, totalRequestsExceededBody } from './limits-plugin.js';
export type { LimitsPluginOptions } from './limits-plugin.js';
export { ApiUsage } from './api-usage.js';
export type { ApiUsageOptions, ApiUsageSnapshot } from './api-usage.js';
export { endpointKey } from './endpoint-key.js';
export { API_PATH_PREFIXES, isUnderPrefix } from './api-paths.js';
export type { OrgLimit } from './org-limits.js';
// Internal on purpose: defaultOrgLimits() is the plugin's table; other modules override entries
// through app.registerLimit.
