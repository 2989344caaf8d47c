import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A package shipped with the app and its licence (from its package.json), for About and the licences file. */
export interface PackageLicence {
  name: string;
  version: string;
  license: string;
}

interface Manifest {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: { type?: string }[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** npm's lookup: node_modules/<name> next to the requiring package, then in each folder above, up to the project root. */
function findPackage(name: string, from: string, root: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
    dir = dirname(dir);
  }
}

function licenceOf(manifest: Manifest): string {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  const types = (manifest.licenses ?? []).map((l) => l.type).filter(Boolean);
  return types.length ? `(${types.join(' OR ')})` : 'UNKNOWN';
}

/**
 * The packages the app ships and their licences: `names` (default: the project's runtime dependencies) and
 * everything they depend on, as installed under `root`. Sorted by name; each package once per version.
 */
export function bundledLicences(root: string, names?: readonly string[]): PackageLicence[] {
  const top = readManifest(join(root, 'package.json'));
  const found = new Map<string, PackageLicence>();
  const visit = (name: string, from: string, optional: boolean) => {
    const path = findPackage(name, from, root);
    if (!path) {
      if (optional) return;
      throw new Error(`${name} is not installed (needed from ${from})`);
    }
    const manifest = readManifest(path);
    const id = `${name}@${manifest.version ?? ''}`;
    if (found.has(id)) return;
    found.set(id, { name, version: manifest.version ?? '', license: licenceOf(manifest) });
    const dir = dirname(path);
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of names ?? Object.keys(top.dependencies ?? {})) visit(name, root, false);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The packages a bundler put into a bundle, from its module ids (paths under node_modules). */
export function packagesOfModules(moduleIds: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const id of moduleIds) {
    const parts = id.split(/[\\/]/);
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const first = parts[at + 1];
    if (!first) continue;
    names.add(first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first);
  }
  return [...names].filter((n) => !n.endsWith('/') && !n.startsWith('.')).sort();
}

/** Licence counts, most used first: "MIT 120, ISC 8, Apache-2.0 3". */
export function licenceSummary(list: readonly PackageLicence[]): string {
  const counts = new Map<string, number>();
  for (const p of list) counts.set(p.license, (counts.get(p.license) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([licence, n]) => `${licence} ${n}`)
    .join(', ');
}

/** The licences file shown from About: one line per package. */
export function licencesText(list: readonly PackageLicence[]): string {
  return `${list.map((p) => `${p.name} ${p.version}\t${p.license}`).join('\n')}\n`;
}

export const LICENCES_FILE = 'licences.json';
