import t from 'tap';
import { Parser, type Result } from 'tap-parser';
import { formatTap } from '../../harness/report/tap-report.js';
import { broken, failed, passed, unknown } from './scenario-results.js';

interface ParsedTap {
  complete: { ok: boolean; count: number; pass: number; fail: number; todo: number };
  points: Result[];
  children: Map<string, Result[]>;
}

function parseTap(text: string): ParsedTap {
  const points: Result[] = [];
  const children = new Map<string, Result[]>();
  let complete: ParsedTap['complete'] | undefined;
  const parser = new Parser((results) => {
    complete = results;
  });
  parser.on('assert', (point: Result) => points.push(point));
  parser.on('child', (child: Parser) => {
    const childPoints: Result[] = [];
    child.on('assert', (point: Result) => childPoints.push(point));
    child.on('complete', () => children.set(child.name, childPoints));
  });
  parser.end(text);
  if (complete === undefined) throw new Error('the TAP never completed');
  return { complete, points, children };
}

t.test('results.tap is TAP 14 with one test point per scenario and each check a subtest', async (t) => {
  const text = formatTap([passed, failed, unknown, broken]);
  t.match(text, /^TAP version 14\n1\.\.4\n/);
  const parsed = parseTap(text);
  t.same(parsed.points.map((point) => [point.name, point.ok]), [
    ['baseline', true],
    ['kill-leader', false],
    ['pause-leader', false],
    ['isolate-leader', false],
  ]);
  t.equal(parsed.complete.count, 4);
  t.same(parsed.children.get('baseline')?.map((point) => point.name), ['linearizable', 'no-lost-writes']);
});

t.test('a failed check carries a YAML block: check, anomaly, evidence, seed and the exact replay command', async (t) => {
  const parsed = parseTap(formatTap([failed]));
  const [linearizable, lostWrites] = parsed.children.get('kill-leader') ?? [];
  t.equal(linearizable.ok, false);
  t.match(linearizable.diag, {
    check: 'linearizable',
    anomaly: 'stale read of k3: read v7 after v9 was acknowledged',
    evidence: { key: 'k3', read: { value: 'v7' } },
    seed: 1234,
    replay: 'npx harness run kill-leader --seed 1234 --platform local',
    history: 'kill-leader/history.jsonl',
  });
  t.equal(lostWrites.ok, true);
  t.equal(lostWrites.diag, null, 'a passing check has no YAML block');
  t.match(parsed.points[0].diag, { failed: ['linearizable'], seed: 1234, replay: failed.replayCommand });
});

t.test('an unknown verdict is `not ok … # TODO unknown`, in the check and the scenario', async (t) => {
  const text = formatTap([unknown]);
  t.match(text, /\n    not ok 2 - ops-around-faults # TODO unknown\n/);
  t.match(text, /\nnot ok 1 - pause-leader # TODO unknown\n/);
  const parsed = parseTap(text);
  t.equal(parsed.points[0].todo, 'unknown');
  const check = parsed.children.get('pause-leader')?.[1];
  t.equal(check?.todo, 'unknown');
  t.match(check?.diag, { check: 'ops-around-faults', anomaly: /only 2 operations/ });
  t.equal(parsed.complete.ok, true, 'TODO points do not fail the TAP stream');
});

t.test('a run that could not complete is a failing `run` point naming the error and the next step', async (t) => {
  const parsed = parseTap(formatTap([broken]));
  const [run] = parsed.children.get('isolate-leader') ?? [];
  t.equal(run.name, 'run');
  t.equal(run.ok, false);
  t.match(run.diag, { error: /could not restore links/, next: /harness clean/, exitCode: 3, seed: 1234 });
  t.match(parsed.points[0].diag, { error: 'could not restore links of raft-1: proxy gone', replay: broken.replayCommand });
  t.notOk('failed' in parsed.points[0].diag, 'no empty list of failed checks');
});

t.test('descriptions that hold # are escaped so they are not read as directives', async (t) => {
  const odd = { ...passed, scenario: 'odd # name', verdicts: [{ check: 'x # TODO', valid: true as const, summary: '' }] };
  const parsed = parseTap(formatTap([odd]));
  t.equal(parsed.points[0].name, 'odd # name');
  t.equal(parsed.points[0].todo, false);
});

t.test('a scenario `run all` could not run here is a skipped point with its reason, after the ones that ran', async (t) => {
  const reason = 'needs powerLoss, which the docker platform lacks here: run as #root';
  const text = formatTap([passed], [{ scenario: 'power-loss', file: 'scenarios/power-loss.yaml', reason }]);
  t.match(text, /^TAP version 14\n1\.\.2\n/);
  const parsed = parseTap(text);
  t.same(parsed.points.map((point) => [point.name, point.ok, point.skip]), [
    ['baseline', true, false],
    ['power-loss', true, reason],
  ]);
  t.equal(parsed.complete.ok, true, 'a skipped scenario does not fail the TAP');
});
