import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

const heavy = /platforms\/|dockerode|@kubernetes|execa/;

/** Every module reachable through static imports from a compiled entry point. */
async function staticImportGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let guard = 0; pending.length > 0 && guard < 2000; guard += 1) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.startsWith('/')) continue;
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const specifier = match[1] ?? match[2];
      pending.push(specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier);
    }
  }
  return seen;
}

t.test('the CLI entry and the check command load no platform code at module top level', async (t) => {
  const cli = path.join(packageRoot(), 'dist', 'harness', 'cli');
  for (const entry of [path.join(cli, 'main.js'), path.join(cli, 'program.js'), path.join(cli, 'check-command.js'), path.join(cli, 'list-command.js')]) {
    const graph = await staticImportGraph(entry);
    t.ok(graph.size > 1, `${entry}: the graph was read`);
    t.same([...graph].filter((module) => heavy.test(module)), [], `${path.basename(entry)} imports no platform, docker or Kubernetes module statically`);
  }
  const run = await staticImportGraph(path.join(cli, 'run-command.js'));
  t.same([...run].filter((module) => heavy.test(module)), [], 'even run loads its platform only on demand');
});

t.test('`harness check` loads neither commander nor scenario code: its one parser is node:util parseArgs', async (t) => {
  const cli = path.join(packageRoot(), 'dist', 'harness', 'cli');
  const main = await readFile(path.join(cli, 'main.js'), 'utf8');
  const mainImports = [...main.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]);
  t.same(mainImports.sort(), ['./run-action.js'], 'main.js imports only the action runner before it knows the command');
  const check = [...(await staticImportGraph(path.join(cli, 'check-command.js')))];
  t.same(check.filter((module) => /commander|\/scenario\/|\/runner\/|\/platform/.test(module)), [], 'check-command.js imports no parser library, scenario, runner or platform module');
  t.ok(check.includes('node:util'), 'its arguments are read by node:util parseArgs');
});

t.test('the checkers hold no command-line code: no argv, exit status or standard output', async (t) => {
  const checkers = path.join(packageRoot(), 'harness', 'checkers');
  const { readdir } = await import('node:fs/promises');
  for (const name of (await readdir(checkers)).filter((file) => file.endsWith('.ts'))) {
    const source = await readFile(path.join(checkers, name), 'utf8');
    t.notMatch(source, /process\.(argv|exit|exitCode|stdout|stderr)/, `${name} is a pure checker`);
  }
});
