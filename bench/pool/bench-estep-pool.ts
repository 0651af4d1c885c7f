// Seconds per EM iteration with the parallel E-step (src/worker/estepPool.ts) at 1 and 2 threads,
// wall clock and CPU (all threads of the process), for the cases of issue 7:
//   - Gaussian mixture N = 1,000,000, D = 8, K = 8, diag and full, from the given start of
//     bench/gmm/bench-gmm.ts (its data file bench/data/gmm-1000000x8-k8-seed42.csv and init JSON);
//   - latent class, 1,000,000 rows, K = 3, 6 categorical columns of 2-4 levels (generated here
//     in memory with a fixed seed).
// Each case is timed with the driver's own E-step (unchunked, one thread) and with the fit job's
// plan (FitThreads: chunked, in one thread or over a pool); for a case the plan keeps unchunked
// (too little work) a forced pool is timed as well, to show what threads would cost there.
//
//   node scripts/build.mjs && node out/bench/pool/bench-estep-pool.js [--rows N] [--iterations N] [--cases diag,full,lc]
//
// Time per iteration = (stamp at iteration HI - stamp at iteration LO) / (HI - LO), stamps from
// the driver's progress callback (so loading, preparing and starting threads do not count).
// Besides wall time: the CPU time of all threads, and of the busiest thread (Linux, from
// /proc/self/task), which is about what the wall time would be with a free core per thread:
// on a machine loaded by other work the wall time says little, the busiest thread's CPU more.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { runEM } from '../../src/engine/driver';
import type { EStepExecutor } from '../../src/engine/family';
import { prepareFit, type PreparedFit } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS, type CovarianceType, type ModelFile } from '../../src/shared/modelSpec';
import { chunkedExecutor } from '../../src/worker/chunkedExecutor';
import { EStepPool } from '../../src/worker/estepPool';
import { FitThreads } from '../../src/worker/fitThreads';
import { planChunks, unitCosts } from '../../src/worker/shardPlan';
import { shareTypedArrays } from '../../src/worker/sharedData';

const root = join(__dirname, '..', '..', '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const rows = Number(option('rows', '1000000'));
const HI = Number(option('iterations', '10'));
const LO = 2;
const cases = option('cases', 'diag,full,lc,hmm').split(',');

interface Timing {
  readonly wall: number;
  readonly cpu: number;
  /** CPU seconds per iteration of the busiest thread: about the wall time on a machine with a free core per thread. */
  readonly busiest: number;
  readonly logLikelihood: number;
  readonly threads: number;
}

/**
 * CPU seconds of every thread of this process, by thread id (Linux: /proc/self/task/<tid>/stat,
 * utime + stime in clock ticks of 1/100 s). Empty elsewhere.
 */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  if (process.platform !== 'linux') return out;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // fields 14 and 15 of stat(5)
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Run HI iterations; seconds per iteration (wall and CPU) between iterations LO and HI. */
async function time(prepared: PreparedFit, data: unknown, executor: EStepExecutor<unknown, unknown> | undefined, threads: number): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const perThread: Map<string, number>[] = [];
  const { result } = await runEM(prepared.family, data, {
    maxIterations: HI,
    tolerance: -Infinity,
    restarts: 1,
    seed: 1,
    ...(prepared.initialParameters !== undefined ? { initialParameters: prepared.initialParameters } : {}),
    ...(executor ? { executor } : {}),
    onProgress: () => {
      wall.push(performance.now());
      const c = process.cpuUsage();
      cpu.push((c.user + c.system) / 1000);
      if (wall.length - 1 === LO || wall.length - 1 === HI) perThread.push(threadCpu());
    },
  });
  let busiest = 0;
  for (const [tid, after] of perThread[1] ?? []) busiest = Math.max(busiest, after - (perThread[0]?.get(tid) ?? 0));
  return { wall: (wall[HI] - wall[LO]) / (HI - LO) / 1000, cpu: (cpu[HI] - cpu[LO]) / (HI - LO) / 1000, busiest: busiest / (HI - LO), logLikelihood: result.history[HI], threads };
}

