/**
 * `npm run bench`: ours against scikit-learn, pomegranate and mclust on the same generated files,
 * in one run, as one table (issue 7; bench/README.md). bench/bench.mjs builds, then runs this:
 *
 *   node out/bench/suite/benchSuite.js [--quick] [--case NAME] ... (benchOptions.ts)
 *
 * The table goes to stdout after every case and, with the machine's facts and issue 7's
 * acceptance checks, to bench/out/last.md (git-ignored); the raw rows to bench/out/last.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { allCases, selectCases, type PeerName } from './benchCases';
import { BENCH_USAGE, BenchUsageError, parseBenchOptions, type ParsedOptions } from './benchOptions';
import { acceptanceChecks, caseNotes, resultTable } from './benchTable';
import { E2E_TOLERANCE, MAX_CONVERGE_CAP, MIN_CONVERGE_CAP, runCase, type CaseResult, type SuiteContext } from './caseRunner';
import { factsMarkdown, machineFacts, type MachineFacts } from './machineFacts';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = process.env.EMW_DIST || 'dist';

function log(line: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** How the figures were taken, under the table. */
function method(o: ParsedOptions): string[] {
  return [
    `- s/iter: seconds per EM iteration (one M-step + one E-step over all rows), wall clock, from the same given start for every tool, iterations ${o.lo}..${o.hi} (${o.hi - o.lo} timed; reading, checking and starting do not count). CPU s/iter: CPU seconds of the whole process over the same iterations (every thread: ours runs ${o.threads.map((t) => (t === 0 ? 'every core' : `${t} thread(s)`)).join(', then ')}; each peer one thread: OMP/OPENBLAS/MKL_NUM_THREADS=1). Ratios are to the first of our rows. Ours: the fit job of the CLI (src/worker/fitJob.ts) in a child process, clocked by the driver's progress callback; scikit-learn: bench/gmm/sklearn-time.py (two fits, max_iter ${o.lo} and ${o.hi}, their difference); pomegranate: epoch ends (callbacks; HMM: bench/hmm/pomegranate_hmm.py, all ${o.hi} epochs); mclust: em() with itmax ${o.lo} and ${o.hi}, their difference.`,
    `- log-likelihood after ${o.hi} iterations from that start: equal across tools that run the same EM (scikit-learn adds 1e-6 to covariance diagonals as we do; pomegranate and mclust add nothing). With blank cells, pomegranate leaves them out of its M-step (an approximation of EM), so its values differ from ours.`,
    `- iterations to convergence: a separate run from the same start until the gain in log-likelihood per row falls below ${o.convergeTolerance} (per step for HMMs; pomegranate: summed gain < tolerance x rows; mclust: its relative change < tolerance x rows / (1 + |log-likelihood|)). Run only when at least ${MIN_CONVERGE_CAP} iterations fit in ${o.convergeBudget} s at the tool's measured s/iter, capped there and at ${MAX_CONVERGE_CAP}: "-" = not run by that rule, ">N" = not converged after N. scikit-learn's n_iter_ counts one more than ours for the same path (its check comes one E-step later).`,
    `- end to end: the whole process as a user runs it, one start, at most ${o.e2eIterations} iterations: ours = \`node ${DIST}/cli.js fit MODEL --json --threads ${o.threads.join('|')} --max-iterations ${o.e2eIterations} --tolerance 0\`, which stops earlier only at a fixed point (no gain beyond rounding); the peers read the CSV with pandas.read_csv (mclust: data.table::fread) and fit with a tolerance of ${E2E_TOLERANCE} per row, so that they stop at such a point too rather than iterate on it (scikit-learn checks one E-step later: one iteration more). Iterations run are shown (mclust's Mclust() does not say). Wall and CPU (user + sys) seconds and peak RSS from GNU time (/usr/bin/time).`,
    '- ratios are ours / peer from this run: below 1, ours is faster or smaller. The machine is shared: compare ratios within one run, and CPU columns next to wall columns.',
  ];
}

/** The loading benchmark (bench/loading), when it is built: its table, or why it did not run. */
async function loadingSection(o: ParsedOptions): Promise<string[]> {
  const script = join(__dirname, '..', 'loading', 'loadingBench.js');
  if (!existsSync(script)) return ['Loading benchmark not built (bench/loading/loadingBench.ts): not run.'];
  const rows = o.quick ? 100_000 : 1_000_000;
  log(`loading: ${script} --rows ${rows} --repeat 1 --no-before ...`);
  const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, [script, '--rows', String(rows), '--repeat', '1', '--no-before'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      text += d;
    });
    child.on('close', (code) => resolve({ code, text }));
    child.on('error', (e) => resolve({ code: -1, text: e.message }));
  });
  if (output.code !== 0) return [`Loading benchmark failed (exit ${output.code}): ${output.text.trim().split('\n').pop() ?? ''}`];
  const table = output.text.split('\n').filter((l) => l.startsWith('|'));
  const heading = output.text.split('\n').find((l) => l.startsWith('medians of'));
  return [`\`node out/bench/loading/loadingBench.js --rows ${rows} --repeat 1 --no-before\`${heading ? `: ${heading}` : ''}`, '', ...table];
}

