// The evidence page of a long history holds a bounded sample: its size does not grow with the
// history, the anomaly's operations and their window stay in full, and the page says so.

import t from 'tap';
import { checkHistory } from '../../harness/checkers/check-history.js';
import { generateHistory } from '../../harness/history/generate-history.js';
import { renderEvidenceHtml } from '../../harness/report/html-evidence.js';
import type { PageSampleLimits } from '../../harness/report/page-sample.js';

const limits: PageSampleLimits = { operationsMax: 2_000, windowMarginNs: 20e6 };

type PageOperation = [number, number, string, unknown, string, number, number | null, string | null];
interface PageData {
  operations: Record<string, PageOperation[]>;
  anomaly: { key: string; operations: number[] } | undefined;
}

async function page(operations: number, anomaly: 'none' | 'stale-read') {
  const events = generateHistory({ seed: 5, operations, keys: 10, clients: 8, anomaly, infoRate: 0.01 });
  const result = await checkHistory(events, undefined, { budgetMs: 20_000 });
  const html = renderEvidenceHtml({ title: 'h', operations: result.operations!, operationCount: result.operationCount, verdicts: result.verdicts }, limits);
  const data = JSON.parse(/<script id="evidence-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as PageData;
  return { html, data, result };
}

const embedded = (data: PageData) => Object.values(data.operations).reduce((sum, operations) => sum + operations.length, 0);

t.test('a short history: every operation, no sample note', async (t) => {
  const { html, data } = await page(1_500, 'stale-read');
  t.equal(embedded(data), 1_500);
  t.notMatch(html, /id="sample-note"/);
});

t.test('long histories: the page does not grow with the history, and says it is a sample', async (t) => {
  const short = await page(10_000, 'none');
  const long = await page(40_000, 'none');
  t.ok(embedded(short.data) <= limits.operationsMax && embedded(long.data) <= limits.operationsMax, `at most ${limits.operationsMax} operations embedded (${embedded(short.data)}, ${embedded(long.data)})`);
  t.ok(long.html.length < short.html.length * 1.2, `4x the operations, about the same page: ${short.html.length} and ${long.html.length} bytes`);
  t.match(long.html, /This history has 40000 operations, more than the 2000 a page holds in full/);
  t.match(long.html, /<table id="sample-counts">/);
  const counted = [...long.html.matchAll(/<tr><td>k\d+<\/td><td>(\d+)<\/td>/g)].reduce((sum, match) => sum + Number(match[1]), 0);
  t.equal(counted, 40_000, 'the per-key counts cover every operation');
});

t.test('a long history with an anomaly: its operations and their window are embedded in full', async (t) => {
  const { html, data, result } = await page(40_000, 'stale-read');
  t.ok(data.anomaly !== undefined && data.anomaly.operations.length > 0, 'an anomaly with evidence');
  const { key, operations: evidence } = data.anomaly!;
  const onPage = new Set(data.operations[key]!.map((operation) => operation[0]));
  t.same(evidence.filter((index) => !onPage.has(index)), [], 'every evidence operation is on the page');
  const evidenceOperations = [...result.operations!].filter((operation) => evidence.includes(operation.index));
  const nearby = [...result.operations!].filter((operation) => operation.key === key && evidenceOperations.some((named) => operation.invokeNs <= (named.completeNs ?? named.invokeNs) + limits.windowMarginNs && (operation.completeNs ?? Infinity) >= named.invokeNs - limits.windowMarginNs));
  t.ok(nearby.length > evidence.length, 'the window holds more than the evidence');
  t.same(nearby.filter((operation) => !onPage.has(operation.index)).map((operation) => operation.index), [], `every operation of ${key} in the window is on the page`);
  t.match(html, new RegExp(`every operation of ${key} within 20 ms of an operation a failing verdict names`));
});
