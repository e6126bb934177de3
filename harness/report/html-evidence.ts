// The evidence page of one history: per key, operations on a time axis (one lane per client
// process), fault windows shaded, the first anomaly's operations highlighted, and latency over
// time. One self-contained HTML file (uPlot inlined, no network), of bounded size: a long history
// is embedded as a sample (page-sample.ts), and the page says so.

import type { RunFacts } from '../checkers/run-facts.js';
import { composeValidity, type Verdict } from '../checkers/verdict.js';
import type { Operation } from '../history/operation.js';
import { evidencePageScript } from './html-evidence-script.js';
import { evidencePageStyle } from './html-evidence-style.js';
import { PageSample, pageSampleLimitsDefault, type PageSampleLimits } from './page-sample.js';
import { uplotAssets } from './html-uplot-assets.js';

export interface EvidencePageInput {
  title: string;
  /** Every operation; an iterable, so that they can be made key by key while the page is built. */
  operations: Iterable<Operation>;
  /** The sample `operations` were already chosen by, with its counts of every operation (page-operations.ts). */
  sample?: PageSample | undefined;
  operationCount: number;
  verdicts: readonly Verdict[];
  facts?: RunFacts | undefined;
}

/** Operation as the page reads it: [index, process, f, value, outcome, invokeS, completeS | null, error]. */
type PageOperation = [number, number, string, unknown, string, number, number | null, string | null];

export function renderEvidenceHtml(input: EvidencePageInput, limits: PageSampleLimits = pageSampleLimitsDefault): string {
  const { script, style } = uplotAssets();
  const sample = input.sample ?? new PageSample(input.verdicts, input.operationCount, limits);
  const data = pageData(input, sample);
  const valid = composeValidity(input.verdicts.map((verdict) => verdict.valid));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>raft-chaos evidence: ${escapeHtml(input.title)}</title>
<style>${style}</style>
<style>${evidencePageStyle}</style>
</head><body>
<header><h1>${escapeHtml(input.title)}</h1><p class="overall ${validClass(valid)}">${valid === true ? 'valid' : valid === false ? 'anomaly found' : 'unknown'} &middot; ${input.operationCount} operations</p></header>
<section><h2>Verdicts</h2><table id="verdicts"><tbody>${input.verdicts.map(verdictRow).join('')}</tbody></table></section>
<section id="anomaly-section"></section>${sample.whole ? '' : sampleSection(sample, input.operationCount)}
<section><h2>Operations of <select id="key"></select></h2>
<p class="legend"><span class="swatch ok"></span>ok <span class="swatch fail"></span>fail <span class="swatch info"></span>info (may take effect later: thin line) <span class="swatch anomaly"></span>anomaly <span class="swatch fault"></span>fault window &middot; drag to zoom, double-click to see the whole key</p>
<div id="lanes" class="chart"></div><p id="lanes-note" class="legend"></p></section>
<section><h2>Latency over time (all keys)</h2><div id="latency" class="chart"></div></section>
<script>${script}</script>
<script id="evidence-data" type="application/json">${safeJson(data)}</script>
<script>${evidencePageScript}</script>
</body></html>
`;
}

function pageData(input: EvidencePageInput, sample: PageSample) {
  const operations: Record<string, PageOperation[]> = {};
  const chosen = input.sample !== undefined;
  for (const operation of input.operations) {
    if (chosen || sample.keeps(operation)) (operations[operation.key] ??= []).push([operation.index, operation.process, operation.f, operation.value, operation.outcome, seconds(operation.invokeNs), operation.completeNs === null ? null : seconds(operation.completeNs), operation.error ?? null]);
  }
  const anomaly = input.verdicts.find((verdict) => verdict.valid === false && verdict.check === 'linearizable') ?? input.verdicts.find((verdict) => verdict.valid === false);
  const evidence = anomaly?.evidence ?? {};
  const anomalyOperations = Array.isArray(evidence['operations']) ? (evidence['operations'] as { index: number }[]).map((operation) => operation.index) : [];
  const prefix = evidence['linearizablePrefix'] as { untilNs: number } | null | undefined;
  return {
    operations,
    faults: (input.facts?.faultWindows ?? []).map((window) => ({ name: window.name, start: seconds(window.startNs), end: seconds(window.endNs), targets: window.targets })),
    anomaly: anomaly && { check: anomaly.check, summary: anomaly.summary, key: (evidence['key'] as string | undefined) ?? null, operations: anomalyOperations, prefixUntil: prefix ? seconds(prefix.untilNs) : null },
  };
}

/** Keys listed in the counts table at most; the rest are counted in one line. */
const countedKeysMax = 200;

/** What a sampled page holds and what it left out. */
function sampleSection(sample: PageSample, operationCount: number): string {
  const keys = [...sample.counts.keys()].sort();
  const rows = keys.slice(0, countedKeysMax).map((key) => {
    const counts = sample.counts.get(key)!;
    return `<tr><td>${escapeHtml(key)}</td><td>${counts.ok + counts.fail + counts.info}</td><td>${counts.ok}</td><td>${counts.fail}</td><td>${counts.info}</td></tr>`;
  });
  const more = keys.length > countedKeysMax ? `<p>and ${keys.length - countedKeysMax} more keys</p>` : '';
  const anomalous = [...new Set(sample.windows.map((window) => window.key))];
  const inFull = anomalous.length === 0 ? 'every operation a failing verdict names' : `every operation of ${anomalous.map(escapeHtml).join(', ')} within ${sample.limits.windowMarginNs / 1e6} ms of an operation a failing verdict names`;
  return `<section id="sample"><h2>A sample of a long history</h2>
<p id="sample-note">This history has ${operationCount} operations, more than the ${sample.limits.operationsMax} a page holds in full: the charts show ${sample.kept} of them, ${inFull}, and one operation in ${sample.stride} of the rest. The counts below are over every operation; <code>harness check</code> on the history reads them all.</p>
<table id="sample-counts"><thead><tr><th>key</th><th>operations</th><th>ok</th><th>fail</th><th>info</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}

function verdictRow(verdict: Verdict): string {
  return `<tr class="${validClass(verdict.valid)}"><td>${verdict.valid === true ? 'ok' : verdict.valid === false ? 'FAIL' : 'unknown'}</td><td>${escapeHtml(verdict.check)}</td><td>${escapeHtml(verdict.summary)}</td></tr>`;
}

function validClass(valid: Verdict['valid']): string {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

function seconds(timeNs: number): number {
  return timeNs / 1e9;
}

function safeJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
