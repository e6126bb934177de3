// SLOW SUITE — about 3 to 4 minutes on a loaded 2-core machine; it runs real clusters.
//
// The bug zoo, end to end through the real CLI: every bug mode of the reference server, switched
// on in its scenario (test/fixtures/bug-zoo/<bug>.yaml), must make `harness run` exit 1 with a
// failed check that names the anomaly the mode is known for (bug-zoo-twins.test.ts runs the
// correct server on the same files, which must pass them all). This is the proof that the
// checkers can fail: a mode that passes means a checker lost its sensitivity.
// See docs/bug-zoo.md for each mode, its scenario, its anomaly and the measured detection rates.

import path from 'node:path';
import t, { type Test } from 'tap';
import { runHarness } from '../cli/harness-cli.js';
import { median, timeToDetectMs } from '../../harness/report/time-to-detect.js';
import { bugZooMatrix, type BugZooEntry } from './bug-zoo-matrix.js';
import { describeVerdicts, fixtures, modeSeeds, readRun, runTimeoutMs, temporaryDirectory, timelineLines } from './bug-zoo-runs.js';

/** A run's time to detect in ms; undefined: caught without one (no fault, node logs only); 'missed': not caught. */
type Detection = number | undefined | 'missed';

/** Runs the mode's scenario with `seed` and says when it was detected. */
async function expectAnomaly(t: Test, entry: BugZooEntry, seed: number): Promise<Detection> {
  const reports = path.join(await temporaryDirectory(t), 'reports');
  const scenario = path.join(fixtures, `${entry.bug}.yaml`);
  const result = await runHarness(['run', scenario, '--seed', String(seed), '--reports', reports], { timeoutMs: runTimeoutMs });
  const command = `node bin/harness.js run test/fixtures/bug-zoo/${entry.bug}.yaml --seed ${seed}`;
  if (result.exitCode === 0) {
    t.fail(`the checker lost sensitivity to ${entry.bug}: ${command} passed`, { stdout: result.stdout.slice(-3000) });
    return 'missed';
  }
  t.equal(result.exitCode, 1, `${command} exits 1 (a check failed)`, { output: (result.stdout + result.stderr).slice(-3000) });
  const { summary, tap } = await readRun(reports);
  const verdicts = summary.scenarios[0]?.verdicts ?? [];
  const { checks, summary: anomaly } = entry.expected;
  // In the order the entry lists its checks: the history checks first where they apply.
  const caught = checks
    .map((check) => verdicts.find((verdict) => verdict.check === check && verdict.valid === false && anomaly.test(verdict.summary)))
    .find((verdict) => verdict !== undefined);
  if (caught === undefined) {
    t.fail(`the checker lost sensitivity to ${entry.bug}: no failed ${checks.join(' or ')} check whose summary matches ${anomaly}`, { verdicts: describeVerdicts(verdicts) });
    return 'missed';
  }
  t.pass(`${caught.check} failed: ${caught.summary}`);
  const detectedMs = timeToDetectMs({ verdicts, timelineLines: await timelineLines(reports, summary.scenarios[0]!.scenario) });
  t.comment(`time to detect ${entry.bug} (seed ${seed}): ${detectedMs === undefined ? 'n/a (no fault, or only node-log checks failed)' : `${Math.round(detectedMs)} ms from the first fault to the first anomalous operation`}`);
  t.match(tap, new RegExp(`not ok \\d+ - ${caught.check}\\n`), `results.tap has a failed ${caught.check} test point`);
  t.match(tap, new RegExp(`\\bseed: ${seed}\\n`), 'results.tap names the seed that reproduces it');
  return detectedMs;
}

/** One line per mode: the median time-to-detect over its seeds, and each seed's. */
function detectionLine(bug: string, bySeed: ReadonlyMap<number, Detection>): string {
  const measured = [...bySeed.values()].filter((detectedMs): detectedMs is number => typeof detectedMs === 'number');
  const each = [...bySeed].map(([seed, detectedMs]) => `seed ${seed}: ${detectedMs === undefined ? 'n/a' : detectedMs === 'missed' ? 'missed' : Math.round(detectedMs)}`).join(', ');
  const middle = median(measured);
  return `time to detect ${bug}, median over ${measured.length} of ${bySeed.size} seeds: ${middle === undefined ? 'n/a' : `${Math.round(middle)} ms`} (${each})`;
}

t.test('every bug mode fails its scenario with the anomaly it is named after', async (t) => {
  const medians: string[] = [];
  for (const entry of bugZooMatrix) {
    if (entry.notDetectable !== undefined) {
      // Not run: no scenario makes the checkers see this mode; listed as todo so the gap stays visible.
      t.test(`${entry.bug} (${entry.variable})`, { todo: `not detectable from the history: ${entry.notDetectable}` }, async () => undefined);
      continue;
    }
    const unavailable = entry.unavailableHere?.();
    if (unavailable !== undefined) {
      t.test(`${entry.bug} (${entry.variable})`, { skip: `this machine cannot run its scenario: ${unavailable}` }, async () => undefined);
      continue;
    }
    const bySeed = new Map<number, Detection>();
    for (const seed of modeSeeds ?? [entry.seed]) {
      await t.test(`${entry.bug} (${entry.variable}), seed ${seed}`, async (t) => {
        bySeed.set(seed, await expectAnomaly(t, entry, seed));
      });
    }
    medians.push(detectionLine(entry.bug, bySeed));
  }
  for (const line of medians) t.comment(line);
});
