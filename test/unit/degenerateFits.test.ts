// Degenerate fits, engine level (runFitJob on small files written to a temporary folder): more
// components than distinct rows, a component that loses all its points, zero-variance and
// constant columns, probabilities that reach 0 while an observation needs them, perfectly
// separated data, a single row, an all-missing column. Each must end in a finite result with
// a warning that names the problem, or an InputError that says what to change: never NaN or
// Infinity in the result or the posteriors, never an endless loop (every fit is bounded by
// maxIterations, and each test by a timeout).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFitJob, type FitJobOutput } from '../../src/worker/fitJob';
import { InputError } from '../../src/shared/errors';
import type { BayesNetParametersJSON, GaussianMixtureParametersJSON, HmmParametersJSON } from '../../src/shared/results';

const dir = mkdtempSync(join(tmpdir(), 'emw-degenerate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MAX_ITERATIONS = 200;
let counter = 0;

/** Writes `csv` and a model file naming it; returns the model file's path. */
function modelFile(csv: string, model: object, fit: object = {}, data: object = {}): string {
  const n = counter++;
  writeFileSync(join(dir, `d${n}.csv`), csv);
  const path = join(dir, `m${n}.em.json`);
  writeFileSync(path, JSON.stringify({ data: { path: `d${n}.csv`, ...data }, model, fit: { maxIterations: MAX_ITERATIONS, ...fit } }));
  return path;
}

/** Every number in `value` (a result, parameters), with its path. */
function numbersIn(value: unknown, path = '$', out: [string, number][] = []): [string, number][] {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => numbersIn(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbersIn(v, `${path}.${k}`, out);
  return out;
}

/** The fit ends, every number of its result and posteriors is finite, and EM stayed within its bound. */
function assertFinite(job: FitJobOutput): void {
  const bad = numbersIn(job.result).filter(([, v]) => !Number.isFinite(v));
  assert.deepEqual(bad, [], 'NaN or Infinity in the result');
  assert.ok(job.result.iterations <= MAX_ITERATIONS);
  for (const r of job.result.restarts) assert.ok(r.iterations <= MAX_ITERATIONS);
  for (let i = 0; i < job.posteriors.rowCount; i++) {
    for (const v of job.posteriors.row(i)) if (typeof v === 'number') assert.ok(Number.isFinite(v), `posterior row ${i}: ${v}`);
  }
  // the log-likelihood never fell (beyond rounding) over the kept start
  const h = job.result.history;
  for (let t = 1; t < h.length; t++) assert.ok(h[t] >= h[t - 1] - 1e-9 * Math.max(1, Math.abs(h[t - 1])), `fell at iteration ${t}: ${h[t - 1]} -> ${h[t]}`);
}

function assertWarning(job: FitJobOutput, re: RegExp): void {
  assert.ok((job.result.warnings ?? []).some((w) => re.test(w)), `no warning matching ${re} in ${JSON.stringify(job.result.warnings)}`);
}

async function assertInputError(path: string, re: RegExp): Promise<void> {
  await assert.rejects(runFitJob(path), (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.match(e.message, re);
    assert.doesNotMatch(e.message, /[\r\n]/);
    return true;
  });
}

const TIMEOUT = { timeout: 30_000 };
const COVARIANCES = ['full', 'diag', 'spherical', 'tied'] as const;

describe('more components than distinct rows', () => {
  // 6 rows, 2 distinct points
  const twoPoints = 'x,y\n1,1\n1,1\n2,2\n2,2\n1,1\n2,2\n';
  for (const covariance of COVARIANCES) {
    it(`gaussian-mixture, K = 4, ${covariance}: finite, with warnings about the empty or collapsed components`, TIMEOUT, async () => {
      const job = await runFitJob(modelFile(twoPoints, { kind: 'gaussian-mixture', components: 4, covariance }, { restarts: 3 }));
      assertFinite(job);
      assertWarning(job, covariance === 'tied' ? /is empty|singular/ : /is empty|collapsed/);
      assertWarning(job, /Try fewer components/);
      const p = job.result.parameters as GaussianMixtureParametersJSON;
      assert.ok(Math.abs(p.weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    });
  }
  it('gaussian-mixture with more components than rows: an InputError that says to use fewer', TIMEOUT, async () => {
    await assertInputError(modelFile('x\n1\n2\n3\n', { kind: 'gaussian-mixture', components: 5 }), /5 components need at least 5 rows.*use fewer components/);
  });
  it('latent-class, 5 classes on 2 distinct rows: finite, with a warning that the classes are not identified', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('A,B\na,x\na,x\nb,y\nb,y\na,x\n', { kind: 'latent-class', classes: 5, columns: ['A', 'B'] }, { restarts: 3 }));
    assertFinite(job);
    assertWarning(job, /5 states but the data hold only 2 distinct rows.*use at most 2/);
    // the fitted distribution of the observed rows is still the empirical one: P(a,x) = 3/5, P(b,y) = 2/5
    assert.ok(Math.abs(job.result.logLikelihood - (3 * Math.log(3 / 5) + 2 * Math.log(2 / 5))) < 1e-6, String(job.result.logLikelihood));
  });
});

describe('a component that loses all its points', () => {
  const cluster = 'x,y\n0,0\n0.1,0\n0,0.1\n0.1,0.1\n0.05,0.02\n';
  it('gaussian-mixture started with a component far from every row: finite, that component reported empty', TIMEOUT, async () => {
    const job = await runFitJob(
      modelFile(cluster, { kind: 'gaussian-mixture', components: 2, covariance: 'full' }, { init: { weights: [0.5, 0.5], means: [[0, 0], [1000, 1000]], covariances: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] } }),
    );
    assertFinite(job);
    assertWarning(job, /is empty: it holds .* of 5 rows' weight/);
  });
  it('hmm started with a state that no row can reach: finite', TIMEOUT, async () => {
    const job = await runFitJob(
      modelFile(cluster, { kind: 'hmm', states: 2, covariance: 'diag' }, { init: { startProbabilities: [1, 0], transitions: [[1, 0], [0.5, 0.5]], emission: { means: [[0, 0], [1000, 1000]], covariances: [[1, 1], [1, 1]] } } }),
    );
    assertFinite(job);
    const p = job.result.parameters as HmmParametersJSON;
    assert.deepEqual(p.startProbabilities, [1, 0]);
  });
  it('hmm started with a state that no row can reach: a warning names the unused state', TIMEOUT, async () => {
    const job = await runFitJob(
      modelFile(cluster, { kind: 'hmm', states: 2, covariance: 'diag' }, { init: { startProbabilities: [1, 0], transitions: [[1, 0], [0.5, 0.5]], emission: { means: [[0, 0], [1000, 1000]], covariances: [[1, 1], [1, 1]] } } }),
    );
    assertWarning(job, /state 2 \(mean x=1000, y=1000\) is empty: its expected occupancy is 0 of 5 steps.*Try fewer states/);
  });
});

describe('zero variance', () => {
  const flatY = 'x,y\n1,5\n2,5\n3,5\n10,5\n11,5\n12,5\n';
  for (const covariance of COVARIANCES) {
    it(`gaussian-mixture, a constant column, ${covariance}: finite, the variance at the floor is reported`, TIMEOUT, async () => {
      const job = await runFitJob(modelFile(flatY, { kind: 'gaussian-mixture', components: 2, covariance }));
      assertFinite(job);
      // named either as the column (constant) or as the components whose variance along it is at the floor
      assertWarning(job, /column "y" is constant|(collapsed|singular): its variance along "y"/);
    });
  }
  it('gaussian-mixture, every value equal, K = 2: finite, an empty or collapsed component reported', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('x\n5\n5\n5\n5\n', { kind: 'gaussian-mixture', components: 2 }));
    assertFinite(job);
    assertWarning(job, /is empty|collapsed/);
  });
  it('hmm, a constant column: finite', TIMEOUT, async () => {
    assertFinite(await runFitJob(modelFile(flatY, { kind: 'hmm', states: 2 })));
    assertFinite(await runFitJob(modelFile('x\n5\n5\n5\n5\n', { kind: 'hmm', states: 2 })));
  });
  it('hmm, a constant column: the collapsed variance is reported', TIMEOUT, async () => {
    assertWarning(await runFitJob(modelFile('x\n5\n5\n5\n5\n', { kind: 'hmm', states: 2 })), /state 1 \(mean x=5\) collapsed: its variance along "x" is 0\.000001, about what the regularization adds.*Try fewer states/);
    // spherical is left out: one variance shared by x and y does not collapse with y alone
    for (const covariance of ['full', 'diag', 'tied'] as const) {
      assertWarning(await runFitJob(modelFile(flatY, { kind: 'hmm', states: 2, covariance })), /collapsed: its variance along "y"/);
    }
  });
});

describe('probabilities that reach 0 while an observation needs them', () => {
  const tutorial2 = 'A,B,#\n0,0,6\n0,1,1\n1,0,1\n1,1,4\n';
  const hidden = { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: {}, B: {} }, parents: { A: ['H'], B: ['H'] } };
  it('bayesnet: an initial CPT with 0 where a data row needs it: an InputError naming the row and the fix', TIMEOUT, async () => {
    const n = counter++;
    writeFileSync(join(dir, `d${n}.csv`), tutorial2);
    const path = join(dir, `m${n}.em.json`);
    writeFileSync(path, JSON.stringify({ data: { path: `d${n}.csv`, weight: '#' }, model: hidden, init: { H: [0.5, 0.5], A: { 'H=0': [1, 0], 'H=1': [1, 0] }, B: { 'H=0': [0.5, 0.5], 'H=1': [0.5, 0.5] } } }));
    await assertInputError(path, /init gives probability 0 to the data row A=1, B=0 \(d\d+\.csv line 4\): make the CPT cells it uses positive/);
  });
  it('bayesnet: a cell estimated 0 from the complete rows, needed by a dropped row: finite, empty posteriors for it, a warning', TIMEOUT, async () => {
    // A = c occurs only in a row whose B is missing: "drop" estimates P(A=c) = 0 from the rest
    const job = await runFitJob(modelFile('A,B\na,x\na,x\nb,y\nb,x\nc,?\na,y\n', { kind: 'bayesnet', variables: { A: {}, B: {} }, parents: { B: ['A'] } }, { missingData: 'drop' }, { missing: ['?'] }));
    assertFinite(job);
    const cpts = (job.result.parameters as BayesNetParametersJSON).cpts;
    assert.deepEqual(cpts.A.rows[''].map((p) => Number(p.toFixed(12))), [0.6, 0.4, 0]);
    assert.ok(cpts.B.rows['A=c'].every((p) => Number.isFinite(p)), 'the CPT row no data reach stays a distribution');
    assert.deepEqual(job.posteriors.row(4).filter((v) => v !== undefined), [], 'the dropped row has no posterior');
    assertWarning(job, /CPT cell is exactly 0 \(in A\)/);
    assertWarning(job, /1 of 6 rows have a missing cell and were left out/);
  });
  it('bayesnet fill-mode: a value the complete rows never saw is filled from the overall mode: finite, with a note', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('A,B\na,x\na,x\nb,y\nb,x\nc,?\na,y\n', { kind: 'bayesnet', variables: { A: {}, B: {} }, parents: { B: ['A'] } }, { missingData: 'fill-mode' }, { missing: ['?'] }));
    assertFinite(job);
    assertWarning(job, /had values never seen in the complete rows/);
  });
  it('hmm: an initial emission of 0 for a symbol a sequence needs: an InputError that says to make it positive', TIMEOUT, async () => {
    await assertInputError(
      modelFile(
        'seq,sky\n1,sun\n1,sun\n1,rain\n2,sun\n2,fog\n',
        { kind: 'hmm', states: 2, emission: 'categorical' },
        { init: { startProbabilities: [1, 0], transitions: [[1, 0], [0, 1]], emission: { symbols: ['sun', 'rain', 'fog'], probabilities: [[0.5, 0.5, 0], [0.2, 0.2, 0.6]] } } },
        { sequence: 'seq', columns: ['sky'] },
      ),
      /sequence "2" has probability 0 .*give every symbol a positive probability/,
    );
  });
  it('gaussian-mixture: an initial weight of 0: finite', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('x,y\n0,0\n1,1\n0.1,0\n0.9,1\n', { kind: 'gaussian-mixture', components: 2, covariance: 'spherical' }, { init: { weights: [1, 0], means: [[0, 0], [1, 1]], covariances: [1, 1] } }));
    assertFinite(job);
  });
});