/** The fit job's way: FitThreads decides whether to pool. */
async function viaFitJob(model: ModelFile, prepared: PreparedFit, threads: number): Promise<Timing> {
  const fitThreads = new FitThreads(threads);
  try {
    const plan = fitThreads.plan(prepared.family, prepared.data, { model });
    return await time(prepared, plan.data, plan.executor, plan.threads);
  } finally {
    await fitThreads.close();
  }
}

/** Chunked over a pool however little the work (what the plan would cost if it always pooled). */
async function forcedPool(model: ModelFile, prepared: PreparedFit, threads: number): Promise<Timing> {
  const shared = shareTypedArrays(prepared.data);
  const chunks = planChunks(unitCosts(prepared.family.kind, shared), 0);
  const pool = new EStepPool(threads - 1);
  try {
    return await time(prepared, shared, chunkedExecutor(prepared.family, shared, chunks, { pool, recipe: { model }, threads }), threads);
  } finally {
    await pool.close();
  }
}

function gmmModel(path: string, type: CovarianceType): ModelFile {
  const init: unknown = JSON.parse(readFileSync(join(root, 'bench', 'data', `gmm-${rows}x8-k8-seed42-init-${type}.json`), 'utf8'));
  return {
    file: join(root, 'bench', 'pool', 'bench.em.json'),
    name: `gmm ${type}`,
    data: { path, missing: [] },
    init,
    model: { kind: 'gaussian-mixture', components: 8, covariance: type },
    fit: { ...DEFAULT_FIT, init: 'given', maxIterations: HI, tolerance: -Infinity },
  };
}

/** Latent-class data: class k ~ uniform over 3, column j with levels[j] levels from a Dirichlet(1) profile per class. */
function latentClassData(n: number): { model: ModelFile; dataset: Dataset } {
  const rng = new Rng(77);
  const levels = [2, 3, 4, 2, 3, 4];
  const names = levels.map((_, j) => `c${j + 1}`);
  const profiles = Array.from({ length: 3 }, () => levels.map((m) => rng.dirichlet(m, 1)));
  const codes = levels.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    const k = rng.int(3);
    for (let j = 0; j < levels.length; j++) {
      let u = rng.next();
      let s = 0;
      const p = profiles[k][j];
      while (s < levels[j] - 1 && u > p[s]) u -= p[s++];
      codes[j][i] = s;
    }
  }
  const dataset: Dataset = {
    file: 'latent-class.csv',
    header: names,
    columns: names.map((name, j) => ({ kind: 'categorical' as const, name, levels: Array.from({ length: levels[j] }, (_, s) => String(s)), codes: codes[j] })),
    rowCount: n,
    lines: new Int32Array(n),
  };
  const model: ModelFile = {
    file: join(root, 'bench', 'pool', 'latent-class.em.json'),
    name: 'latent class',
    data: { path: dataset.file, missing: DEFAULT_MISSING_TOKENS },
    model: { kind: 'latent-class', classes: 3, columns: names, prior: 0 },
    fit: { ...DEFAULT_FIT, maxIterations: HI, tolerance: -Infinity, seed: 5 },
  };
  return { model, dataset };
}

