// The benchmark suite's own parts (bench/suite, `npm run bench`): options, the case list, the
// converged-run rule, the process measurements, the generated data and the table's ratios and
// acceptance checks. Small data only; no peer and no timing is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCases, peerRole, selectCases } from '../../bench/suite/benchCases';
import { BenchUsageError, parseBenchOptions } from '../../bench/suite/benchOptions';
import { acceptanceChecks, formatRatio, formatSeconds, oursLogLikelihoodFor, resultTable } from '../../bench/suite/benchTable';
import { convergeCap, MAX_CONVERGE_CAP, type CaseResult, type ToolRow } from '../../bench/suite/caseRunner';
import { ensureGmmData, ensureGmmStart, ensureLatentClassData, gmmStart, latentClassInit, latentClassStart } from '../../bench/suite/dataSets';
import { lastJsonLine, parseGnuTime, runChild } from '../../bench/suite/timedProcess';

test('bench options: defaults, filters, and usage errors', () => {
  const d = parseBenchOptions([]);
  assert.equal(d.quick, false);
  assert.deepEqual(d.threads, [0, 1]);
  assert.deepEqual([d.lo, d.hi, d.e2eIterations], [1, 6, 20]);
  assert.deepEqual(d.peers, ['scikit-learn', 'pomegranate', 'mclust']);
  const o = parseBenchOptions(['--quick', '--case', 'gmm-d8,lc', '--case=hmm', '--threads', '2,1', '--peers', 'mclust', '--converge-budget', '0']);
  assert.equal(o.quick, true);
  assert.deepEqual(o.filters, ['gmm-d8', 'lc', 'hmm']);
  assert.deepEqual(o.threads, [2, 1]);
  assert.deepEqual(o.peers, ['mclust']);
  assert.equal(o.convergeBudget, 0);
  assert.throws(() => parseBenchOptions(['--peers', 'weka']), BenchUsageError);
  assert.throws(() => parseBenchOptions(['--iterations', '1']), BenchUsageError);
  assert.throws(() => parseBenchOptions(['--tolerance', '-1']), BenchUsageError);
  assert.throws(() => parseBenchOptions(['--bogus']), BenchUsageError);
});

test('bench cases: the issue-7 list, filters, and which peer fits, refuses or is skipped', () => {
  const names = allCases(false).map((c) => c.name);
  for (const n of ['gmm-d2-k3-diag', 'gmm-d2-k8-full', 'gmm-d8-k3-diag', 'gmm-d8-k8-diag', 'gmm-d8-k8-full', 'lc-k3', 'hmm-1x100000', 'hmm-100x1000', 'gmm-missing-diag', 'gmm-missing-full']) assert.ok(names.includes(n), n);
  assert.equal(names.length, 13);
  const big = allCases(false).find((c) => c.name === 'gmm-d8-k8-diag');
  assert.ok(big?.kind === 'gmm' && big.rows === 1_000_000);
  const quick = allCases(true).find((c) => c.name === 'gmm-d8-k8-diag');
  assert.ok(quick?.kind === 'gmm' && quick.rows === 100_000);
  assert.deepEqual(selectCases(allCases(false), ['gmm-d8-k8']).map((c) => c.name), ['gmm-d8-k8-diag', 'gmm-d8-k8-full']);
  const missingFull = allCases(false).find((c) => c.name === 'gmm-missing-full');
  const lc = allCases(false).find((c) => c.name === 'lc-k3');
  assert.ok(missingFull && lc);
  assert.deepEqual(peerRole(missingFull, 'scikit-learn', false), { role: 'refuses' });
  assert.equal(peerRole(missingFull, 'pomegranate', false)?.role, 'skipped');
  assert.deepEqual(peerRole(missingFull, 'pomegranate', true), { role: 'fits' });
  assert.equal(peerRole(lc, 'mclust', false), undefined);
  assert.deepEqual(peerRole(lc, 'pomegranate', false), { role: 'fits' });
});

