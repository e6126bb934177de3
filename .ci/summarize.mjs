// Reads tap's TAP output and prints the closing "N passed, N failed" line CI looks for.
// Counts top-level test points (one per test file), so a crashed file counts as failed.
import { readFileSync } from 'node:fs';

const [outputFile, statusText] = process.argv.slice(2);
const lines = readFileSync(outputFile, 'utf8').split('\n');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of lines) {
  const match = /^(not ok|ok) \d+ - (.*)$/.exec(line);
  if (!match) continue;
  if (/# SKIP/i.test(match[2])) skipped += 1;
  else if (match[1] === 'ok') passed += 1;
  else failed += 1;
}
const status = Number(statusText);
if (status !== 0 && failed === 0) failed = 1;
if (passed + failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
