/**
 * Check `references`: names that only a deploy (or a user click) would otherwise find wrong.
 * - Apex SOQL: the object after FROM, every field path, child relationships of subqueries;
 * - LWC: `@salesforce/schema/Object.Field` imports and `@salesforce/apex/Class.method` imports
 *   (the class exists and the method is `@AuraEnabled`);
 * - Flows: the object and fields of record lookups, creates, updates and deletes, and Apex
 *   actions (the class exists and has an `@InvocableMethod`);
 * - permission sets: objects, fields (never a required field: Salesforce refuses permissions on
 *   those), Apex classes and tabs they grant.
 * The schema is local-org's: its standard objects plus the project's own objects and fields.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Schema } from '@ecars/local-org';
import type { ApexFile } from '../apex/apex-sources.js';
import type { ApexSoql } from '../apex/apex-unit.js';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';

/**
 * Setup objects local-org does not model. Queries on them are not checked field by field; any
 * other object name local-org does not know is a finding.
 */
export const UNMODELLED_SETUP_OBJECTS: ReadonlySet<string> = new Set(
  [
    'PermissionSet',
    'PermissionSetAssignment',
    'Profile',
    'CustomPermission',
    'AsyncApexJob',
    'CronTrigger',
    'Group',
    'GroupMember',
  ].map((name) => name.toLowerCase()),
);

/** Runs the check. */
export function checkReferences(project: SfdxProject, apex: readonly ApexFile[], schema: Schema): Finding[] {
  const findings: Finding[] = [];
  const classes = new Map(
    apex.filter((f) => f.unit.kind === 'class').map((f) => [f.unit.name.toLowerCase(), f]),
  );
  for (const file of apex) {
    const at = projectPath(project, file.path);
    for (const query of file.unit.soql) checkQuery(schema, query, null, at, findings);
  }
  for (const file of project.files) {
    const at = projectPath(project, file);
    if (/\/lwc\/[^/]+\/[^/]+\.js$/.test(file))
      checkLwc(schema, classes, readFileSync(file, 'utf8'), at, findings);
    else if (file.endsWith('.flow-meta.xml'))
      checkFlow(schema, classes, readFileSync(file, 'utf8'), at, findings);
    else if (file.endsWith('.permissionset-meta.xml')) {
      checkPermissionSet(project, schema, classes, readFileSync(file, 'utf8'), at, findings);
    }
  }
  return findings;
}

/** Resolves `path` (`Account.Owner.Name`) from `object`; returns a problem or null. */
export function resolveFieldPath(schema: Schema, object: string, path: string): string | null {
  const segments = path.split('.');
  let current = [object];
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    // `Opportunity.Name` inside a query on Opportunity: the object's own name may prefix a path.
    if (i === 0 && segments.length > 1 && segment.toLowerCase() === object.toLowerCase()) continue;
    const next = current.flatMap((o) => schema.parentRelationship(o, segment)?.referenceTo ?? []);
    if (next.length === 0) return `${current.join('|')} has no relationship ${segment}`;
    current = next;
  }
  const field = segments[segments.length - 1]!;
  if (!current.some((o) => schema.field(o, field))) return `${current.join('|')} has no field ${field}`;
  return null;
}

function checkQuery(
  schema: Schema,
  query: ApexSoql,
  parent: string | null,
  at: string,
  findings: Finding[],
): void {
  let object: string | undefined;
  if (parent === null) {
    if (UNMODELLED_SETUP_OBJECTS.has(query.from.toLowerCase())) return;
    object = schema.object(query.from)?.name;
    if (!object)
      findings.push({
        check: 'references',
        file: at,
        line: query.line,
        message: `SOQL: no object ${query.from}`,
      });
  } else {
    object = schema.childRelationship(parent, query.from)?.childSObject;
    if (!object) {
      findings.push({
        check: 'references',
        file: at,
        line: query.line,
        message: `SOQL: ${parent} has no child relationship ${query.from}`,
      });
    }
  }
  if (!object) return;
  for (const field of query.fields) {
    const problem = resolveFieldPath(schema, object, field.path);
    if (problem)
      findings.push({ check: 'references', file: at, line: field.line, message: `SOQL: ${problem}` });
  }
  for (const sub of query.subqueries) checkQuery(schema, sub, object, at, findings);
  for (const nested of query.nested) checkQuery(schema, nested, null, at, findings);
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function checkLwc(
  schema: Schema,
  classes: Map<string, ApexFile>,
  source: string,
  at: string,
  findings: Finding[],
): void {
  for (const match of source.matchAll(/from\s+['"]@salesforce\/schema\/([^'"]+)['"]/g)) {
    const line = lineOf(source, match.index);
    const [objectName, ...rest] = match[1]!.split('.');
    const object = schema.object(objectName!);
    if (!object) {
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `@salesforce/schema: no object ${objectName}`,
      });
      continue;
    }
    if (rest.length > 0) {
      const problem = resolveFieldPath(schema, object.name, rest.join('.'));
      if (problem)
        findings.push({ check: 'references', file: at, line, message: `@salesforce/schema: ${problem}` });
    }
  }
  for (const match of source.matchAll(/from\s+['"]@salesforce\/apex\/([^'".]+)\.([^'"]+)['"]/g)) {
    const line = lineOf(source, match.index);
    const [className, methodName] = [match[1]!, match[2]!];
    const apexClass = classes.get(className.toLowerCase());
    const method = apexClass?.unit.methods.find((m) => m.name.toLowerCase() === methodName.toLowerCase());
    if (!apexClass)
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `@salesforce/apex: no class ${className}`,
      });
    else if (!method) {
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `@salesforce/apex: ${className} has no method ${methodName}`,
      });
    } else if (!method.annotations.includes('auraenabled')) {
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `@salesforce/apex: ${className}.${methodName} is not @AuraEnabled`,
      });
    }
  }
}

