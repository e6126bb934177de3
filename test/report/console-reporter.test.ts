import t from 'tap';
import { ConsoleReporter } from '../../harness/report/console-reporter.js';
import { terminalStyle, type OutputStream } from '../../harness/report/terminal-style.js';
import type { Plan } from '../../harness/scenario/plan.js';
import { failed, passed, unknown } from './scenario-results.js';

class CapturedStream implements OutputStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

const plan = { name: 'kill-leader', file: 'scenarios/kill-leader.yaml', cluster: { replicas: 3 } } as Plan;

t.test('colours are off for NO_COLOR and for a stream that is not a terminal', async (t) => {
  t.equal(terminalStyle(new CapturedStream(true), { NO_COLOR: '1' }).level, 0);
  t.equal(terminalStyle(new CapturedStream(false), {}).level, 0);
  t.ok(terminalStyle(new CapturedStream(true), { FORCE_COLOR: '1' }).level > 0);
  t.ok(terminalStyle(new CapturedStream(false), { FORCE_COLOR: '1' }).level > 0);
});

t.test('plain output: one line per step with its time, a table, and what to do next', async (t) => {
  const stream = new CapturedStream(false);
  let nowMs = 1000;
  const reporter = new ConsoleReporter(stream, terminalStyle(stream, {}), () => nowMs);
  const unsupported = [{ scenario: 'power-loss', file: 'scenarios/power-loss.yaml', reason: 'needs powerLoss, which the local platform lacks here: run as root' }];
  reporter.runStarted({ runId: 'r1', platform: 'local', seed: 1234, reportDir: '/tmp/reports/r1', scenarios: 3, unsupported });
  reporter.scenarioStarted(plan, 1, 3);
  nowMs += 2500;
  reporter.progress('fault kill-1: kill leader raft-1');
  reporter.scenarioFinished(failed);
  reporter.runFinished([passed, failed, unknown], '/tmp/reports/r1', 1, ['slow-links'], unsupported);
  const lines = stream.text.split('\n');
  t.notMatch(stream.text, /\x1b\[/, 'no escape sequences');
  t.ok(lines.includes('     2.5s fault kill-1: kill leader raft-1'), 'step line stamped with the time since the scenario began');
  t.ok(lines.some((line) => /^scenario\s+linearizable\s+no-lost-writes\s+ops-around-faults\s+result/.test(line)), 'table header');
  t.ok(lines.some((line) => /^kill-leader\s+FAIL\s+ok\s+-\s+FAILED\s+900\/12\/3\s+15\.3s$/.test(line)), 'failing row');
  t.ok(lines.some((line) => /^pause-leader\s+ok\s+-\s+unknown\s+unknown/.test(line)), 'unknown row');
  t.ok(lines.includes('  replay:   npx harness run kill-leader --seed 1234 --platform local'));
  t.ok(lines.includes('  re-check: npx harness check /tmp/reports/r1/kill-leader/history.jsonl'));
  t.ok(lines.includes('not run (interrupted): slow-links'));
  t.ok(lines.includes('  skipping power-loss: needs powerLoss, which the local platform lacks here: run as root'), 'the skip and its reason up front');
  t.ok(lines.includes('not run on this platform here: power-loss (reasons above and in results.tap)'));
  t.ok(lines.includes('report: /tmp/reports/r1/results.tap and summary.json (see docs/reports.md)'));
  t.match(stream.text, /a check failed: the system under test misbehaved \(exit 1\)/);
  t.match(stream.text, /✗ linearizable: stale read of k3/);
});

t.test('on a terminal a live line is redrawn during waits and cleared before each permanent line', async (t) => {
  const stream = new CapturedStream(true);
  const reporter = new ConsoleReporter(stream, terminalStyle(stream, { NO_COLOR: '1' }));
  reporter.scenarioStarted(plan, 1, 1);
  reporter.progress('wait 2s');
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('no live line drawn within 10 s')), 10_000);
    const poll = setInterval(() => {
      if (stream.text.includes('\r\x1b[2K')) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve();
      }
    }, 20);
  });
  t.match(stream.text, /\r\x1b\[2K\s+[\d.]+m?s kill-leader · wait 2s/);
  reporter.scenarioFinished(passed);
  t.match(stream.text, /\r\x1b\[2K {2}passed in 15\.3s\n$/, 'the live line is erased before the result');
});
