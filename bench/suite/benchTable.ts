/**
 * The benchmark's table (markdown, also what the console shows) and issue 7's acceptance checks,
 * from the rows of one run. Every ratio is ours / peer (below 1: we are faster or smaller),
 * taken within the run: figures from different runs on a shared machine do not compare.
 */
import type { CaseResult, ToolRow } from './caseRunner';

/** Seconds with about 3 significant digits: 123, 12.3, 1.23, 0.123, 0.0123. */
export function formatSeconds(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** A ratio with 2 decimals, or 2 significant digits below 0.1 (0.0045). */
export function formatRatio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '';
  return x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

export function ratio(ours: number | undefined, peer: number | undefined): number | undefined {
  return ours !== undefined && peer !== undefined && peer > 0 ? ours / peer : undefined;
}

export function relativeDifference(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? Math.abs(a - b) / Math.max(Math.abs(b), 1e-300) : undefined;
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

export function tableHeader(hi: number, e2eIterations: number): string[] {
  return [
    row(['case', 'tool', 's/iter', 'CPU s/iter', 'ours/peer s/iter (CPU)', 'iterations to convergence', `end to end s (CPU s), iterations (at most ${e2eIterations})`, 'ours/peer end to end', 'peak RSS MB', 'ours/peer RSS', `log-likelihood after ${hi} it.`, 'rel. diff to ours', 'notes']),
    row(new Array<string>(13).fill('---')),
  ];
}

/** Our log-likelihood after the timed iterations with the peer's regularization (none for pomegranate and mclust). */
export function oursLogLikelihoodFor(ours: ToolRow, peer: ToolRow): number | undefined {
  const t = ours.timed;
  return peer.regularization === 0 && t?.logLikelihoodUnregularized !== undefined ? t.logLikelihoodUnregularized : t?.logLikelihood;
}

function toolRow(r: ToolRow, ours: ToolRow | undefined): string {
  if (r.status !== undefined) return row([r.caseLabel, r.tool, r.status, '', '', '', '', '', '', '', '', '', r.notes.join('; ')]);
  const t = r.timed;
  const o = ours && !r.ours && ours.status === undefined ? ours : undefined;
  const wallRatio = formatRatio(ratio(o?.timed?.secondsPerIteration, t?.secondsPerIteration));
  const cpuRatio = formatRatio(ratio(o?.timed?.cpuSecondsPerIteration, t?.cpuSecondsPerIteration));
  const e = r.e2e;
  const diff = o ? relativeDifference(oursLogLikelihoodFor(o, r), t?.logLikelihood) : undefined;
  return row([
    r.caseLabel,
    r.tool,
    formatSeconds(t?.secondsPerIteration),
    formatSeconds(t?.cpuSecondsPerIteration),
    o ? `${wallRatio}${cpuRatio ? ` (${cpuRatio})` : ''}` : '',
    r.convergence,
    e ? `${formatSeconds(e.wallSeconds)}${e.cpuSeconds !== undefined ? ` (${formatSeconds(e.cpuSeconds)})` : ''}, ${e.iterations ?? '?'} it.` : '',
    o ? formatRatio(ratio(o.e2e?.wallSeconds, e?.wallSeconds)) : '',
    e?.peakRssMb !== undefined ? e.peakRssMb.toFixed(0) : '',
    o ? formatRatio(ratio(o.e2e?.peakRssMb, e?.peakRssMb)) : '',
    t?.logLikelihood !== undefined ? `${t.logLikelihood.toFixed(4)}${t.logLikelihoodUnregularized !== undefined ? ` (no reg.: ${t.logLikelihoodUnregularized.toFixed(4)})` : ''}` : '',
    diff !== undefined ? diff.toExponential(1) : '',
    r.notes.join('; '),
  ]);
}

/** The table's lines (header included) for every case of the run. */
export function resultTable(results: readonly CaseResult[], hi: number, e2eIterations: number): string[] {
  const lines = tableHeader(hi, e2eIterations);
  for (const result of results) {
    const ours = result.rows.find((r) => r.ours);
    for (const r of result.rows) lines.push(toolRow(r, ours));
  }
  return lines;
}

/** Case notes as a list under the table, each note once with the cases it applies to. */
export function caseNotes(results: readonly CaseResult[]): string[] {
  const casesByNote = new Map<string, string[]>();
  for (const r of results) for (const note of r.notes) casesByNote.set(note, [...(casesByNote.get(note) ?? []), r.benchCase.label]);
  return [...casesByNote].map(([note, labels]) => `- ${labels.join(', ')}: ${note}`);
}

interface Check {
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
}

/** The first row of the case whose tool starts with `tool` and that has figures. */
function findRow(results: readonly CaseResult[], caseName: string, tool: string): ToolRow | undefined {
  return results.find((r) => r.benchCase.name === caseName)?.rows.find((r) => r.tool.startsWith(tool) && r.status === undefined);
}

/** Issue 7's acceptance figures, from this run's rows (cases or peers that did not run are left out). */
export function acceptanceChecks(results: readonly CaseResult[]): string[] {
  const checks: Check[] = [];
  const speed = (caseName: string, peer: string, limit: number, what: string): void => {
    const ours = findRow(results, caseName, 'ours');
    const p = findRow(results, caseName, peer);
    const x = ratio(ours?.timed?.secondsPerIteration, p?.timed?.secondsPerIteration);
    if (x === undefined) return;
    const cpu = ratio(ours?.timed?.cpuSecondsPerIteration, p?.timed?.cpuSecondsPerIteration);
    // our one-thread row, when the run has one besides the first: thread for thread against the peer
    const single = findRow(results, caseName, 'ours (1 thread)');
    const one = single !== ours ? ratio(single?.timed?.secondsPerIteration, p?.timed?.secondsPerIteration) : undefined;
    const oneCpu = single !== ours ? ratio(single?.timed?.cpuSecondsPerIteration, p?.timed?.cpuSecondsPerIteration) : undefined;
    const measured = `${formatRatio(x)} wall${cpu !== undefined ? `, ${formatRatio(cpu)} CPU` : ''}${one !== undefined ? ` (ours 1 thread: ${formatRatio(one)} wall, ${formatRatio(oneCpu)} CPU)` : ''}`;
    checks.push({ what: `${what} (${ours?.tool ?? 'ours'})`, target: `<= ${limit}`, measured, pass: x <= limit });
  };
  speed('gmm-d8-k8-diag', 'scikit-learn', 0.25, 'GMM D=8 K=8 diag: s/iter ours / scikit-learn');
  speed('gmm-d8-k8-full', 'scikit-learn', 0.5, 'GMM D=8 K=8 full: s/iter ours / scikit-learn');
  speed('lc-k3', 'pomegranate', 0.01, 'latent class: s/iter ours / pomegranate');
  speed('hmm-1x100000', 'pomegranate', 0.3, 'HMM 1 x 100,000: s/iter ours / pomegranate');
  const diagOurs = findRow(results, 'gmm-d8-k8-diag', 'ours');
  const diagSk = findRow(results, 'gmm-d8-k8-diag', 'scikit-learn');
  const e2e = ratio(diagOurs?.e2e?.wallSeconds, diagSk?.e2e?.wallSeconds);
  if (e2e !== undefined) {
    const iterations = `ours ${diagOurs?.e2e?.iterations ?? '?'} iterations, scikit-learn ${diagSk?.e2e?.iterations ?? '?'}`;
    checks.push({ what: 'GMM D=8 K=8 diag end to end: ours / (pandas.read_csv + scikit-learn)', target: '<= 0.5', measured: `${formatRatio(e2e)} (${iterations})`, pass: e2e <= 0.5 });
  }
  const diagCase = results.find((r) => r.benchCase.name === 'gmm-d8-k8-diag')?.benchCase;
  if (diagOurs?.e2e?.peakRssMb !== undefined && diagCase?.kind === 'gmm') {
    const dataMb = (diagCase.rows * diagCase.dimensions * 8) / 2 ** 20;
    const limit = 2 * dataMb + 150;
    checks.push({ what: `GMM D=8 K=8 diag peak RSS (data as float64: ${dataMb.toFixed(0)} MB)`, target: `<= 2 x data + 150 = ${limit.toFixed(0)} MB`, measured: `${diagOurs.e2e.peakRssMb.toFixed(0)} MB`, pass: diagOurs.e2e.peakRssMb <= limit });
  }
  // agreement: every peer that fitted from the shared start and runs EM's M-step (with blank
  // cells pomegranate's M-step is not EM's: its values are shown in the table but not checked)
  let worst: { d: number; where: string } | undefined;
  for (const result of results) {
    if (result.benchCase.kind === 'gmm' && result.benchCase.missingFraction > 0) continue;
    const ours = result.rows.find((r) => r.ours);
    for (const r of result.rows) {
      if (r.ours || r.status !== undefined) continue;
      const d = ours ? relativeDifference(oursLogLikelihoodFor(ours, r), r.timed?.logLikelihood) : undefined;
      if (d !== undefined && (worst === undefined || d > worst.d)) worst = { d, where: `${result.benchCase.label}, ${r.tool}` };
    }
  }
  if (worst) checks.push({ what: 'log-likelihood from the same start, largest relative difference to a peer (complete data; pomegranate and mclust against ours without regularization)', target: '<= 1e-8', measured: `${worst.d.toExponential(1)} (${worst.where})`, pass: worst.d <= 1e-8 });
  if (checks.length === 0) return [];
  return [row(['check', 'target', 'measured', 'verdict']), row(['---', '---', '---', '---']), ...checks.map((c) => row([c.what, c.target, c.measured, c.pass === undefined ? '' : c.pass ? 'pass' : 'FAIL']))];
}
