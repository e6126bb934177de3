// Scenario results for the report tests: one passing, one failing, one unknown, one platform error.

import type { ScenarioResult } from '../../harness/report/scenario-result.js';

function base(scenario: string): ScenarioResult {
  return {
    scenario,
    file: `scenarios/${scenario}.yaml`,
    seed: 1234,
    platform: 'local',
    valid: true,
    verdicts: [],
    files: { history: `${scenario}/history.jsonl`, timeline: `${scenario}/timeline.jsonl`, logs: [`${scenario}/logs/raft-0.log`] },
    durationMs: 15_300,
    operations: { ok: 900, fail: 12, info: 3 },
    replayCommand: `npx harness run ${scenario} --seed 1234 --platform local`,
  };
}

export const passed: ScenarioResult = {
  ...base('baseline'),
  verdicts: [
    { check: 'linearizable', valid: true, summary: 'linearizable over 4 keys' },
    { check: 'no-lost-writes', valid: true, summary: 'every acknowledged write was read back' },
  ],
};

export const failed: ScenarioResult = {
  ...base('kill-leader'),
  valid: false,
  verdicts: [
    {
      check: 'linearizable',
      valid: false,
      summary: 'stale read of k3: read v7 after v9 was acknowledged',
      evidence: { key: 'k3', read: { process: 4, value: 'v7', time: 1843120055 }, acknowledged: { process: 2, value: 'v9' } },
    },
    { check: 'no-lost-writes', valid: true, summary: 'every acknowledged write was read back' },
  ],
};

export const unknown: ScenarioResult = {
  ...base('pause-leader'),
  valid: 'unknown',
  verdicts: [
    { check: 'linearizable', valid: true, summary: 'linearizable over 4 keys' },
    { check: 'ops-around-faults', valid: 'unknown', summary: 'only 2 operations completed after pause-1 (5 needed)', evidence: { fault: 'pause-1', after: 2 } },
  ],
};

export const broken: ScenarioResult = {
  ...base('isolate-leader'),
  valid: 'unknown',
  verdicts: [],
  error: { message: 'could not restore links of raft-1: proxy gone', nextStep: 'run `npx harness clean --platform local`', exitCode: 3 },
  files: { logs: [] },
};
