/**
 * Runs one benchmark case: writes (or reuses) its data, shared start and model files, then for
 * ours and each peer, every one in its own process:
 *   1. timed: seconds per iteration from the shared start, iterations LO..HI (no tolerance stop),
 *      and the log-likelihood after HI iterations (the same start, so it must agree with ours);
 *   2. converged (only where cheap; see convergeCap): iterations from the shared start until the
 *      gain per row falls below the tolerance;
 *   3. end to end: the whole process as a user runs it (read the CSV, the tool's own start or the
 *      shared one where noted, a fixed number of iterations): wall and CPU seconds, peak RSS.
 * A peer that is not installed, refuses the data or fails gets a row that says so; nothing here
 * throws for a peer's sake.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { BenchCase, GmmCase, HmmCase, LatentClassCase, PeerName } from './benchCases';
import { peerRole } from './benchCases';
import { ensureGmmData, ensureGmmStart, ensureHmmData, ensureLatentClassData, ensureLatentClassStart, latentClassColumns, latentClassInit } from './dataSets';
import { peerEnvironment, PYTHON, RSCRIPT } from './machineFacts';
import { runChild } from './timedProcess';

export interface SuiteOptions {
  readonly quick: boolean;
  readonly filters: readonly string[];
  /** Ours: E-step threads (0 = every core), one row each; the first row is what the peers are compared with. */
  readonly threads: readonly number[];
  /** Iterations LO..HI are timed. */
  readonly lo: number;
  readonly hi: number;
  /** Iterations of the end-to-end runs. */
  readonly e2eIterations: number;
  /** Seconds one converged run may take at the tool's measured s/iter; 0: no converged runs. */
  readonly convergeBudget: number;
  /** Stop when the gain in log-likelihood per row (per step for HMMs) falls below this. */
  readonly convergeTolerance: number;
  readonly withSlow: boolean;
  readonly peers: readonly PeerName[];
  readonly timeoutSeconds: number;
  readonly loading: boolean;
}

export interface SuiteContext {
  readonly root: string;
  readonly dataDir: string;
  /** The built suite (oursFit.js beside this file). */
  readonly suiteDir: string;
  /** The built CLI (EMW_DIST/cli.js). */
  readonly cli: string;
  readonly options: SuiteOptions;
  /** Version of each installed peer; a peer missing here is "not installed". */
  readonly installed: Readonly<Partial<Record<PeerName, string>>>;
  readonly log: (line: string) => void;
}

export interface Timed {
  readonly secondsPerIteration: number;
  readonly cpuSecondsPerIteration?: number;
  readonly logLikelihood?: number;
  /** Ours, Gaussian mixtures: the log-likelihood after the same iterations with no covariance regularization (pomegranate's and mclust's M-step). */
  readonly logLikelihoodUnregularized?: number;
}

export interface EndToEnd {
  readonly wallSeconds: number;
  /** Iterations run (undefined: the tool does not say, as mclust's Mclust()). */
  readonly iterations?: number;
  readonly cpuSeconds?: number;
  readonly peakRssMb?: number;
  readonly logLikelihood?: number;
}

export interface ToolRow {
  readonly caseName: string;
  readonly caseLabel: string;
  /** "ours (2 threads)", "scikit-learn 1.2.1", ... */
  readonly tool: string;
  readonly ours: boolean;
  /** What the tool adds to covariance diagonals (scikit-learn 1e-6, pomegranate and mclust 0): which of our log-likelihoods it is compared with. */
  readonly regularization?: number;
  /** Shown instead of figures: not installed, refuses, skipped, failed. */
  readonly status?: string;
  readonly timed?: Timed;
  /** Iterations to convergence: "37", ">120" (cap reached), "-" (not run), or why it failed. */
  readonly convergence: string;
  readonly e2e?: EndToEnd;
  readonly notes: readonly string[];
}

