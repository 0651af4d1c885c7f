// Seconds per Baum-Welch iteration, ours vs pomegranate 0.14, on one sequence of 100,000 steps
// (3-state Gaussian HMM, 2-D full covariances; and the 4-symbol categorical HMM), from the same
// initial parameters on the same generated data; also checks the 100,000-step log-likelihood
// histories against test/fixtures/hmm/pomegranate-histories.json.
//
//   node scripts/build.mjs && node out/bench/hmm/hmmBench.js [iterations]
//
// One iteration = one M-step + one E-step over all sequences (pomegranate's epoch: from_summaries
// + summarize). Ours runs in this thread (no worker pool), as pomegranate runs with n_jobs=1.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { prepareHmm } from '../../src/engine/hmm/prepareHmm';
import type { HmmParameters } from '../../src/engine/hmm/hmmParameters';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS, type ModelFile } from '../../src/shared/modelSpec';
import { generatePeerData, loadPeerFixture, type PeerCase } from './peerData';

const root = join(__dirname, '..', '..', '..');
const fixture = loadPeerFixture(root);
const iterations = Number(process.argv[2] ?? 10);

interface Timing {
  /** Wall-clock seconds per iteration. */
  readonly secondsPerIteration: number;
  /** CPU seconds of the process per iteration: steadier than wall time on a shared machine. */
  readonly cpuSecondsPerIteration: number;
  readonly history: number[];
}

function ours(c: PeerCase): Timing {
  const { dataset } = generatePeerData(fixture, c);
  const model: ModelFile = {
    file: 'bench.em.json',
    name: c.name,
    data: { path: dataset.file, missing: DEFAULT_MISSING_TOKENS, sequence: 'seq' },
    model: { kind: 'hmm', states: 3, emission: c.emission, covariance: 'full', prior: c.pseudocount },
    init: c.emission === 'gaussian' ? fixture.gaussian.init : fixture.categorical.init,
    fit: { ...DEFAULT_FIT, init: 'given', regularization: 0 },
  };
  const { family, data, initialParameters } = prepareHmm(model, dataset);
  let params = initialParameters as HmmParameters;
  let out = family.eStep(data, params); // at the initial parameters (as pomegranate's epoch 0)
  const history = [out.logLikelihood];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let t = 0; t < iterations; t++) {
    params = family.mStep(out.stats, params, data);
    out = family.eStep(data, params);
    history.push(out.logLikelihood);
  }
  const cpu = process.cpuUsage(cpu0);
  return { secondsPerIteration: (performance.now() - t0) / 1000 / iterations, cpuSecondsPerIteration: (cpu.user + cpu.system) / 1e6 / iterations, history };
}

function pomegranate(c: PeerCase): Timing {
  const r = spawnSync('/usr/bin/python3', [join(root, 'bench/hmm/pomegranate_hmm.py'), 'time', c.name, String(iterations)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pomegranate_hmm.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Timing;
}

function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.abs(b[i]));
  return m;
}

console.log(`HMM Baum-Welch, ${iterations} iterations, 3 states, one thread each; pomegranate ${fixture.pomegranate}`);
console.log('ratio = pomegranate / ours (above 1: we are faster); CPU = process CPU seconds, wall = elapsed seconds');
console.log('case                     ours CPU s/iter  pomegranate CPU s/iter  ratio CPU   ours wall  pomegranate wall  ratio wall  max rel. diff of log-likelihoods');
for (const name of ['gaussian-1x100000', 'categorical-1x100000']) {
  const c = fixture.cases.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no fixture case ${name}`);
  const a = ours(c);
  const b = pomegranate(c);
  const fixtureDiff = maxRelativeDifference(a.history, c.history);
  const liveDiff = maxRelativeDifference(a.history, b.history);
  const f = (x: number, w: number): string => x.toFixed(4).padStart(w);
  console.log(
    `${name.padEnd(25)}${f(a.cpuSecondsPerIteration, 15)}  ${f(b.cpuSecondsPerIteration, 22)}  ${(b.cpuSecondsPerIteration / a.cpuSecondsPerIteration).toFixed(2).padStart(9)}   ${f(a.secondsPerIteration, 9)}  ${f(b.secondsPerIteration, 16)}  ${(b.secondsPerIteration / a.secondsPerIteration).toFixed(2).padStart(10)}  ${Math.max(fixtureDiff, liveDiff).toExponential(2).padStart(12)}`,
  );
  if (fixtureDiff > 1e-6 || liveDiff > 1e-6) {
    console.error(`${name}: log-likelihoods differ from pomegranate's by ${Math.max(fixtureDiff, liveDiff)} relative (> 1e-6)`);
    process.exitCode = 1;
  }
}
