/**
 * The project's Apex (and the offline declarations), parsed once and shared by the checks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { walk, type SfdxProject } from '../project.js';
import { parseApex, type ApexUnit } from './apex-unit.js';

/** A parsed Apex file. */
export interface ApexFile {
  /** Absolute path. */
  readonly path: string;
  /** Name from the file name (`QuoteJobController` for `QuoteJobController.cls`). */
  readonly fileName: string;
  /** Checked but never deployed (offline declaration). */
  readonly offline: boolean;
  readonly unit: ApexUnit;
}

/** Parses every `.cls` and `.trigger` of the project and of its offline directories. */
export function parseProjectApex(project: SfdxProject): ApexFile[] {
  const parse = (path: string, offline: boolean): ApexFile => ({
    path,
    offline,
    fileName: basename(path).replace(/\.(cls|trigger)$/, ''),
    unit: parseApex(readFileSync(path, 'utf8'), path.endsWith('.trigger') ? 'trigger' : 'class'),
  });
  const isApex = (f: string): boolean => f.endsWith('.cls') || f.endsWith('.trigger');
  return [
    ...project.files.filter(isApex).map((f) => parse(f, false)),
    ...project.offlineApexDirectories.flatMap((dir) =>
      walk(dir)
        .filter(isApex)
        .map((f) => parse(f, true)),
    ),
  ];
}
