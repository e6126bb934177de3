// `node dist/harness/scenario/write-scenario-reference.js`: regenerates the field reference in
// docs/scenarios.md from the schema.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from './scenario-catalog.js';
import { updateReferenceSection } from './scenario-reference.js';

const file = path.join(packageRoot(), 'docs', 'scenarios.md');
await writeFile(file, updateReferenceSection(await readFile(file, 'utf8')), 'utf8');
process.stdout.write(`updated ${file}\n`);
