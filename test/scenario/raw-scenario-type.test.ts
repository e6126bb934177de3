// The raw scenario's TypeScript type is derived from the schema (json-schema-to-ts FromSchema):
// this file compiles only while the derived type says what the schema says. A field added to or
// removed from the schema changes the type with it; the expectations below fail to compile when
// the derivation degrades (to `any`, or to optional fields where defaults are filled in).

import t from 'tap';
import type { RawScenario } from '../../harness/scenario/to-scenario.js';
import { parseScenario } from '../../harness/scenario/load-scenario.js';
import { scenarioValidators } from '../../harness/scenario/scenario-validators.js';

function fieldsOf(raw: RawScenario) {
  const replicas: number = raw.cluster.replicas;
  const env: Record<string, string> = raw.cluster.env;
  const restartDelay: number | string = raw.cluster.restartDelay;
  const readWeight: number | undefined = raw.workload.mix.read;
  const recoveryLimit: number | string | undefined = raw.checks.recoveryLimit;
  const inAll: boolean = raw.inAll;
  const timeline: Record<string, unknown>[] = raw.timeline;
  // @ts-expect-error the schema has no such field
  void raw.cluster.bogus;
  // @ts-expect-error replicas is a number, not a string
  const wrong: string = raw.cluster.replicas;
  return { replicas, env, restartDelay, readWeight, recoveryLimit, inAll, timeline, wrong };
}

t.test('a validated document has the shape its derived type promises', async (t) => {
  const document: unknown = { name: 'typed', description: 'd', timeline: [{ wait: '1s' }] };
  t.ok(scenarioValidators().scenario(document), 'valid');
  const fields = fieldsOf(document as RawScenario);
  t.match(fields, { replicas: 3, env: {}, restartDelay: '500ms', readWeight: 0.4, inAll: true, timeline: [{ wait: '1s' }] }, 'defaults filled in where the type says they are present');
  t.equal(fields.recoveryLimit, undefined, 'an optional field without default stays absent');
  t.equal(parseScenario('name: typed\ndescription: d\ntimeline:\n  - wait: 1s\n', 'x.yaml').cluster.replicas, 3);
});
