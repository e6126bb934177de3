import t from 'tap';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../harness/scenario/scenario-catalog.js';
import { renderScenarioReference, updateReferenceSection } from '../../harness/scenario/scenario-reference.js';
import { scenarioSchema, stepSchemas } from '../../harness/scenario/scenario-schema.js';

t.test('docs/scenarios.md carries the reference generated from the schema', async (t) => {
  const document = await readFile(path.join(packageRoot(), 'docs', 'scenarios.md'), 'utf8');
  t.equal(
    updateReferenceSection(document),
    document,
    'stale: run `npx tsc -p tsconfig.json && node dist/harness/scenario/write-scenario-reference.js`',
  );
});

t.test('the reference names every field and step kind', async (t) => {
  const reference = renderScenarioReference();
  for (const field of Object.keys(scenarioSchema.properties ?? {})) t.match(reference, `\`${field}\``);
  for (const kind of Object.keys(stepSchemas)) t.match(reference, `#### \`${kind}\``);
  t.match(reference, '| `workload.rate` | a positive number | `100` |');
});
