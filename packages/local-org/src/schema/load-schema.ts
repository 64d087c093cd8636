/**
 * The data model of the local org: the built-in standard objects, extended with what the
 * project's force-app deploys (custom fields on standard objects, custom objects, platform
 * events) and with the Change Data Capture selection.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changeEventObjectName, loadForceAppObjects } from './metadata-loader.js';
import { metadataError } from './metadata-xml.js';
import { Schema } from './schema.js';
import { standardObjects } from './standard-objects.js';
import type { SObjectDef } from './types.js';

/** Options of {@link loadSchema}. */
export interface LoadSchemaOptions {
  /**
   * Salesforce DX source directory holding `objects/`, `globalValueSets/` and
   * `platformEventChannelMembers/`.
   * @defaultValue {@link findForceAppDir}(): the repository's `force-app/main/default`
   */
  forceAppDir?: string;
  /**
   * Objects with Change Data Capture enabled, as object API names (`Vehicle__c`) or change event
   * names (`Vehicle__ChangeEvent`). Replaces force-app's `ChangeEvents` selection, so a test can
   * enable or disable CDC for any object.
   * @defaultValue the `ChangeEvents` channel members in force-app
   */
  cdcEntities?: string[];
}

/** Builds the org's {@link Schema}. Throws a `SalesforceError` naming the file when force-app is not valid. */
export function loadSchema(options: LoadSchemaOptions = {}): Schema {
  const standard = standardObjects();
  const forceApp = loadForceAppObjects(options.forceAppDir ?? findForceAppDir(), {
    standardObjects: standard,
  });
  for (const [objectName, fields] of forceApp.extensions) {
    const target = standard.find((o) => o.name === objectName);
    // loadForceAppObjects only returns extensions of the standard objects it was given.
    if (target) target.fields.push(...fields);
  }
  const objects: SObjectDef[] = [...standard, ...forceApp.objects];
  const cdc = new Set<string>();
  for (const entity of options.cdcEntities ?? forceApp.cdcEntities) {
    const name = changeEventObjectName(entity).toLowerCase();
    const object = objects.find((o) => o.name.toLowerCase() === name);
    if (!object) throw new Error(`cdcEntities: ${entity} is not an object of this org`);
    cdc.add(object.name);
  }
  for (const o of objects) o.cdcEnabled = cdc.has(o.name);
  for (const e of forceApp.platformEvents) e.cdcEnabled = false;
  return new Schema([...objects, ...forceApp.platformEvents]);
}

/**
 * The default force-app source directory: walks up from `from` (this module's directory, so it
 * works from `src/schema` and from `dist/schema`) to the first directory holding
 * `sfdx-project.json`, the root of a Salesforce DX project, and returns
 * `<root>/<default package directory>/main/default`.
 */
export function findForceAppDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    const project = join(dir, 'sfdx-project.json');
    if (existsSync(project)) return join(dir, defaultPackageDirectory(project), 'main', 'default');
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`no sfdx-project.json above ${from}: pass forceAppDir to loadSchema`);
    }
    dir = parent;
  }
}

/** `packageDirectories[].path` of the entry marked `default` (or the first one). */
function defaultPackageDirectory(projectFile: string): string {
  let project: unknown;
  try {
    project = JSON.parse(readFileSync(projectFile, 'utf8'));
  } catch (err) {
    throw metadataError(projectFile, 'MALFORMED_METADATA', `not valid JSON: ${(err as Error).message}`);
  }
  const dirs =
    (project as { packageDirectories?: Array<{ path?: unknown; default?: unknown }> }).packageDirectories ??
    [];
  const chosen = dirs.find((d) => d.default === true) ?? dirs[0];
  if (typeof chosen?.path !== 'string') {
    throw metadataError(projectFile, 'INVALID_METADATA', 'packageDirectories lists no path');
  }
  return chosen.path;
}
