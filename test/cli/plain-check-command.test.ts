// `harness check <file>` skips the command-line parser when the full parser could read the line
// in only one way; everything else is left to it.

import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { plainCheckCommand } from '../../harness/cli/plain-check-command.js';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';

t.test('plain check lines are recognised with their flags', async (t) => {
  t.same(plainCheckCommand(['check', 'h.jsonl']), { history: 'h.jsonl', flags: {} });
  t.same(plainCheckCommand(['check', 'h.jsonl', '--json', '--budget-ms', '500', '--facts', 'f.json']), { history: 'h.jsonl', flags: { json: true, budgetMs: '500', facts: 'f.json' } });
  t.same(plainCheckCommand(['check', '--html', 'out.html', 'h.jsonl']), { history: 'h.jsonl', flags: { html: 'out.html' } }, '--html takes the next word, as the parser does');
  t.same(plainCheckCommand(['check', 'h.jsonl', '--html']), { history: 'h.jsonl', flags: { html: true } }, '--html alone: next to the history');
  t.same(plainCheckCommand(['check', 'h.jsonl', '--html', '--json']), { history: 'h.jsonl', flags: { html: true, json: true } });
});

t.test('anything else goes to the full parser', async (t) => {
  for (const args of [
    ['run', 'all'],
    ['check'],
    ['check', '--html', 'h.jsonl'],
    ['check', 'a.jsonl', 'b.jsonl'],
    ['check', 'h.jsonl', '--help'],
    ['check', 'h.jsonl', '-h'],
    ['check', 'h.jsonl', '--json', '--json'],
    ['check', 'h.jsonl', '--budget-ms'],
    ['check', 'h.jsonl', '--budget-ms', '-5'],
    ['check', 'h.jsonl', '--budget-ms=5'],
    ['check', 'h.jsonl', '--facts'],
    ['check', 'h.jsonl', '--'],
    ['check', 'h.jsonl', ''],
  ]) {
    t.equal(plainCheckCommand(args), null, args.join(' '));
  }
});

t.test('the entry point loads neither the parser nor scenario code before it knows it needs them', async (t) => {
  const main = await readFile(path.join(packageRoot(), 'dist', 'harness', 'cli', 'main.js'), 'utf8');
  const staticImports = [...main.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]);
  t.same(staticImports.sort(), ['./plain-check-command.js', './run-action.js']);
});
