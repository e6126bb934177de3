// The evidence page renders in a real headless Chromium: charts drawn, the anomaly highlighted,
// no console errors, no network requests.

import t from 'tap';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkHistory } from '../../harness/checkers/check-history.js';
import type { RunFacts } from '../../harness/checkers/run-facts.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { renderEvidenceHtml } from '../../harness/report/html-evidence.js';

const chromiumPath = '/usr/bin/chromium';
const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function writePage(directory: string, anomaly: 'none' | 'stale-read'): Promise<{ path: string; summary: string; evidenceCount: number }> {
  const events = generateHistory({ seed: 11, operations: 400, keys: 3, clients: 4, anomaly, infoRate: 0.02 });
  const facts: RunFacts = { faultWindows: [{ name: 'kill-leader-1', fault: 'kill', startNs: 40e6, endNs: 90e6, targets: ['raft-0'] }] };
  const result = await checkHistory(events, facts, { budgetMs: 10_000 });
  const path = join(directory, `${anomaly}.html`);
  writeFileSync(path, renderEvidenceHtml({ title: `${anomaly}.jsonl`, operations: result.operations!, operationCount: result.operationCount, verdicts: result.verdicts, facts }));
  const linearizable = result.verdicts[0]!;
  const evidence = linearizable.evidence?.['operations'];
  return { path, summary: linearizable.summary, evidenceCount: Array.isArray(evidence) ? evidence.length : 0 };
}

t.test('the evidence page renders in headless Chromium', { skip: existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (apt-get install -y chromium)` }, async (t) => {
  const { chromium } = await import('playwright-core');
  const directory = mkdtempSync(join(tmpdir(), 'raft-chaos-html-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs, timeout: 60_000 });
  t.teardown(async () => {
    await browser.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const stale = await writePage(directory, 'stale-read');
  const valid = await writePage(directory, 'none');
  t.ok(stale.evidenceCount > 0, 'the stale history has an anomaly with operations');

  const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(stale.path).href, { timeout: 60_000 });
  t.equal(await page.locator('#lanes canvas').count(), 1, 'operations chart drawn');
  t.equal(await page.locator('#latency canvas').count(), 1, 'latency chart drawn');
  t.equal((await page.locator('#anomaly .summary').textContent())?.trim(), stale.summary, 'the anomaly summary is shown');
  t.equal(await page.locator('#anomaly tbody tr').count(), stale.evidenceCount, 'one row per operation of the evidence');
  const drawn = await page.evaluate(() => (globalThis as unknown as { evidencePage: { highlighted: number; drawnOperations: number; key: string } }).evidencePage);
  t.equal(drawn.highlighted, stale.evidenceCount, 'every evidence operation is outlined on the chart');
  t.ok(drawn.drawnOperations > 0);
  await page.screenshot({ path: join(directory, 'stale-read.png'), fullPage: true });
  const keys = await page.locator('#key option').allTextContents();
  t.equal(keys.length, 3, 'one entry per key');
  const other = (await page.locator('#key option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value))).find((key) => key !== drawn.key)!;
  await page.selectOption('#key', other);
  t.equal(await page.evaluate(() => (globalThis as unknown as { evidencePage: { key: string } }).evidencePage.key), other, 'switching keys redraws');

  await page.goto(pathToFileURL(valid.path).href, { timeout: 60_000 });
  t.equal(await page.locator('#anomaly').count(), 0, 'a valid history has no anomaly box');
  t.equal(await page.locator('#lanes canvas').count(), 1);
  t.same(problems, [], 'no console errors');
  t.same(requests, [], 'no network requests: the page is self-contained');
});
