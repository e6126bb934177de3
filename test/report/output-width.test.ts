// Output fits the terminal: the results table turns compact and `harness list` wraps its
// descriptions under themselves when the full lines are wider than the output.

import t from 'tap';
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import { formatResultsTable } from '../../harness/report/results-table.js';
import { outputWidth, wrapHanging } from '../../harness/report/output-width.js';
import type { ScenarioResult } from '../../harness/report/scenario-result.js';
import { failed, passed } from './scenario-results.js';
import { runHarness } from '../cli/harness-cli.js';

const plain = new Chalk({ level: 0 });
const manyChecks = ['healthy-after-heal', 'linearizable', 'no-phantom-values', 'no-lost-writes', 'traffic-around-faults', 'fault-took-effect', 'recovery-time', 'availability', 'one-leader-per-term', 'leader-commit-rule'];
const wide = (result: ScenarioResult, failing: string[]): ScenarioResult => ({
  ...result,
  scenario: `${result.scenario}-with-a-long-name`,
  verdicts: manyChecks.map((check) => ({ check, valid: failing.includes(check) ? false : true, summary: check })),
});

t.test('the full table when it fits, the compact one at 80 columns with the failing checks named', async (t) => {
  const results = [wide(passed, []), wide(failed, ['linearizable', 'fault-took-effect'])];
  const full = formatResultsTable(results, plain);
  t.ok(Math.max(...full.split('\n').map((line) => line.length)) > 200, 'unlimited: one column per check');
  const compact = formatResultsTable(results, plain, 80).split('\n');
  for (const line of compact) t.ok(line.length <= 80, `fits 80 columns: "${line}"`);
  t.match(compact[0], /^scenario\s+result\s+ok\/fail\/info\s+time(\s+checks)?$/);
  const text = compact.join(' ').replace(/\s+/g, ' ');
  t.match(text, /kill-leader-with-a-long-name FAILED 900\/12\/3 15\.3s FAIL linearizable, fault-took-effect; 8 ok/);
  t.match(text, /baseline-with-a-long-name passed 900\/12\/3 15\.3s 10 ok/);
  const narrow = formatResultsTable(results, plain, 60).split('\n');
  for (const line of narrow) t.ok(line.length <= 60, `fits 60 columns: "${line}"`);
  t.match(narrow.join(' ').replace(/\s+/g, ' '), /FAIL linearizable, fault-took-effect; 8 ok/);
  t.equal(formatResultsTable([passed], plain, 80), formatResultsTable([passed], plain), 'a table that fits is unchanged');
});

t.test('wrapping keeps a hanging indent; the width comes from the terminal or $COLUMNS', async (t) => {
  const wrapped = wrapHanging('one two three four five six seven eight nine ten eleven twelve thirteen', 10, 40).split('\n');
  t.ok(wrapped.length > 1);
  for (const line of wrapped.slice(1)) t.match(line, /^ {10}\S/);
  for (const line of wrapped) t.ok(stringWidth(line) + 10 <= 40 + 10);
  t.equal(wrapHanging('unchanged text', 10, undefined), 'unchanged text');
  t.equal(outputWidth({ isTTY: true, columns: 91 }, {}), 91);
  t.equal(outputWidth({ isTTY: false }, { COLUMNS: '80' }), 80);
  t.equal(outputWidth({ isTTY: false }, {}), undefined, 'a pipe or a log keeps whole lines');
});

t.test('harness list at 80 columns: no line wider than 80, descriptions indented under themselves', async (t) => {
  const listed = await runHarness(['list'], { env: { COLUMNS: '80' } });
  t.equal(listed.exitCode, 0);
  const lines = listed.stdout.trimEnd().split('\n');
  for (const line of lines) t.ok(line.length <= 80, `fits: "${line}"`);
  const indent = /^(\S+\s+)/.exec(lines[0]!)![1]!.length;
  t.ok(lines.some((line) => line.startsWith(' '.repeat(indent)) && line[indent] !== ' '), 'continuation lines start under the description');
});