describe('perfectly separated data', () => {
  it('gaussian-mixture: two tight, far clusters are found, finite', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('x,y\n0,0\n0.01,0\n0,0.01\n100,100\n100.01,100\n100,100.01\n', { kind: 'gaussian-mixture', components: 2 }));
    assertFinite(job);
    const p = job.result.parameters as GaussianMixtureParametersJSON;
    assert.deepEqual(p.weights.map((w) => Number(w.toFixed(9))), [0.5, 0.5]);
    const sortedX = p.means.map((m) => m[0]).sort((a, b) => a - b);
    assert.ok(Math.abs(sortedX[0] - 0.01 / 3) < 1e-6 && Math.abs(sortedX[1] - (100 + 0.01 / 3)) < 1e-6, String(sortedX));
  });
  it('latent-class: every item determined by the class: finite, the zero CPT cells reported', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('A,B,C\na,x,p\na,x,p\na,x,p\nb,y,q\nb,y,q\nb,y,q\n', { kind: 'latent-class', classes: 2, columns: ['A', 'B', 'C'] }));
    assertFinite(job);
    assert.ok(Math.abs(job.result.logLikelihood - 6 * Math.log(0.5)) < 1e-6, String(job.result.logLikelihood));
    assertWarning(job, /CPT cells are exactly 0/);
  });
});

