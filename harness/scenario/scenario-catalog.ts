// The shipped scenarios (`scenarios/*.yaml`) and how command-line names resolve to files.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../shared/package-root.js';

/** The project root: the nearest directory above this module holding package.json. */
export { packageRoot };

export function defaultScenariosDir(): string {
  return path.join(packageRoot(), 'scenarios');
}

/** Scenario names (`*.yaml` file names without the extension) in a directory, sorted. */
export async function listScenarioNames(directory: string): Promise<string[]> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  return entries.filter((entry) => entry.endsWith('.yaml')).map((entry) => entry.slice(0, -'.yaml'.length)).sort();
}

/** `explicit`: the files asked for by name or path, not only through `all`. */
export type Resolution = { files: string[]; explicit: string[] } | { unknown: string[]; known: string[] };

/** `all`, names from the directory, or paths to .yaml files -> files, in the order given. */
export async function resolveScenarioFiles(requested: readonly string[], directory: string): Promise<Resolution> {
  const known = await listScenarioNames(directory);
  const files: string[] = [];
  const explicit: string[] = [];
  const unknown: string[] = [];
  for (const name of requested) {
    if (name === 'all') {
      files.push(...known.map((entry) => fileFor(directory, entry)));
      continue;
    }
    const file = /\.ya?ml$/.test(name) || name.includes('/') ? name : known.includes(name) ? fileFor(directory, name) : undefined;
    if (file === undefined) unknown.push(name);
    else {
      files.push(file);
      explicit.push(file);
    }
  }
  if (unknown.length > 0) return { unknown, known };
  return { files: [...new Set(files)], explicit: [...new Set(explicit)] };
}

function fileFor(directory: string, name: string): string {
  const file = path.join(directory, `${name}.yaml`);
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}
