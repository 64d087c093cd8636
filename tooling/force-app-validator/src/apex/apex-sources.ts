/**
 * The project's Apex, parsed once and shared by the checks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SfdxProject } from '../project.js';
import { parseApex, type ApexUnit } from './apex-unit.js';

/** A parsed Apex file. */
export interface ApexFile {
  /** Absolute path. */
  readonly path: string;
  /** Name from the file name (`QuoteJobController` for `QuoteJobController.cls`). */
  readonly fileName: string;
  readonly unit: ApexUnit;
}

/** Parses every `.cls` and `.trigger` of the project. */
export function parseProjectApex(project: SfdxProject): ApexFile[] {
  return project.files
    .filter((f) => f.endsWith('.cls') || f.endsWith('.trigger'))
    .map((path) => ({
      path,
      fileName: basename(path).replace(/\.(cls|trigger)$/, ''),
      unit: parseApex(readFileSync(path, 'utf8'), path.endsWith('.trigger') ? 'trigger' : 'class'),
    }));
}