describe('a single row', () => {
  it('gaussian-mixture, K = 1: finite, the collapsed covariance reported', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('x,y\n1.5,2\n', { kind: 'gaussian-mixture', components: 1 }));
    assertFinite(job);
    assertWarning(job, /collapsed/);
    const [mean] = (job.result.parameters as GaussianMixtureParametersJSON).means;
    assert.ok(Math.abs(mean[0] - 1.5) < 1e-9 && Math.abs(mean[1] - 2) < 1e-9, String(mean));
  });
  it('latent-class, 2 classes: finite, log-likelihood 0, a warning that 2 states cannot differ on 1 row', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('A,B\na,x\n', { kind: 'latent-class', classes: 2, columns: ['A', 'B'] }));
    assertFinite(job);
    assert.ok(Math.abs(job.result.logLikelihood) < 1e-9);
    assertWarning(job, /only 1 distinct row/);
  });
  it('hmm, 1 and 2 states: finite', TIMEOUT, async () => {
    assertFinite(await runFitJob(modelFile('x,y\n1.5,2\n', { kind: 'hmm', states: 1 })));
    assertFinite(await runFitJob(modelFile('x,y\n1.5,2\n', { kind: 'hmm', states: 2 })));
  });
});

describe('an all-missing column', () => {
  const xOnly = 'x,y\n1,\n2,\n3,\n10,\n';
  it('gaussian-mixture (columns by type or listed): an InputError that says to leave the column out', TIMEOUT, async () => {
    await assertInputError(modelFile(xOnly, { kind: 'gaussian-mixture', components: 2 }), /column "y" has no values \(every cell is missing\): list the columns to model in data.columns/);
    await assertInputError(modelFile(xOnly, { kind: 'gaussian-mixture', components: 2 }, {}, { columns: ['x', 'y'] }), /column "y" has no values .*leave it out of data.columns/);
  });
  it('hmm: an InputError that says to leave the column out', TIMEOUT, async () => {
    await assertInputError(modelFile(xOnly, { kind: 'hmm', states: 2 }, {}, { columns: ['x', 'y'] }), /column "y" has no values .*leave it out of data.columns/);
  });
  it('latent-class without declared states: an InputError that says to declare them', TIMEOUT, async () => {
    await assertInputError(modelFile('A,B\na,\nb,\na,\n', { kind: 'latent-class', classes: 2, columns: ['A', 'B'] }), /column "B" has no values \(every cell is missing\): declare the "states" of B/);
  });
  it('bayesnet with declared states: the column is marginalized, finite, B uniform', TIMEOUT, async () => {
    const job = await runFitJob(modelFile('A,B\na,\nb,\na,\n', { kind: 'bayesnet', variables: { A: {}, B: { states: ['x', 'y'] } }, parents: { B: ['A'] } }));
    assertFinite(job);
    assert.ok(Math.abs(job.result.logLikelihood - (2 * Math.log(2 / 3) + Math.log(1 / 3))) < 1e-9);
  });
});
