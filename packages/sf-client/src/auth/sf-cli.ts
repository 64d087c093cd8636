/**
 * Sessions from the Salesforce CLI: `sf org display --target-org <alias> --json`, which prints the
 * org's access token (refreshing it first when needed, from the CLI's stored refresh token). Runs
 * with `SF_DISABLE_AUTOUPDATE`, `SF_DISABLE_TELEMETRY` and `SF_SKIP_NEW_VERSION_CHECK` so that the
 * CLI neither spawns a detached updater nor phones home.
 */
import { execFile } from 'node:child_process';
import { childProcessEnvironment } from '../config.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceAuthError } from '../errors/salesforce-auth-error.js';
import { Secret } from './secret.js';
import type { SessionInfo } from './session.js';

/** The environment every `sf` call gets, on top of the process's. */
export const SF_CLI_ENV = {
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
} as const;

/** What `sf org display --json` prints (the fields used). */
interface OrgDisplay {
  status: number;
  result?: {
    accessToken?: string;
    instanceUrl?: string;
    id?: string;
    username?: string;
    apiVersion?: string;
    alias?: string;
  };
  message?: string;
  name?: string;
}

export interface SfCliOptions {
  /**
   * The CLI executable.
   * @defaultValue 'sf' (looked up on PATH)
   */
  command?: string;
  /** Extra environment for the CLI. */
  env?: Record<string, string>;
  /**
   * Time the CLI may take, in ms.
   * @defaultValue 60_000
   */
  timeoutMs?: number;
}

/** Runs `sf org display` for `alias` and returns its session. The user id is read by the caller. */
export async function displayOrg(alias: string, options: SfCliOptions = {}): Promise<Omit<SessionInfo, 'userId'> & { userId?: string }> {
  const command = options.command ?? 'sf';
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      command,
      ['org', 'display', '--target-org', alias, '--json'],
      {
        env: childProcessEnvironment(SF_CLI_ENV, options.env),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 4 * 1024 * 1024,
        windowsHide: true,
      },
      (error, out) => {
        // sf exits non-zero on failure but still prints its JSON error; prefer that message.
        if (error && !out) reject(error);
        else resolve(out);
      },
    );
  }).catch((error: unknown) => {
    throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `could not run \`${command} org display\` for ${alias}: ${(error as Error).message}`, {
      cause: error,
    });
  });
  let display: OrgDisplay;
  try {
    display = JSON.parse(stdout) as OrgDisplay;
  } catch (error) {
    throw new SalesforceAuthError(ClientErrorCode.AUTHENTICATION_FAILED, `\`${command} org display --json\` printed no JSON`, { cause: error });
  }
  const r = display.result;
  if (display.status !== 0 || !r?.accessToken || !r.instanceUrl || !r.username) {
    throw new SalesforceAuthError(
      ClientErrorCode.AUTHENTICATION_FAILED,
      `\`${command} org display\` failed for ${alias}: ${display.message ?? display.name ?? 'no access token in the result'}`,
    );
  }
  return {
    instanceUrl: r.instanceUrl.replace(/\/+$/, ''),
    accessToken: new Secret(r.accessToken),
    apiVersion: r.apiVersion ?? '',
    orgId: r.id ?? '',
    username: r.username,
  };
}
