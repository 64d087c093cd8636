/**
 * The one door from local-org to the process environment (ESLint allows `process.env` only in
 * config modules): the variables `local-org start` reads, each documented in the root `.env.example`.
 * The values stay text here; the CLI validates them together with its options (a command-line
 * option wins over its variable).
 */

/** What the `local-org` CLI takes from the environment. */
export interface CliEnvironment {
  /**
   * The folder relative paths on the command line are resolved against. pnpm runs a package's bin
   * in the package's folder but says where it was invoked in `INIT_CWD` (so `pnpm invoke local` at
   * the root finds the state file there).
   * @defaultValue the process's working directory
   */
  invokedFrom: string;
  /** `DATABASE_URL`: keep the org in PostgreSQL instead of PGlite (`--database-url` wins). */
  databaseUrl?: string;
  /** `LOCAL_ORG_PORT`: the port of `local-org start` (`--port` wins). */
  port?: string;
  /**
   * `LOG_LEVEL`: the request log's level.
   * @defaultValue 'info'
   */
  logLevel: string;
}

/** Reads the CLI's variables from `env` (the process's environment unless given). */
export function readCliEnvironment(env: Record<string, string | undefined> = process.env): CliEnvironment {
  const result: CliEnvironment = { invokedFrom: env['INIT_CWD'] || process.cwd(), logLevel: env['LOG_LEVEL'] || 'info' };
  if (env['DATABASE_URL']) result.databaseUrl = env['DATABASE_URL'];
  if (env['LOCAL_ORG_PORT'] !== undefined) result.port = env['LOCAL_ORG_PORT'];
  return result;
}
