/**
 * What a check reports: a problem with the file and line to fix. Every check returns a list of
 * these; an empty list means the check passed.
 */

/** The checks, in the order they run and are reported. */
export const CHECK_NAMES = [
  'convert',
  'apex-syntax',
  'api-version',
  'references',
  'apex-tests',
  'apex-ls',
  'pmd',
] as const;

/** Name of one check. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** One problem found by a check. */
export interface Finding {
  /** Which check found it. */
  readonly check: CheckName;
  /** Path relative to the project root, `/`-separated. */
  readonly file: string;
  /** 1-based line, or 0 when the problem concerns the whole file. */
  readonly line: number;
  /** What is wrong and, where it helps, what is expected instead. */
  readonly message: string;
}

/** `file:line: [check] message`, the form editors and CI logs link. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}: [${finding.check}] ${finding.message}`;
}