/** Per-case files: the data, the shared start, and our two model files. */
interface CaseFiles {
  readonly csv: string;
  /** The shared start as JSON for the peers (GMM, latent class). */
  readonly startJson?: string;
  readonly timedModel: string;
  /** Gaussian mixtures: the timed model with "fit.regularization": 0. */
  readonly unregularizedModel?: string;
  readonly e2eModel: string;
  /** Rows (steps for HMMs): the per-row tolerance's scale. */
  readonly rows: number;
  /** The end-to-end runs start from the shared start rather than each tool's own. */
  readonly e2eFromSharedStart: boolean;
}

function writeModel(ctx: SuiteContext, name: string, model: Record<string, unknown>): string {
  const dir = join(ctx.dataDir, 'models');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.em.json`);
  writeFileSync(path, JSON.stringify(model, null, 1) + '\n');
  return path;
}

function gmmFiles(ctx: SuiteContext, c: GmmCase): CaseFiles {
  const spec = { rows: c.rows, dimensions: c.dimensions, components: c.components, seed: c.seed, missingFraction: c.missingFraction };
  const csv = ensureGmmData(ctx.dataDir, spec);
  const { path: startJson, start } = ensureGmmStart(csv, spec, c.covariance);
  const data = { path: relative(join(ctx.dataDir, 'models'), csv) };
  const model = { kind: 'gaussian-mixture', components: c.components, covariance: c.covariance };
  // our default regularization (1e-6 on the diagonal) is scikit-learn's reg_covar
  const timedModel = writeModel(ctx, `${c.name}-${c.rows}-timed`, { name: `${c.label}, shared start`, data, model, init: start, fit: { seed: 1, restarts: 1 } });
  const unregularizedModel = writeModel(ctx, `${c.name}-${c.rows}-timed-reg0`, { name: `${c.label}, shared start, no regularization`, data, model, init: start, fit: { seed: 1, restarts: 1, regularization: 0 } });
  // complete data: each tool's own start (ours and scikit-learn k-means++); blank cells: the shared start
  const shared = c.missingFraction > 0;
  const e2eModel = writeModel(ctx, `${c.name}-${c.rows}-e2e`, { name: `${c.label}, end to end`, data, model, ...(shared ? { init: start } : {}), fit: { seed: 1, restarts: 1 } });
  return { csv, startJson, timedModel, unregularizedModel, e2eModel, rows: c.rows, e2eFromSharedStart: shared };
}

function latentClassFiles(ctx: SuiteContext, c: LatentClassCase): CaseFiles {
  const csv = ensureLatentClassData(ctx.dataDir, c.spec);
  const { path: startJson, start } = ensureLatentClassStart(csv, c.spec);
  const body = {
    data: { path: relative(join(ctx.dataDir, 'models'), csv) },
    model: { kind: 'latent-class', classes: c.spec.classes, columns: latentClassColumns(c.spec) },
    init: latentClassInit(c.spec, start),
    fit: { seed: 1, restarts: 1 },
  };
  const timedModel = writeModel(ctx, `${c.name}-${c.spec.rows}-timed`, { name: `${c.label}, shared start`, ...body });
  return { csv, startJson, timedModel, e2eModel: timedModel, rows: c.spec.rows, e2eFromSharedStart: true };
}

function hmmFiles(ctx: SuiteContext, c: HmmCase): CaseFiles {
  const { path: csv, init } = ensureHmmData(ctx.root, ctx.dataDir, c.fixtureCase);
  // pomegranate adds no floor to a fitted covariance and no pseudo-count (bench/hmm/README.md)
  const timedModel = writeModel(ctx, `${c.name}-timed`, {
    name: `${c.label}, shared start`,
    data: { path: relative(join(ctx.dataDir, 'models'), csv), sequence: 'seq', columns: ['x1', 'x2'] },
    model: { kind: 'hmm', states: 3, emission: 'gaussian', covariance: 'full', prior: 0 },
    init,
    fit: { seed: 1, restarts: 1, regularization: 0 },
  });
  return { csv, timedModel, e2eModel: timedModel, rows: c.sequences * c.length, e2eFromSharedStart: true };
}

function caseFiles(ctx: SuiteContext, c: BenchCase): CaseFiles {
  switch (c.kind) {
    case 'gmm':
      return gmmFiles(ctx, c);
    case 'latent-class':
      return latentClassFiles(ctx, c);
    case 'hmm':
      return hmmFiles(ctx, c);
    default: {
      const never: never = c;
      throw new Error(`unknown case ${JSON.stringify(never)}`);
    }
  }
}

/** The commands of one tool in one case. */
interface ToolCommands {
  readonly timed: readonly string[];
  /** Ours, Gaussian mixtures: the timed run without regularization, for the log-likelihood only. */
  readonly timedUnregularized?: readonly string[];
  /** For a converged run at most `cap` iterations; `logLikelihood` = the tool's timed value (mclust's tolerance is relative). */
  readonly converge?: (cap: number, logLikelihood: number) => readonly string[];
  /** The end-to-end run; `logLikelihood` as for `converge`. */
  readonly e2e: (logLikelihood: number) => readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

const E2E_SEED = 1;

/**
 * End-to-end runs stop before their iteration count only when nothing changes but rounding: our
 * CLI with tolerance 0 stops on a gain <= 0 (a fixed point, where rounding decides the sign); the
 * peers get this gain per row as their tolerance, so that none iterates on at a fixed point.
 */
export const E2E_TOLERANCE = 1e-12;

/** What each peer adds to covariance diagonals in the runs here (scikit-learn's reg_covar; none in the others). */
const PEER_REGULARIZATION: Record<PeerName, number> = { 'scikit-learn': 1e-6, pomegranate: 0, mclust: 0 };

function oursCommands(ctx: SuiteContext, files: CaseFiles, threadCount: number): ToolCommands {
  const o = ctx.options;
  const child = join(ctx.suiteDir, 'oursFit.js');
  const threads = String(threadCount);
  return {
    timed: [process.execPath, child, 'time', files.timedModel, String(o.lo), String(o.hi), threads],
    ...(files.unregularizedModel ? { timedUnregularized: [process.execPath, child, 'time', files.unregularizedModel, String(o.lo), String(o.hi), threads] } : {}),
    converge: (cap) => [process.execPath, child, 'converge', files.timedModel, String(o.convergeTolerance), String(cap), threads],
    // the real CLI, as a user runs it: tolerance 0 stops only on a fall, so every iteration runs
    e2e: () => [process.execPath, ctx.cli, 'fit', files.e2eModel, '--json', '--threads', threads, '--max-iterations', String(o.e2eIterations), '--tolerance', '0'],
    env: process.env,
  };
}

function peerScript(ctx: SuiteContext, ...parts: string[]): string {
  return join(ctx.root, 'bench', ...parts);
}

function peerCommands(ctx: SuiteContext, c: BenchCase, files: CaseFiles, peer: PeerName): ToolCommands {
  const o = ctx.options;
  const env = peerEnvironment();
  const tol = String(o.convergeTolerance);
  const lo = String(o.lo);
  const hi = String(o.hi);
  const e2e = String(o.e2eIterations);
  const start = files.startJson ?? '';
  switch (peer) {
    case 'scikit-learn': {
      if (c.kind !== 'gmm') throw new Error(`scikit-learn has no ${c.kind} model`);
      const script = peerScript(ctx, 'suite', 'peers', 'sklearn_gmm.py');
      return {
        // bench/gmm/sklearn-time.py: two fits (max_iter LO and HI) from the shared start, their difference
        timed: [PYTHON, peerScript(ctx, 'gmm', 'sklearn-time.py'), files.csv, start, c.covariance, lo, hi],
        converge: (cap) => [PYTHON, script, 'converge', files.csv, start, c.covariance, tol, String(cap)],
        e2e: () => [PYTHON, script, 'e2e', files.csv, String(c.components), c.covariance, e2e, String(E2E_SEED), String(E2E_TOLERANCE)],
        env,
      };
    }
    case 'mclust': {
      if (c.kind !== 'gmm') throw new Error(`mclust has no ${c.kind} model`);
      const script = peerScript(ctx, 'suite', 'peers', 'mclust_gmm.R');
      return {
        timed: [RSCRIPT, script, 'time', files.csv, start, c.covariance, lo, hi],
        // mclust stops on |l - l_old| / (1 + |l|) < tol: the same gain per row, as a relative change
        converge: (cap, ll) => [RSCRIPT, script, 'converge', files.csv, start, c.covariance, String((o.convergeTolerance * files.rows) / (1 + Math.abs(ll))), String(cap)],
        e2e: (ll) => [RSCRIPT, script, 'e2e', files.csv, String(c.components), c.covariance, e2e, String(E2E_SEED), String((E2E_TOLERANCE * files.rows) / (1 + Math.abs(ll)))],
        env,
      };
    }
    case 'pomegranate': {
      const script = peerScript(ctx, 'suite', 'peers', 'pomegranate_peer.py');
      switch (c.kind) {
        case 'gmm':
          return {
            timed: [PYTHON, script, 'gmm-time', files.csv, start, c.covariance, lo, hi],
            converge: (cap) => [PYTHON, script, 'gmm-converge', files.csv, start, c.covariance, tol, String(cap)],
            e2e: () => [PYTHON, script, 'gmm-e2e', files.csv, files.e2eFromSharedStart ? start : String(c.components), c.covariance, e2e, String(E2E_SEED), String(E2E_TOLERANCE)],
            env,
          };
        case 'latent-class':
          return {
            timed: [PYTHON, script, 'lc-time', files.csv, start, lo, hi],
            converge: (cap) => [PYTHON, script, 'lc-converge', files.csv, start, tol, String(cap)],
            e2e: () => [PYTHON, script, 'lc-e2e', files.csv, start, e2e, String(E2E_TOLERANCE)],
            env,
          };
        case 'hmm':
          return {
            // bench/hmm/pomegranate_hmm.py: the same sequences drawn in Python from the same seed
            timed: [PYTHON, peerScript(ctx, 'hmm', 'pomegranate_hmm.py'), 'time', c.fixtureCase, hi],
            converge: (cap) => [PYTHON, script, 'hmm-converge', c.fixtureCase, tol, String(cap)],
            e2e: () => [PYTHON, script, 'hmm-e2e', files.csv, e2e, String(E2E_TOLERANCE)],
            env,
          };
        default: {
          const never: never = c;
          throw new Error(`unknown case ${JSON.stringify(never)}`);
        }
      }
    }
    default: {
      const never: never = peer;
      throw new Error(`unknown peer ${String(never)}`);
    }
  }
}

function refusalCommand(ctx: SuiteContext, c: GmmCase, files: CaseFiles, peer: PeerName): readonly string[] {
  if (peer === 'scikit-learn') return [PYTHON, peerScript(ctx, 'suite', 'peers', 'sklearn_gmm.py'), 'missing', files.csv, String(c.components), c.covariance];
  if (peer === 'mclust') return [RSCRIPT, peerScript(ctx, 'suite', 'peers', 'mclust_gmm.R'), 'missing', files.csv, String(c.components), c.covariance];
  throw new Error(`${peer} fits missing values`);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A timed child's report: {secondsPerIteration, cpuSecondsPerIteration, logLikelihood | history}. */
function readTimed(report: Record<string, unknown>, hi: number): Timed | undefined {
  const s = num(report.secondsPerIteration);
  if (s === undefined) return undefined;
  const history = Array.isArray(report.history) ? (report.history as unknown[]) : undefined;
  const ll = num(report.logLikelihood) ?? (history ? num(history[hi]) : undefined);
  const cpu = num(report.cpuSecondsPerIteration);
  return { secondsPerIteration: s, ...(cpu !== undefined ? { cpuSecondsPerIteration: cpu } : {}), ...(ll !== undefined ? { logLikelihood: ll } : {}) };
}

/** Fewest iterations a converged run must be allowed to be worth running. */
export const MIN_CONVERGE_CAP = 50;
/** Most iterations a converged run is allowed. */
export const MAX_CONVERGE_CAP = 1000;

/**
 * The iteration cap of a converged run: as many iterations as fit in the budget at the measured
 * seconds per iteration (at most MAX_CONVERGE_CAP); undefined (shown as "-") when fewer than
 * MIN_CONVERGE_CAP fit: such a run would mostly say "not converged within the budget".
 */
export function convergeCap(secondsPerIteration: number, budgetSeconds: number): number | undefined {
  if (!(budgetSeconds > 0) || !(secondsPerIteration > 0)) return undefined;
  const cap = Math.min(MAX_CONVERGE_CAP, Math.floor(budgetSeconds / secondsPerIteration));
  return cap >= MIN_CONVERGE_CAP ? cap : undefined;
}

async function runTool(ctx: SuiteContext, c: BenchCase, tool: string, ours: boolean, cmds: ToolCommands, regularization?: number, converge = true): Promise<ToolRow> {
  const o = ctx.options;
  const notes: string[] = [];
  const base = { caseName: c.name, caseLabel: c.label, tool, ours, ...(regularization !== undefined ? { regularization } : {}) };
  ctx.log(`  ${tool}: timed (iterations ${o.lo}..${o.hi}) ...`);
  const timedOutcome = await runChild(cmds.timed, { env: cmds.env, timeoutSeconds: o.timeoutSeconds });
  if ('error' in timedOutcome) {
    ctx.log(`  ${tool}: ${timedOutcome.error}`);
    return { ...base, status: timedOutcome.error.startsWith('not installed') ? timedOutcome.error : `failed: ${timedOutcome.error}`, convergence: '-', notes };
  }
  let timed = readTimed(timedOutcome.ok, o.hi);
  if (timed !== undefined && cmds.timedUnregularized) {
    const r = await runChild(cmds.timedUnregularized, { env: cmds.env, timeoutSeconds: o.timeoutSeconds });
    const ll = 'ok' in r ? num(r.ok.logLikelihood) : undefined;
    if (ll !== undefined) timed = { ...timed, logLikelihoodUnregularized: ll };
    else notes.push(`the run without regularization failed: ${'error' in r ? r.error : 'no log-likelihood'}`);
  }
  if (timed === undefined) return { ...base, status: `failed: no timing in ${JSON.stringify(timedOutcome.ok).slice(0, 200)}`, convergence: '-', notes };
  if (Array.isArray(timedOutcome.ok.warnings)) notes.push(...(timedOutcome.ok.warnings as string[]));
  if (typeof timedOutcome.ok.coretype === 'string') notes.push(`OpenBLAS core ${timedOutcome.ok.coretype}`);
  ctx.log(`  ${tool}: ${timed.secondsPerIteration.toFixed(4)} s/iter (CPU ${timed.cpuSecondsPerIteration?.toFixed(4) ?? '?'}), log-likelihood ${timed.logLikelihood ?? '?'}`);

  let convergence = '-';
  const cap = convergeCap(timed.secondsPerIteration, o.convergeBudget);
  if (cap !== undefined && cmds.converge && converge) {
    ctx.log(`  ${tool}: converging (at most ${cap} iterations) ...`);
    const r = await runChild(cmds.converge(cap, timed.logLikelihood ?? 0), { env: cmds.env, timeoutSeconds: o.timeoutSeconds });
    if ('error' in r) convergence = `failed: ${r.error}`;
    else {
      const iterations = num(r.ok.iterations);
      convergence = iterations === undefined ? '?' : r.ok.converged === true ? String(iterations) : `>${iterations}`;
    }
    ctx.log(`  ${tool}: iterations to convergence ${convergence}`);
  }

  ctx.log(`  ${tool}: end to end (${o.e2eIterations} iterations) ...`);
  const e2eOutcome = await runChild(cmds.e2e(timed.logLikelihood ?? 0), { env: cmds.env, timeoutSeconds: o.timeoutSeconds });
  let e2e: EndToEnd | undefined;
  if ('error' in e2eOutcome) notes.push(`end to end failed: ${e2eOutcome.error}`);
  else {
    const p = e2eOutcome.process;
    const ll = num(e2eOutcome.ok.logLikelihood);
    const iterations = num(e2eOutcome.ok.iterations);
    e2e = { wallSeconds: p.wallSeconds, ...(iterations !== undefined ? { iterations } : {}), ...(p.cpuSeconds !== undefined ? { cpuSeconds: p.cpuSeconds } : {}), ...(p.peakRssMb !== undefined ? { peakRssMb: p.peakRssMb } : {}), ...(ll !== undefined ? { logLikelihood: ll } : {}) };
    const read = num(e2eOutcome.ok.readSeconds);
    if (read !== undefined) notes.push(`end to end: read ${read.toFixed(1)} s with ${String(e2eOutcome.ok.reader ?? '?')}`);
    ctx.log(`  ${tool}: end to end ${p.wallSeconds.toFixed(1)} s wall, ${p.cpuSeconds?.toFixed(1) ?? '?'} s CPU, peak RSS ${p.peakRssMb?.toFixed(0) ?? '?'} MB`);
  }
  return { ...base, timed, convergence, ...(e2e ? { e2e } : {}), notes };
}

/** "ours (all cores)", "ours (1 thread)", "ours (2 threads)". */
export function oursLabel(threads: number): string {
  return `ours (${threads === 0 ? 'all cores' : `${threads} thread${threads === 1 ? '' : 's'}`})`;
}

export interface CaseResult {
  readonly benchCase: BenchCase;
  readonly rows: readonly ToolRow[];
  /** Said once for the case (under the table). */
  readonly notes: readonly string[];
}

/** Every row of one case: ours first, then each selected peer. */
export async function runCase(ctx: SuiteContext, c: BenchCase): Promise<CaseResult> {
  ctx.log(`${c.label} [${c.name}]: data ...`);
  const files = caseFiles(ctx, c);
  ctx.log(`  data ${basename(files.csv)}`);
  const rows: ToolRow[] = [];
  // our rows: the first is what every peer is compared with; the others converge as it does (same path), so they skip that run
  for (const [i, threads] of ctx.options.threads.entries()) {
    rows.push(await runTool(ctx, c, oursLabel(threads), true, oursCommands(ctx, files, threads), undefined, i === 0));
  }
  for (const peer of ctx.options.peers) {
    const role = peerRole(c, peer, ctx.options.withSlow);
    if (role === undefined) continue;
    const version = ctx.installed[peer];
    const tool = version ? `${peer} ${version}` : peer;
    const base = { caseName: c.name, caseLabel: c.label, tool, ours: false, convergence: '-', notes: [] };
    if (version === undefined) rows.push({ ...base, status: 'not installed (bench/install-peers.sh)' });
    else if (role.role === 'skipped') rows.push({ ...base, status: role.why });
    else if (role.role === 'refuses') {
      if (c.kind !== 'gmm') throw new Error('only Gaussian mixtures have a refusing peer');
      ctx.log(`  ${tool}: missing values ...`);
      const r = await runChild(refusalCommand(ctx, c, files, peer), { env: peerEnvironment(), timeoutSeconds: ctx.options.timeoutSeconds });
      const status = 'error' in r ? r.error : `accepted the blank cells: ${JSON.stringify(r.ok).slice(0, 200)}`;
      ctx.log(`  ${tool}: ${status}`);
      rows.push({ ...base, status });
    } else rows.push(await runTool(ctx, c, tool, false, peerCommands(ctx, c, files, peer), c.kind === 'gmm' ? PEER_REGULARIZATION[peer] : undefined));
  }
  const notes = [files.e2eFromSharedStart ? 'end to end from the shared start (as the timed runs)' : 'end to end from each tool\'s own start: ours and scikit-learn k-means++, pomegranate k-means++ and one k-means step, mclust hierarchical clustering of a 2,000-row subset'];
  return { benchCase: c, rows, notes };
}
