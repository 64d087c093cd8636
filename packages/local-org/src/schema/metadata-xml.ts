/**
 * Reading Metadata API source files (`*-meta.xml`): well-formedness check, parse with every value
 * kept as text, and the error every metadata problem is reported with.
 *
 * A metadata problem is what a deploy would reject, found while the org starts. It is reported as
 * the package's one error type, `SalesforceError`, with a code saying what is wrong and the
 * file's path at the start of the message, so a bad file is found without a debugger.
 */
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SalesforceError } from '../errors.js';

/** Codes of metadata errors. */
export type MetadataErrorCode =
  /** Not well-formed XML, or not the expected root element. */
  | 'MALFORMED_METADATA'
  /** A field type (or a feature such as formulas) the local org does not model. */
  | 'UNSUPPORTED_FIELD_TYPE'
  /** A kind of metadata the local org does not model (custom metadata types, big objects…). */
  | 'UNSUPPORTED_METADATA'
  /** Well-formed but wrong: a missing element, an unknown reference, a clash with another name. */
  | 'INVALID_METADATA';

/** The error for a problem in metadata file `file`. */
export function metadataError(file: string, code: MetadataErrorCode, message: string): SalesforceError {
  return new SalesforceError(code, `${file}: ${message}`, 500);
}

/** A parsed element: child elements by name, text leaves as strings. */
export interface XmlNode {
  [name: string]: XmlValue;
}
export type XmlValue = string | XmlNode | XmlValue[];

/** Elements that may repeat, so they always parse as arrays (one picklist value is still a list). */
const REPEATED = new Set(['value', 'customValue']);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** Parses `file` and returns its root element, which must be `rootName` (e.g. `CustomField`). */
export function readMetadataXml(file: string, rootName: string): XmlNode {
  const xml = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw metadataError(
      file,
      'MALFORMED_METADATA',
      `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const doc: unknown = parser.parse(xml);
  const root = isNode(doc) ? doc[rootName] : undefined;
  if (root === undefined) {
    throw metadataError(file, 'MALFORMED_METADATA', `expected a <${rootName}> root element`);
  }
  // `<CustomObject/>` with no children parses as an empty string.
  return isNode(root) ? root : {};
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Typed access to the children of one element, with errors naming the file. */
export class XmlElement {
  constructor(
    readonly file: string,
    readonly node: XmlNode,
  ) {}

  /** Text of child `name`, or undefined when absent or empty. */
  text(name: string): string | undefined {
    const v = this.node[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') {
      throw metadataError(this.file, 'MALFORMED_METADATA', `<${name}> must hold text`);
    }
    return v;
  }

  /** Text of child `name`, which must be present. */
  requiredText(name: string): string {
    const v = this.text(name);
    if (v === undefined) throw metadataError(this.file, 'INVALID_METADATA', `<${name}> is required`);
    return v;
  }

  /** `true`/`false` child, or `fallback` when absent. */
  bool(name: string, fallback = false): boolean {
    const v = this.text(name);
    if (v === undefined) return fallback;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw metadataError(
      this.file,
      'INVALID_METADATA',
      `<${name}> must be true or false, not ${JSON.stringify(v)}`,
    );
  }

  /** Non-negative integer child, or undefined when absent. */
  int(name: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) {
      throw metadataError(
        this.file,
        'INVALID_METADATA',
        `<${name}> must be a whole number, not ${JSON.stringify(v)}`,
      );
    }
    return Number(v);
  }

  /** Child element `name`, or undefined. */
  child(name: string): XmlElement | undefined {
    const v = this.node[name];
    if (v === undefined) return undefined;
    if (v === '') return new XmlElement(this.file, {});
    if (!isNode(v)) {
      throw metadataError(this.file, 'MALFORMED_METADATA', `<${name}> must appear once and hold elements`);
    }
    return new XmlElement(this.file, v);
  }

  /** Repeated child elements `name` (see REPEATED), in document order. */
  children(name: string): XmlElement[] {
    const v = this.node[name];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((item) => {
      if (item === '') return new XmlElement(this.file, {});
      if (!isNode(item)) throw metadataError(this.file, 'MALFORMED_METADATA', `<${name}> must hold elements`);
      return new XmlElement(this.file, item);
    });
  }
}
