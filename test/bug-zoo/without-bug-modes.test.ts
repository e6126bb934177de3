// The bug-zoo fixtures and their correct-server twins, without running anything: each fixture
// switches on exactly its own bug mode, and the twin keeps everything but the RAFT_BUG_* lines.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';
import { bugZooMatrix } from './bug-zoo-matrix.js';
import { withoutBugModes } from './without-bug-modes.js';

const fixtures = path.join(packageRoot(), 'test', 'fixtures', 'bug-zoo');

t.test('withoutBugModes removes every RAFT_BUG_* variable and keeps the rest', async (t) => {
  const text = ['name: x', 'cluster:', '  replicas: 5', '  env:', '    RAFT_BUG_STALE_READS: "true"', '    RAFT_TICK_MS: "20"', '    RAFT_BUG_NO_FSYNC: "true"', 'timeline: []', ''].join('\n');
  t.same(parse(withoutBugModes(text)), { name: 'x', cluster: { replicas: 5, env: { RAFT_TICK_MS: '20' } }, timeline: [] });
});

t.test('withoutBugModes leaves a scenario without cluster.env unchanged', async (t) => {
  const text = 'name: x\ntimeline: []\n';
  t.equal(withoutBugModes(text), text);
});

for (const entry of bugZooMatrix) {
  t.test(`${entry.bug}.yaml switches on ${entry.variable} and nothing else`, async (t) => {
    const text = await readFile(path.join(fixtures, `${entry.bug}.yaml`), 'utf8');
    const scenario = parse(text) as { name: string; cluster: { env: Record<string, string> } };
    t.equal(scenario.name, entry.bug, 'the scenario is named after its file');
    const bugs = Object.keys(scenario.cluster.env).filter((name) => name.startsWith('RAFT_BUG_'));
    t.same(bugs, [entry.variable]);
    t.equal(scenario.cluster.env[entry.variable], 'true');
    const twin = parse(withoutBugModes(text)) as { cluster: { env: Record<string, string> } };
    t.same(Object.keys(twin.cluster.env).filter((name) => name.startsWith('RAFT_BUG_')), [], 'the twin has no bug mode');
  });
}
