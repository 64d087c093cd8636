/**
 * The Salesforce DX project being validated: its root, `sfdx-project.json`, the package
 * directories and the files in them (minus what `.forceignore` keeps out of deployments).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A project on disk. */
export interface SfdxProject {
  /** Absolute path of the directory holding `sfdx-project.json`. */
  readonly root: string;
  /** `sourceApiVersion` of `sfdx-project.json`, e.g. `64.0`. */
  readonly sourceApiVersion: string;
  /** Absolute paths of the package directories. */
  readonly packageDirectories: readonly string[];
  /** Every deployable file (absolute paths), sorted. */
  readonly files: readonly string[];
}

/** Reads `sfdx-project.json` at `root` and lists the deployable files. */
export function loadProject(root: string): SfdxProject {
  const file = join(root, 'sfdx-project.json');
  if (!existsSync(file)) throw new Error(`no sfdx-project.json in ${root}`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    sourceApiVersion?: string;
    packageDirectories?: { path: string }[];
  };
  if (!json.sourceApiVersion) throw new Error(`${file}: sourceApiVersion is missing`);
  const packageDirectories = (json.packageDirectories ?? []).map((p) => join(root, p.path));
  if (packageDirectories.length === 0) throw new Error(`${file}: packageDirectories is empty`);
  const ignore = readForceIgnore(root);
  const files: string[] = [];
  for (const dir of packageDirectories) {
    for (const path of walk(dir)) {
      if (!ignore(toPosix(relative(root, path)))) files.push(path);
    }
  }
  return {
    root,
    sourceApiVersion: json.sourceApiVersion,
    packageDirectories,
    files: files.sort(),
  };
}

/** Path relative to the project root with `/` separators, as findings print it. */
export function projectPath(project: SfdxProject, path: string): string {
  return toPosix(relative(project.root, path));
}

/** Every file under `dir`, skipping node_modules and dot-directories. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * A matcher for `.forceignore` (gitignore syntax, the subset Salesforce projects use: `**`, `*`,
 * trailing `/`, leading `/` anchors, `!` negation).
 */
export function readForceIgnore(root: string): (relativePath: string) => boolean {
  const file = join(root, '.forceignore');
  const rules = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => {
          const negate = line.startsWith('!');
          const pattern = negate ? line.slice(1) : line;
          return { negate, regex: globToRegExp(pattern) };
        })
    : [];
  return (path) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negate;
    return ignored;
  };
}

function globToRegExp(glob: string): RegExp {
  let pattern = glob;
  const anchored = pattern.startsWith('/') || pattern.slice(0, -1).includes('/');
  pattern = pattern.replace(/^\//, '');
  const directory = pattern.endsWith('/');
  pattern = pattern.replace(/\/$/, '');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A pattern matches the path itself or anything below it (a directory and its contents).
  return new RegExp(`${prefix}${source}${directory ? '/' : '(?:/|$)'}`);
}
