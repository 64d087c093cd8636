export { faultsPlugin } from './faults-plugin.js';
export type { FaultsPluginOptions } from './faults-plugin.js';
export { FaultInjector } from './fault-injector.js';
export type { FaultStats } from './fault-injector.js';
export { DEFAULT_FAULT_PATHS, FAULT_KINDS } from './fault-options.js';
export type { FaultKind, FaultOptions, FaultPathRule, ResolvedFaultOptions } from './fault-options.js';
export { SeededRandom } from './seeded-random.js';
// Internal on purpose: fault-responses.ts is the plugin's catalogue of fault bodies.