/** Gaussian HMM data: 100 sequences x 1,000 steps from a 3-state chain (means -2, 0, 2; unit variance; stay with probability 0.95). */
function hmmData(): { model: ModelFile; dataset: Dataset } {
  const rng = new Rng(78);
  const sequences = 100;
  const length = 1000;
  const n = sequences * length;
  const values = new Float64Array(n);
  const seq = new Int32Array(n);
  for (let s = 0; s < sequences; s++) {
    let state = rng.int(3);
    for (let t = 0; t < length; t++) {
      if (rng.next() < 0.05) state = rng.int(3);
      values[s * length + t] = 2 * (state - 1) + rng.normal();
      seq[s * length + t] = s;
    }
  }
  const dataset: Dataset = {
    file: 'hmm.csv',
    header: ['seq', 'value'],
    columns: [
      { kind: 'categorical', name: 'seq', levels: Array.from({ length: sequences }, (_, s) => `s${s}`), codes: seq },
      { kind: 'numeric', name: 'value', values },
    ],
    rowCount: n,
    lines: new Int32Array(n),
  };
  const model: ModelFile = {
    file: join(root, 'bench', 'pool', 'hmm.em.json'),
    name: 'hmm',
    data: { path: dataset.file, missing: DEFAULT_MISSING_TOKENS, sequence: 'seq', columns: ['value'] },
    model: { kind: 'hmm', states: 3, emission: 'gaussian', covariance: 'diag', prior: 0 },
    fit: { ...DEFAULT_FIT, maxIterations: HI, tolerance: -Infinity, seed: 5 },
  };
  return { model, dataset };
}

function line(name: string, how: string, t: Timing, base: Timing): string {
  const rel = Math.abs(t.logLikelihood - base.logLikelihood) / Math.abs(base.logLikelihood);
  return `| ${name} | ${how} | ${t.threads} | ${t.wall.toFixed(4)} | ${t.cpu.toFixed(4)} | ${t.busiest.toFixed(4)} | ${(t.wall / base.wall).toFixed(2)} | ${(t.busiest / base.busiest).toFixed(2)} | ${rel.toExponential(1)} |`;
}

async function main(): Promise<void> {
  const out = [
    '| case | E-step | threads used | s/iter (wall) | CPU s/iter (all threads) | CPU s/iter (busiest thread) | wall vs unchunked | busiest vs unchunked | LL rel. diff vs unchunked |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const show = (s: string): void => {
    out.push(s);
    console.log(s);
  };
  const csv = join(root, 'bench', 'data', `gmm-${rows}x8-k8-seed42.csv`);
  for (const type of ['diag', 'full'] as const) {
    if (!cases.includes(type)) continue;
    if (!existsSync(csv)) {
      console.log(`skipping gmm ${type}: ${csv} is missing (node out/bench/gmm/bench-gmm.js writes it)`);
      continue;
    }
    const model = gmmModel(csv, type);
    const dataset = await readDataset(csv, { missing: [] });
    const prepared = prepareFit(model, dataset, { components: 8 });
    const name = `GMM N=${rows} D=8 K=8 ${type}`;
    const whole = await time(prepared, prepared.data, undefined, 1);
    show(line(name, 'unchunked (driver default)', whole, whole));
    show(line(name, 'fit job, --threads 1 (chunked)', await viaFitJob(model, prepared, 1), whole));
    show(line(name, 'fit job, --threads 2', await viaFitJob(model, prepared, 2), whole));
  }
  if (cases.includes('lc')) {
    const { model, dataset } = latentClassData(rows);
    const prepared = prepareFit(model, dataset);
    const name = `latent class ${rows} rows (${prepared.family.units(prepared.data)} patterns)`;
    const whole = await time(prepared, prepared.data, undefined, 1);
    show(line(name, 'unchunked (driver default)', whole, whole));
    show(line(name, 'fit job, --threads 2', await viaFitJob(model, prepared, 2), whole));
    show(line(name, 'forced: chunked over a pool', await forcedPool(model, prepared, 2), whole));
  }
  if (cases.includes('hmm')) {
    const { model, dataset } = hmmData();
    const prepared = prepareFit(model, dataset);
    const name = 'Gaussian HMM K=3, 100 x 1,000 steps';
    const whole = await time(prepared, prepared.data, undefined, 1);
    show(line(name, 'unchunked (driver default)', whole, whole));
    show(line(name, 'fit job, --threads 1 (chunked)', await viaFitJob(model, prepared, 1), whole));
    show(line(name, 'fit job, --threads 2', await viaFitJob(model, prepared, 2), whole));
  }
  console.log(`\nnode ${process.version}, ${HI - LO} iterations timed (${LO}..${HI})\n${out.join('\n')}`);
}

void main();