const xml = new XMLParser({ ignoreAttributes: true, isArray: () => true, parseTagValue: false });

type XmlNode = Record<string, unknown[]>;

function texts(node: XmlNode | undefined, tag: string): string[] {
  return ((node?.[tag] ?? []) as unknown[]).map((v) => String(v));
}

function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  return (node?.[tag] ?? []) as XmlNode[];
}

function lineOfTag(source: string, tag: string, value: string): number {
  const index = source.indexOf(`<${tag}>${value}</${tag}>`);
  return index < 0 ? 0 : lineOf(source, index);
}

function checkFlow(
  schema: Schema,
  classes: Map<string, ApexFile>,
  source: string,
  at: string,
  findings: Finding[],
): void {
  const flow = children(xml.parse(source) as XmlNode, 'Flow')[0];
  for (const action of children(flow, 'actionCalls')) {
    if (texts(action, 'actionType')[0] !== 'apex') continue;
    const className = texts(action, 'actionName')[0] ?? '';
    const apexClass = classes.get(className.toLowerCase());
    const line = lineOfTag(source, 'actionName', className);
    if (!apexClass)
      findings.push({ check: 'references', file: at, line, message: `Flow: no Apex class ${className}` });
    else if (!apexClass.unit.methods.some((m) => m.annotations.includes('invocablemethod'))) {
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `Flow: ${className} has no @InvocableMethod`,
      });
    }
  }
  const elements = ['recordLookups', 'recordCreates', 'recordUpdates', 'recordDeletes', 'start'].flatMap(
    (tag) => children(flow, tag),
  );
  for (const element of elements) {
    const objectName = texts(element, 'object')[0];
    if (objectName === undefined) continue;
    const object = schema.object(objectName);
    if (!object) {
      findings.push({
        check: 'references',
        file: at,
        line: lineOfTag(source, 'object', objectName),
        message: `Flow: no object ${objectName}`,
      });
      continue;
    }
    const fields = [
      ...texts(element, 'queriedFields'),
      ...['filters', 'inputAssignments', 'outputAssignments'].flatMap((tag) =>
        children(element, tag).flatMap((item) => texts(item, 'field')),
      ),
    ];
    for (const field of fields) {
      if (!schema.field(object.name, field)) {
        const line = lineOfTag(source, 'field', field) || lineOfTag(source, 'queriedFields', field);
        findings.push({
          check: 'references',
          file: at,
          line,
          message: `Flow: ${object.name} has no field ${field}`,
        });
      }
    }
  }
}

function checkPermissionSet(
  project: SfdxProject,
  schema: Schema,
  classes: Map<string, ApexFile>,
  source: string,
  at: string,
  findings: Finding[],
): void {
  const set = children(xml.parse(source) as XmlNode, 'PermissionSet')[0];
  for (const permission of children(set, 'objectPermissions')) {
    const objectName = texts(permission, 'object')[0] ?? '';
    if (!schema.object(objectName)) {
      findings.push({
        check: 'references',
        file: at,
        line: lineOfTag(source, 'object', objectName),
        message: `permission set: no object ${objectName}`,
      });
    }
  }
  for (const permission of children(set, 'fieldPermissions')) {
    const qualified = texts(permission, 'field')[0] ?? '';
    const [objectName, fieldName] = qualified.split('.');
    const field = objectName && fieldName ? schema.field(objectName, fieldName) : undefined;
    const line = lineOfTag(source, 'field', qualified);
    if (!field)
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `permission set: no field ${qualified}`,
      });
    else if (!field.nillable && field.custom) {
      findings.push({
        check: 'references',
        file: at,
        line,
        message: `permission set: ${qualified} is required; Salesforce refuses field permissions on required fields`,
      });
    }
  }
  for (const access of children(set, 'classAccesses')) {
    const className = texts(access, 'apexClass')[0] ?? '';
    const apexClass = classes.get(className.toLowerCase());
    if (!apexClass) {
      findings.push({
        check: 'references',
        file: at,
        line: lineOfTag(source, 'apexClass', className),
        message: `permission set: no Apex class ${className} in the project`,
      });
    }
  }
  for (const tab of children(set, 'tabSettings')) {
    const tabName = texts(tab, 'tab')[0] ?? '';
    const exists =
      tabName.startsWith('standard-') ||
      project.packageDirectories.some((dir) =>
        existsSync(join(dir, 'main', 'default', 'tabs', `${tabName}.tab-meta.xml`)),
      );
    if (!exists) {
      findings.push({
        check: 'references',
        file: at,
        line: lineOfTag(source, 'tab', tabName),
        message: `permission set: no tab ${tabName}`,
      });
    }
  }
}