function markdown(o: ParsedOptions, facts: MachineFacts, results: readonly CaseResult[], loading: readonly string[], finished: boolean): string {
  const lines = [
    `# Benchmark: ours vs scikit-learn, pomegranate, mclust${o.quick ? ' (--quick: smaller data)' : ''}`,
    '',
    `\`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`${finished ? '' : ' (in progress: the cases run so far)'}`,
    '',
    ...factsMarkdown(facts, loadavg()),
    '',
    ...resultTable(results, o.hi, o.e2eIterations),
    '',
    ...caseNotes(results),
    ...method(o),
  ];
  const checks = acceptanceChecks(results);
  if (checks.length) lines.push('', `## Issue 7's acceptance figures${o.quick ? ' (quick run: not the issue\'s sizes, for orientation only)' : ''}`, '', ...checks);
  if (loading.length) lines.push('', '## Loading a CSV: ours vs pandas.read_csv', '', ...loading);
  return lines.join('\n') + '\n';
}

async function main(argv: readonly string[]): Promise<number> {
  let o: ParsedOptions;
  try {
    o = parseBenchOptions(argv);
  } catch (e) {
    if (e instanceof BenchUsageError) {
      process.stderr.write(`bench: ${e.message}\n\n${BENCH_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(BENCH_USAGE + '\n');
    return 0;
  }
  const cases = selectCases(allCases(o.quick), o.filters);
  const runLoading = o.loading && (o.filters.length === 0 || o.filters.some((f) => 'loading'.includes(f)));
  if (o.list) {
    for (const c of allCases(o.quick)) process.stdout.write(`${c.name.padEnd(20)} ${c.label}\n`);
    process.stdout.write(`${'loading'.padEnd(20)} loading a 1e6 x 8 CSV, ours vs pandas.read_csv (bench/loading)\n`);
    return 0;
  }
  if (cases.length === 0 && !runLoading) {
    process.stderr.write(`bench: no case matches ${o.filters.join(', ')} (npm run bench -- --list)\n`);
    return 2;
  }
  const cli = join(ROOT, DIST, 'cli.js');
  if (!existsSync(cli)) {
    process.stderr.write(`bench: ${cli} is not built (node scripts/build.mjs, or npm run bench without --no-build)\n`);
    return 1;
  }
  const facts = machineFacts();
  const installed: Partial<Record<PeerName, string>> = {
    ...(facts.python.sklearn && facts.python.pandas ? { 'scikit-learn': facts.python.sklearn } : {}),
    ...(facts.python.pomegranate && facts.python.pandas ? { pomegranate: facts.python.pomegranate } : {}),
    ...(facts.r.mclust ? { mclust: facts.r.mclust } : {}),
  };
  for (const line of factsMarkdown(facts, loadavg())) log(line.slice(2));
  // EMW_BENCH_OUT: another folder for last.md / last.json, so that parallel runs do not overwrite each other's
  const outDir = process.env.EMW_BENCH_OUT || join(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  const ctx: SuiteContext = { root: ROOT, dataDir: join(ROOT, 'bench', 'data'), suiteDir: __dirname, cli, options: o, installed, log };
  const results: CaseResult[] = [];
  const save = (loading: readonly string[], finished: boolean): void => {
    writeFileSync(join(outDir, 'last.md'), markdown(o, facts, results, loading, finished));
    writeFileSync(join(outDir, 'last.json'), JSON.stringify({ options: o, facts, results }, null, 1) + '\n');
  };
  const t0 = performance.now();
  for (const c of cases) {
    results.push(await runCase(ctx, c));
    save([], false);
    process.stdout.write(resultTable(results.slice(-1), o.hi, o.e2eIterations).join('\n') + '\n');
  }
  const loading = runLoading ? await loadingSection(o) : [];
  save(loading, true);
  process.stdout.write('\n' + markdown(o, facts, results, loading, true));
  log(`done in ${((performance.now() - t0) / 60000).toFixed(1)} min; written to ${join(outDir, 'last.md')} and last.json`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
