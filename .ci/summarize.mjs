// Reads tap's TAP output and prints the closing "N passed, N failed" line CI looks for.
// Counts top-level test points (one per test file), so a crashed file counts as failed.
// Before that line it lists every failed assertion with the subtests around it and the first
// lines of its diagnostics, so a CI log cut to its tail still says what failed and where.
import { readFileSync } from 'node:fs';

const MAX_DIAGNOSTIC_LINES = 24;
const MAX_FAILURES_SHOWN = 20;

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

const failures = failedAssertions(lines);
if (failures.length > 0) {
  console.log('');
  console.log(`# failed assertions (${failures.length}):`);
  for (const failure of failures.slice(0, MAX_FAILURES_SHOWN)) {
    console.log(`# ${failure.path.join(' > ')}`);
    for (const diagnostic of failure.diagnostics) console.log(`#     ${diagnostic}`);
  }
  if (failures.length > MAX_FAILURES_SHOWN) console.log(`# … and ${failures.length - MAX_FAILURES_SHOWN} more`);
  console.log('# rerun one file with: npx tsc -p tsconfig.json && npx tap <file>');
}

const status = Number(statusText);
if (status !== 0 && failed === 0) failed = 1;
if (passed + failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

/**
 * The innermost failed test points: a "not ok" whose own subtests all passed (or that has none),
 * each with the names of the subtests that enclose it (outermost first) and its YAML diagnostics.
 */
function failedAssertions(allLines) {
  const subtestNames = []; // by depth: the name of the subtest open at each indentation level
  const found = [];
  let failedChildAtDepth = new Set();
  for (let index = 0; index < allLines.length; index += 1) {
    const line = allLines[index];
    const subtest = /^((?: {4})*)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      subtestNames[subtest[1].length / 4] = subtest[2];
      continue;
    }
    const point = /^((?: {4})*)not ok \d+ - (.*)$/.exec(line);
    if (!point) continue;
    const depth = point[1].length / 4;
    const name = point[2].replace(/ # time=.*$/, '');
    const innermost = !failedChildAtDepth.has(depth + 1);
    failedChildAtDepth = new Set([...failedChildAtDepth].filter((d) => d <= depth));
    failedChildAtDepth.add(depth);
    if (!innermost) continue;
    const path = [...subtestNames.slice(0, depth).filter((n) => n !== undefined), name];
    found.push({ path, diagnostics: diagnosticsAfter(allLines, index, point[1]) });
  }
  return found;
}

/**
 * The YAML block ("  ---" … "  ...") that follows a test point, without its stack trace and call
 * site (the source excerpt names the line), cut to its first lines.
 */
function diagnosticsAfter(allLines, index, indent) {
  if (allLines[index + 1] !== `${indent}  ---`) return [];
  const block = [];
  let skippingKey = false;
  for (let next = index + 2; next < allLines.length; next += 1) {
    const line = allLines[next].slice(indent.length + 2);
    if (allLines[next] === `${indent}  ...`) break;
    const key = /^([A-Za-z]+):/.exec(line);
    if (key) skippingKey = key[1] === 'at' || key[1] === 'stack';
    if (!skippingKey) block.push(line);
  }
  if (block.length <= MAX_DIAGNOSTIC_LINES) return block;
  return [...block.slice(0, MAX_DIAGNOSTIC_LINES), `… (${block.length - MAX_DIAGNOSTIC_LINES} more lines)`];
}
