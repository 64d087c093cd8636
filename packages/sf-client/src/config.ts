/**
 * The one door from sf-client to the process environment (ESLint allows `process.env` only in
 * config modules). The client reads no settings from variables: apps pass them as options. The one
 * use is handing a child process (the `sf` CLI) the environment it runs in — PATH, HOME and the
 * CLI's own `SF_*` settings, which only the user's shell knows.
 */

/** This process's environment with `overrides` on top, for a child process. */
export function childProcessEnvironment(...overrides: (Readonly<Record<string, string>> | undefined)[]): NodeJS.ProcessEnv {
  return Object.assign({}, process.env, ...overrides) as NodeJS.ProcessEnv;
}
