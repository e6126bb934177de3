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
  const facts: RunFacts = {
    faultWindows: [
      { name: 'kill-leader-1', fault: 'kill', startNs: 40e6, endNs: 90e6, targets: ['raft-0'] },
      { name: 'partition-majority-2', fault: 'partition', startNs: 42e6, endNs: 80e6, targets: ['raft-1'] },
      { name: 'slow-links-3', fault: 'slow-links', startNs: 44e6, endNs: 70e6, targets: ['raft-2'] },
    ],
  };
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
  const drawn = await evidencePage(page);
  t.equal(drawn.highlighted, stale.evidenceCount, 'every evidence operation is outlined on the chart');
  t.ok(drawn.drawnOperations > 0);
  await page.screenshot({ path: join(directory, 'stale-read.png'), fullPage: true });
  const labels = (await evidencePage(page)).faultLabels;
  t.equal(labels.length, 3, 'every fault window is labelled');
  t.same(overlappingPairs(labels), [], 'overlapping fault windows get labels that do not overlap');
  const palette = await evidencePage(page);
  for (const outcome of ['ok', 'fail', 'info']) {
    const ratio = contrastRatio(palette.colors[outcome]!, palette.textColors[outcome]!);
    t.ok(ratio >= 4.5, `text on ${outcome} bars is readable: contrast ${ratio.toFixed(1)}:1 (WCAG AA asks 4.5:1)`);
  }
  const keys = await page.locator('#key option').allTextContents();
  t.equal(keys.length, 3, 'one entry per key');
  const other = (await page.locator('#key option').evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''))).find((key) => key !== drawn.key)!;
  await page.selectOption('#key', other);
  t.equal((await evidencePage(page)).key, other, 'switching keys redraws');

  await page.goto(pathToFileURL(valid.path).href, { timeout: 60_000 });
  t.equal(await page.locator('#anomaly').count(), 0, 'a valid history has no anomaly box');
  t.equal(await page.locator('#lanes canvas').count(), 1);
  t.same(problems, [], 'no console errors');
  t.same(requests, [], 'no network requests: the page is self-contained');
});

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlappingPairs(boxes: readonly Box[]): string[] {
  const pairs: string[] = [];
  boxes.forEach((left, index) => {
    for (const right of boxes.slice(index + 1)) {
      const apart = left.x + left.width <= right.x || right.x + right.width <= left.x || left.y + left.height <= right.y || right.y + right.height <= left.y;
      if (!apart) pairs.push(`${left.name} / ${right.name}`);
    }
  });
  return pairs;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrastRatio(first: string, second: string): number {
  const luminance = (hex: string) => {
    const channels = [1, 3, 5].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16) / 255);
    const [red, green, blue] = channels.map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** What the page's script exposes as `window.evidencePage` about what it drew. */
interface EvidencePage {
  highlighted: number;
  drawnOperations: number;
  key: string;
  faultLabels: Box[];
  colors: Record<string, string>;
  textColors: Record<string, string>;
}

function evidencePage(page: { evaluate<T>(expression: string): Promise<T> }): Promise<EvidencePage> {
  return page.evaluate<EvidencePage>('window.evidencePage');
}
