// The architecture the folder tree promises, read from the TypeScript sources: the Raft core is
// pure (no `node:` module, no `Date`, no `Math.random`), the checkers import only the history,
// scenario code reaches no platform code, not even through what it imports, and no platform
// imports another.

import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

const root = packageRoot();

async function sourcesIn(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { recursive: true });
  return entries.filter((entry) => entry.endsWith('.ts')).map((entry) => path.join(root, folder, entry)).sort();
}

/** Every specifier a file imports, statically or with `import()`. */
async function importsOf(file: string): Promise<string[]> {
  return ts.preProcessFile(await readFile(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

/** A relative specifier as the source file it names (`./x.js` -> `/…/x.ts`); a package stays as written. */
function resolved(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
}

function relative(file: string): string {
  return path.relative(root, file);
}

/** Where the source uses the `Date` global or calls `Math.random`, as `file:line`. */
async function clockOrRandomUses(file: string): Promise<string[]> {
  const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    const isDate = ts.isIdentifier(node) && node.text === 'Date' && !ts.isPropertyAccessExpression(node.parent);
    const isRandom = ts.isPropertyAccessExpression(node) && node.expression.getText(source) === 'Math' && node.name.text === 'random';
    if (isDate || isRandom) uses.push(`${relative(file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} ${node.getText(source)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

t.test('raft/core uses no node: module, Date or Math.random', async (t) => {
  const files = await sourcesIn('raft/core');
  t.ok(files.length > 5, `read ${files.length} files`);
  const packageImports: string[] = [];
  const clockOrRandom: string[] = [];
  for (const file of files) {
    for (const specifier of await importsOf(file)) if (!specifier.startsWith('.')) packageImports.push(`${relative(file)}: ${specifier}`);
    clockOrRandom.push(...(await clockOrRandomUses(file)));
  }
  t.same(packageImports, [], 'the core imports only project files');
  t.same(clockOrRandom, [], 'time is ticks and jitter comes from the injected rng');
});

// The check command's entry points still live beside the checkers; they are CLI code.
const checkCommandFiles = new Set(['check-main.ts', 'check-command.ts']);
// The linearizability search runs in a worker thread with a time budget.
const checkerBuiltins = new Set(['node:worker_threads', 'node:url']);

t.test('the checkers import only the history (and the worker thread that bounds the search)', async (t) => {
  const files = (await sourcesIn('harness/checkers')).filter((file) => !checkCommandFiles.has(path.basename(file)));
  t.ok(files.length > 10, `read ${files.length} files`);
  const allowed = [path.join(root, 'harness', 'checkers') + path.sep, path.join(root, 'harness', 'history') + path.sep];
  const outside: string[] = [];
  for (const file of files) {
    for (const specifier of await importsOf(file)) {
      const target = resolved(file, specifier);
      if (checkerBuiltins.has(target) || allowed.some((folder) => target.startsWith(folder))) continue;
      outside.push(`${relative(file)}: ${specifier}`);
    }
  }
  t.same(outside, []);
});

t.test('scenario code reaches no platform code through its imports', async (t) => {
  const platforms = path.join(root, 'harness', 'platforms') + path.sep;
  const pending = await sourcesIn('harness/scenario');
  const importedBy = new Map<string, string>(pending.map((file) => [file, relative(file)]));
  const reached: string[] = [];
  for (let guard = 0; pending.length > 0 && guard < 5000; guard += 1) {
    const file = pending.pop()!;
    for (const specifier of await importsOf(file)) {
      const target = resolved(file, specifier);
      if (!target.startsWith(root) || !target.endsWith('.ts') || importedBy.has(target)) continue;
      importedBy.set(target, `${importedBy.get(file)} -> ${relative(target)}`);
      if (target.startsWith(platforms)) reached.push(importedBy.get(target)!);
      else pending.push(target);
    }
  }
  t.ok(importedBy.size > 20, `followed ${importedBy.size} files`);
  t.same(reached, [], 'no import chain from harness/scenario ends in harness/platforms');
});

t.test('no platform imports another platform\'s code (what they share lives in harness/platform, harness/shared and harness/server-image)', async (t) => {
  const platformsRoot = path.join(root, 'harness', 'platforms');
  const files = await sourcesIn('harness/platforms');
  t.ok(files.length > 20, `read ${files.length} files`);
  const crossings: string[] = [];
  for (const file of files) {
    const ownPlatform = path.relative(platformsRoot, file).split(path.sep)[0];
    for (const specifier of await importsOf(file)) {
      const target = resolved(file, specifier);
      if (!target.startsWith(platformsRoot + path.sep)) continue;
      if (path.relative(platformsRoot, target).split(path.sep)[0] !== ownPlatform) crossings.push(`${relative(file)}: ${specifier}`);
    }
  }
  t.same(crossings, []);
});

t.test('the report layer imports nothing of the runner (the runner writes results in the report\'s vocabulary)', async (t) => {
  const runnerRoot = path.join(root, 'harness', 'runner');
  const files = await sourcesIn('harness/report');
  t.ok(files.length > 5, `read ${files.length} files`);
  const backwards: string[] = [];
  for (const file of files) {
    for (const specifier of await importsOf(file)) {
      if (resolved(file, specifier).startsWith(runnerRoot + path.sep)) backwards.push(`${relative(file)}: ${specifier}`);
    }
  }
  t.same(backwards, []);
});
