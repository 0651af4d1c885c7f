/**
 * Our side of one benchmark row, in a fresh process: the fit job the CLI and the extension run
 * (src/worker/fitJob.ts runFitJob: model file, dataset reader, prepareFit, the E-step thread
 * pool, the EM driver), with the driver's progress callback as the clock. Prints one JSON line.
 *
 *   node oursFit.js time MODEL.em.json LO HI THREADS
 *     HI iterations with no tolerance stop (tolerance 0: only a fall would stop it); seconds per
 *     iteration = (stamp after iteration HI - stamp after iteration LO) / (HI - LO), wall and
 *     CPU (process.cpuUsage: every thread of the process, the pool's included), so reading the
 *     file, preparing and starting threads do not count; the log-likelihood after HI iterations.
 *   node oursFit.js converge MODEL.em.json TOLERANCE CAP THREADS
 *     iterations until the gain per row falls below TOLERANCE, at most CAP.
 */
import { runFitJob } from '../../src/worker/fitJob';

interface Stamp {
  readonly wall: number; // ms, performance.now()
  readonly cpu: number; // ms, user + system of the process
}

function now(): Stamp {
  const c = process.cpuUsage();
  return { wall: performance.now(), cpu: (c.user + c.system) / 1000 };
}

async function time(model: string, lo: number, hi: number, threads: number): Promise<Record<string, unknown>> {
  const stamps: Stamp[] = []; // stamps[t]: after the E-step under the parameters of iteration t
  const t0 = now();
  const { result } = await runFitJob(model, { maxIterations: hi, tolerance: 0, threads, onProgress: () => stamps.push(now()) });
  // A fixed point (no gain at all) stops even tolerance 0: time the iterations that ran.
  const last = Math.min(hi, result.iterations);
  if (last <= lo) throw new Error(`the fit stopped after ${result.iterations} of ${hi} iterations (${result.stopReason}): nothing to time`);
  const warnings = [...(result.warnings ?? []), ...(last < hi ? [`a fixed point after ${last} iterations: ${lo}..${last} timed, log-likelihood after ${last}`] : [])];
  return {
    secondsPerIteration: (stamps[last].wall - stamps[lo].wall) / (last - lo) / 1000,
    cpuSecondsPerIteration: (stamps[last].cpu - stamps[lo].cpu) / (last - lo) / 1000,
    // reading, checking, preparing, starting the pool, and the E-step at the start
    secondsToFirstEStep: (stamps[0].wall - t0.wall) / 1000,
    logLikelihood: result.history[last],
    iterations: result.iterations,
    ...(warnings.length ? { warnings } : {}),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function converge(model: string, tolerance: number, cap: number, threads: number): Promise<Record<string, unknown>> {
  const { result } = await runFitJob(model, { maxIterations: cap, tolerance, threads });
  return { iterations: result.iterations, converged: result.stopReason === 'tolerance', stopReason: result.stopReason, logLikelihood: result.logLikelihood, seconds: result.seconds };
}

async function main(argv: readonly string[]): Promise<void> {
  const [mode, model, a, b, threads] = argv;
  const report = mode === 'time' ? await time(model, Number(a), Number(b), Number(threads)) : mode === 'converge' ? await converge(model, Number(a), Number(b), Number(threads)) : undefined;
  if (report === undefined) throw new Error('usage: oursFit.js time MODEL LO HI THREADS | converge MODEL TOLERANCE CAP THREADS');
  process.stdout.write(JSON.stringify(report) + '\n');
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stdout.write(JSON.stringify({ error: `ours failed: ${e instanceof Error ? e.message : String(e)}` }) + '\n');
  process.exitCode = 1;
});
