import t from 'tap';
import { checkFinalConfiguration } from '../../harness/checkers/final-configuration-checker.js';
import type { FinalConfiguration } from '../../harness/checkers/run-facts.js';
import { configurationViews } from '../../harness/runner/probe-final-configuration.js';

const three = ['raft-0', 'raft-1', 'raft-2'];
const agreeing = (nodes: string[]): FinalConfiguration['views'] => Object.fromEntries(nodes.map((node) => [node, { voters: [...nodes].reverse(), learners: [] }]));

t.test('no final configuration recorded (a plan without membership faults): no verdict', async (t) => {
  t.equal(checkFinalConfiguration({}), undefined);
});

t.test('every node holds the expected voters: valid', async (t) => {
  const verdict = checkFinalConfiguration({ finalConfiguration: { expectedVoters: three, expectedSize: 3, views: agreeing(three) } });
  t.equal(verdict?.valid, true);
  t.match(verdict?.summary, /every node \(raft-0, raft-1, raft-2\) holds the configuration the scenario asked for: 3 voters/);
});

t.test('a node with another configuration, or a learner left over: invalid, naming the node', async (t) => {
  const views = { ...agreeing(three), 'raft-1': { voters: ['raft-0', 'raft-1', 'raft-2', 'raft-3'], learners: [] } };
  const verdict = checkFinalConfiguration({ finalConfiguration: { expectedVoters: three, expectedSize: 3, views } });
  t.equal(verdict?.valid, false);
  t.match(verdict?.summary, /raft-1 has voters raft-0, raft-1, raft-2, raft-3/);
  const learner = { ...agreeing(three), 'raft-2': { voters: three, learners: ['raft-3'] } };
  t.match(checkFinalConfiguration({ finalConfiguration: { expectedVoters: three, expectedSize: 3, views: learner } })?.summary, /raft-2 still has learners raft-3/);
});

t.test('the wrong size: invalid even when every node agrees', async (t) => {
  const four = [...three, 'raft-3'];
  const verdict = checkFinalConfiguration({ finalConfiguration: { expectedVoters: four, expectedSize: 3, views: agreeing(four) } });
  t.equal(verdict?.valid, false);
  t.match(verdict?.summary, /ended with 4 nodes \(raft-0, raft-1, raft-2, raft-3\), not the 3 the scenario asked for/);
});

t.test('a silent node makes agreement unproven; malformed facts give unknown, not a crash', async (t) => {
  const views = { ...agreeing(three), 'raft-2': null };
  t.equal(checkFinalConfiguration({ finalConfiguration: { expectedVoters: three, expectedSize: 3, views } })?.valid, 'unknown');
  const malformed = { expectedVoters: 'raft-0', expectedSize: 3, views: {} } as unknown as FinalConfiguration;
  t.match(checkFinalConfiguration({ finalConfiguration: malformed }), { valid: 'unknown', summary: /malformed/ });
});

t.test('configurationViews reads voters and learners from status answers', async (t) => {
  const status = { role: 'follower' as const, term: 2, leader: 'raft-0', commitIndex: 5, lastApplied: 5, lastLogIndex: 5 };
  const views = configurationViews({
    takenAtMs: 0,
    answers: [
      { node: 'raft-0', answered: true, status: { ...status, node: 'raft-0', members: [{ id: 'raft-0', address: null, role: 'voter' }, { id: 'raft-3', address: null, role: 'learner' }] } },
      { node: 'raft-1', answered: false, error: 'timeout' },
    ],
  });
  t.same(views, { 'raft-0': { voters: ['raft-0'], learners: ['raft-3'] }, 'raft-1': null });
});