test('converged runs: as many iterations as fit in the budget, none below 50, at most 1000', () => {
  assert.equal(convergeCap(0.1, 20), 200);
  assert.equal(convergeCap(0.001, 20), MAX_CONVERGE_CAP);
  assert.equal(convergeCap(0.5, 20), undefined); // 40 iterations: not worth it
  assert.equal(convergeCap(0.1, 0), undefined);
});

test('GNU time line and JSON reports are read from a child', async () => {
  assert.deepEqual(parseGnuTime('warning\nEMW_TIME 1.50 0.75 0.25 204800\n'), { wall: 1.5, cpu: 1, rssMb: 200 });
  assert.equal(parseGnuTime('no time here'), undefined);
  assert.deepEqual(lastJsonLine('progress\n{"a": 1}\n{"b": 2}\n'), { b: 2 });
  assert.deepEqual(lastJsonLine('{\n  "multi": [1,\n 2]\n}\n'), { multi: [1, 2] });
  assert.equal(lastJsonLine('nothing'), undefined);
  const ok = await runChild([process.execPath, '-e', 'console.log("log"); console.log(JSON.stringify({ secondsPerIteration: 0.5 }))']);
  assert.ok('ok' in ok);
  assert.equal(ok.ok.secondsPerIteration, 0.5);
  assert.ok(ok.process.wallSeconds >= 0);
  const refusal = await runChild([process.execPath, '-e', 'console.log(JSON.stringify({ error: "refuses missing values" }))']);
  assert.ok('error' in refusal && refusal.error === 'refuses missing values');
  const crash = await runChild([process.execPath, '-e', 'console.error("boom: bad input"); process.exit(3)']);
  assert.ok('error' in crash && /exit 3: boom: bad input/.test(crash.error), JSON.stringify(crash));
  const missing = await runChild(['/nonexistent/tool-for-bench-test']);
  assert.ok('error' in missing);
});

