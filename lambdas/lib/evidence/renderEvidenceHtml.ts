import type { StageEvidence } from './StageEvidence';

/*
 * Every value that came from data (record values, keys, rule messages, spec strings) goes through
 * `text()` or `json()`, which escape it: a `<script>` in a record renders as text. The fragment has
 * no script, no inline event handler and no style attribute, so a strict page CSP can embed it.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element body or a double-quoted attribute. */
const text = (value: string | number): string => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** A JSON value shown as escaped, compact JSON; `—` when absent. */
const json = (value: unknown): string => (value === undefined ? '—' : text(JSON.stringify(value) ?? String(value)));
const verdict = (passed: boolean): string => (passed ? '<strong class="pass">passed</strong>' : '<strong class="fail">FAILED</strong>');

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${text(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function section(id: string, title: string, passed: boolean | undefined, body: string): string {
  return `<section id="evidence-${id}"><h3>${text(title)}${passed === undefined ? '' : ` — ${verdict(passed)}`}</h3>${body}</section>`;
}

function countsSection(e: StageEvidence): string {
  const c = e.counts;
  const rows = [[`${c.read}`, `${c.malformed}`, `${c.produced}`, `${c.written}`, `${c.created}`, `${c.unchanged}`, `${c.skippedNewer + c.skippedChanged}`]];
  const ratio = e.changeRatio;
  const percent = ratio.changePercent === null ? 'no ratio (nothing produced)' : `${text(ratio.changePercent)}%`;
  const band = ratio.band === undefined ? 'no band set' : `expected ${text(ratio.band.min)}–${text(ratio.band.max)}%`;
  return section('counts', 'Counts and change ratio', ratio.passed,
    table(['read', 'malformed', 'produced', 'written', 'created', 'unchanged', 'skipped'], rows) +
    `<p>Changed ${percent} of the items produced (${text(ratio.written)} of ${text(ratio.produced)}), ${band}.</p>` +
    (e.failedBatches === undefined ? '' : `<p class="fail">${text(e.failedBatches.length)} batch(es) failed and are not counted: ${e.failedBatches.map((b) => `${text(b.batchId)} (${text(b.error)})`).join('; ')}.</p>`) +
    (ratio.message === undefined ? '' : `<p class="fail">${text(ratio.message)}</p>`));
}

function selectionText(selection: StageEvidence['determinism']['selection']): string {
  if (selection === undefined) return '';
  return selection.rule === 'every-batch' ? ` (every batch of the stage)` : ` (the first and the last of the wave's ${text(selection.of)} batches)`;
}

function determinismSection(e: StageEvidence): string {
  const d = e.determinism;
  const rows = d.mismatches.map((m) => [text(m.batchId), text(m.expected), text(m.got)]);
  return section('determinism', 'Determinism re-check', d.passed,
    `<p>${text(d.checkedBatches.length)} batch(es) transformed a second time${selectionText(d.selection)}; ${text(d.mismatches.length)} gave a different output hash.` +
    `${d.unrecordedBatches > 0 ? ` ${text(d.unrecordedBatches)} batch(es) had no recorded hash.` : ''}</p>` +
    (rows.length > 0 ? table(['batch', 'recorded hash', 'hash now'], rows) : ''));
}

function rulesSection(e: StageEvidence): string {
  const r = e.rules;
  if (r.rules.length === 0) return section('rules', 'Transform rules', r.passed, `<p>${text(r.transform)} declares no rules.</p>`);
  const rows = r.rules.map((rule) => [
    text(rule.name), text(rule.description), text(rule.checked), text(rule.violations),
    rule.samples.map((s) => `${json(s.key)}: ${text(s.message)}`).join('<br>'),
  ]);
  return section('rules', `Transform rules (${r.transform})`, r.passed, table(['rule', 'what it checks', 'checked', 'violations', 'samples'], rows));
}

function diffSection(e: StageEvidence): string {
  const d = e.diff;
  const rows = d.attributes.map((a) => [
    text(a.attribute), text(a.items), text(`${a.added} / ${a.removed} / ${a.changed}`),
    a.shift === undefined ? '—' : `Σ ${json(a.shift.before)} → ${json(a.shift.after)}`,
    a.samples.map((s) => `${json(s.key)}: ${json(s.before)} → ${json(s.after)}`).join('<br>'),
  ]);
  return section('diff', 'Per-attribute diff (before → after)', undefined,
    `<p>${text(d.items)} items: ${text(d.created)} new, ${text(d.updated)} existing (${text(d.unchanged)} of them unchanged).</p>` +
    (rows.length > 0 ? table(['attribute', 'items changed', 'added / removed / changed', 'sum shift', 'samples'], rows) : ''));
}

function goldenSection(e: StageEvidence): string {
  const g = e.golden;
  if (g === undefined) return '';
  const rows = [
    ...g.mismatches.map((m) => [json(m.key), text(m.line), m.changes.map((c) => `${text(c.path)}: ${json(c.before)} → ${json(c.after)}`).join('<br>')]),
    ...g.missingKeys.map((m) => [json(m.key), text(m.line), 'not produced by this stage']),
  ];
  return section('golden', 'Golden data', g.passed,
    `<p>${text(g.uri)}: ${text(g.golden)} golden items, ${text(g.matched)} matched, ${text(g.mismatched)} differ, ${text(g.missing)} not produced by this stage (other stages may).</p>` +
    (rows.length > 0 ? table(['key', 'golden line', 'golden → produced'], rows) : ''));
}

/** Which of the stage's batches the time was measured from, in words ('' for evidence written before it was said). */
function timeBasisOf(time: { readonly basis?: string; readonly basisBatches?: number }): string {
  if (time.basis === 'warm-batch-median') return ` (the median of ${text(time.basisBatches ?? 0)} warm batch(es), those started after the first call ended)`;
  if (time.basis === 'stage-span') return ` (the stage's wall span over ${text(time.basisBatches ?? 0)} batch(es), all first calls)`;
  return '';
}

function forecastSection(e: StageEvidence): string {
  const f = e.forecast;
  const m = e.measured;
  const measured = `<p>This stage: ${text(m.batches)} batch(es), ${text(m.records)} records in ${text((m.elapsedMs / 1000).toFixed(1))} s.</p>`;
  if (f.status === 'cannot-forecast') return section('forecast', 'Forecast for the rest of the run', undefined, `${measured}<p>No forecast: ${text(f.reason)}.</p>`);
  const rows = f.lines.map((l) => [text(`${l.service} ${l.description}`), text(`${l.quantity} ${l.unit}`), text(`$${l.usd.toFixed(6)}`)]);
  return section('forecast', 'Forecast for the rest of the run', undefined,
    `${measured}<p>Remaining: ${text(f.remaining.batches)} batch(es), ${text(f.remaining.records)} records; about ${text(f.time.seconds)} s ` +
    `at ${text(f.time.recordsPerSecond)} records/s${timeBasisOf(f.time)}; about <strong>$${text(f.totalUsd.toFixed(4))}</strong> ` +
    `(list prices ${text(f.prices.region)}, checked ${text(f.prices.checked)}).</p>` +
    table(['item', 'quantity', 'cost'], rows) + `<p>Not counted: ${f.notCounted.map(text).join('; ')}.</p>`);
}

/**
 * A stage's evidence as an HTML fragment (a `<div>`, no `<html>`, no script) for the approval page
 * and the evidence object next to the JSON. Every data value is escaped.
 *
 * @example
 *   const fragment = renderEvidenceHtml(evidence);
 *   // '<div class="stage-evidence" id="evidence-canary"><h2>Stage canary — passed</h2>…</div>'
 */
export function renderEvidenceHtml(evidence: StageEvidence): string {
  const { stage } = evidence;
  const failures = evidence.failures.length === 0 ? '' : `<ul class="failures">${evidence.failures.map((f) => `<li>${text(f)}</li>`).join('')}</ul>`;
  return [
    `<div class="stage-evidence" id="evidence-${text(stage.name)}">`,
    `<h2>Stage ${text(stage.name)} — ${verdict(evidence.passed)}</h2>`,
    `<p>Run ${text(evidence.runId)}, ${text(evidence.mode)} mode, transform ${text(evidence.transform)} into ${text(evidence.target)}; ` +
      `batches ${text(stage.firstBatch + 1)}–${text(stage.firstBatch + stage.batchCount)} (${text(stage.cumulativePercent)}% of the plan once done); evidence of ${text(evidence.createdAt)}.</p>`,
    failures,
    countsSection(evidence),
    determinismSection(evidence),
    rulesSection(evidence),
    diffSection(evidence),
    goldenSection(evidence),
    forecastSection(evidence),
    '</div>',
  ].join('');
}