test('generated data: fixed bytes for a seed, reused, blank cells at about the asked fraction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-bench-'));
  try {
    const spec = { rows: 2000, dimensions: 3, components: 2, seed: 5, missingFraction: 0 };
    const a = ensureGmmData(join(dir, 'a'), spec);
    const b = ensureGmmData(join(dir, 'b'), spec);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const lines = readFileSync(a, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'x1,x2,x3');
    assert.equal(lines.length, 2001);
    const mtime = statSync(a).mtimeMs;
    ensureGmmData(join(dir, 'a'), spec);
    assert.equal(statSync(a).mtimeMs, mtime, 'an existing file is reused');

    const blank = ensureGmmData(dir, { ...spec, missingFraction: 0.1 });
    const cells = readFileSync(blank, 'utf8').trim().split('\n').slice(1).flatMap((l) => l.split(','));
    const empty = cells.filter((c) => c === '').length / cells.length;
    assert.ok(empty > 0.08 && empty < 0.12, `blank fraction ${empty}`);
    // the values that are there are the complete file's
    const complete = lines.slice(1).flatMap((l) => l.split(','));
    cells.forEach((c, i) => assert.ok(c === '' || c === complete[i]));

    const full = ensureGmmStart(a, spec, 'full').start;
    assert.equal(full.weights.length, 2);
    assert.equal((full.covariances as number[][][])[0].length, 3);
    const cov = (full.covariances as number[][][])[0];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(cov[i][j], cov[j][i]);
    const withBlank = gmmStart([Float64Array.from([1, NaN, 3]), Float64Array.from([NaN, 2, 4])], 2, 1, 'diag');
    for (const m of withBlank.means) for (const v of m) assert.ok(Number.isFinite(v));
    assert.deepEqual(withBlank.covariances, [[1, 1], [1, 1]]);

    const lcSpec = { rows: 500, levels: [2, 3, 4], classes: 3, seed: 1 };
    const lc = readFileSync(ensureLatentClassData(dir, lcSpec), 'utf8').trim().split('\n');
    assert.equal(lc[0], 'c1,c2,c3');
    for (const l of lc.slice(1)) {
      const [x, y, z] = l.split(',');
      assert.ok('ab'.includes(x) && 'abc'.includes(y) && 'abcd'.includes(z), l);
    }
    const init = latentClassInit(lcSpec, latentClassStart(lcSpec)) as Record<string, Record<string, number[]> | number[]>;
    assert.deepEqual(init.class, [1 / 3, 1 / 3, 1 / 3]);
    const c3 = init.c3 as Record<string, number[]>;
    assert.deepEqual(Object.keys(c3), ['class=1', 'class=2', 'class=3']);
    assert.ok(Math.abs(c3['class=2'].reduce((s, p) => s + p, 0) - 1) < 1e-12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function rowOf(tool: string, ours: boolean, sPerIter: number, ll: number, extra: Partial<ToolRow> = {}): ToolRow {
  return { caseName: 'gmm-d8-k8-diag', caseLabel: 'GMM', tool, ours, convergence: '-', timed: { secondsPerIteration: sPerIter, cpuSecondsPerIteration: sPerIter, logLikelihood: ll }, notes: [], ...extra };
}

test('table: ratios ours/peer, the regularization each peer is compared at, and the acceptance checks', () => {
  assert.equal(formatSeconds(0.01234), '0.012');
  assert.equal(formatSeconds(12.345), '12.3');
  assert.equal(formatRatio(0.25), '0.25');
  assert.equal(formatRatio(0.0045), '0.0045');
  const ours: ToolRow = { ...rowOf('ours (all cores)', true, 0.1, -1000), timed: { secondsPerIteration: 0.1, cpuSecondsPerIteration: 0.2, logLikelihood: -1000, logLikelihoodUnregularized: -1000.5 }, e2e: { wallSeconds: 4, peakRssMb: 200, iterations: 3 } };
  const sk = { ...rowOf('scikit-learn 1.2.1', false, 0.5, -1000, { regularization: 1e-6 }), e2e: { wallSeconds: 10, peakRssMb: 300, iterations: 20 } };
  const pg = rowOf('pomegranate 0.14.8', false, 0.2, -1000.5, { regularization: 0 });
  const gone: ToolRow = { caseName: 'gmm-d8-k8-diag', caseLabel: 'GMM', tool: 'mclust', ours: false, status: 'not installed', convergence: '-', notes: [] };
  assert.equal(oursLogLikelihoodFor(ours, sk), -1000);
  assert.equal(oursLogLikelihoodFor(ours, pg), -1000.5);
  const benchCase = allCases(false).find((c) => c.name === 'gmm-d8-k8-diag');
  assert.ok(benchCase);
  const single = rowOf('ours (1 thread)', true, 0.25, -1000);
  const results: CaseResult[] = [{ benchCase, rows: [ours, single, sk, pg, gone], notes: [] }];
  const table = resultTable(results, 6, 20);
  assert.equal(table.length, 2 + 5);
  assert.match(table[4], /\| 0\.20 \(0\.40\) \|/); // s/iter ratio 0.1 / 0.5, CPU 0.2 / 0.5: to the first of our rows
  assert.match(table[4], /\| 10\.0, 20 it\. \| 0\.40 \|/); // end to end 4 / 10
  assert.match(table[6], /not installed/);
  const checks = acceptanceChecks(results).join('\n');
  assert.match(checks, /diag: s\/iter ours \/ scikit-learn \(ours \(all cores\)\) \| <= 0\.25 \| 0\.20 wall, 0\.40 CPU \(ours 1 thread: 0\.50 wall, 0\.50 CPU\) \| pass/);
  assert.match(checks, /end to end.*\| 0\.40 \(ours 3 iterations, scikit-learn 20\) \| pass/);
  assert.match(checks, /peak RSS.*<= 2 x data \+ 150 = 272 MB \| 200 MB \| pass/);
  assert.match(checks, /\| <= 1e-8 \| 0\.0e\+0/);
});
