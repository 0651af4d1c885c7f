// The parts of the parallel E-step: shared data (one copy, aliases kept, plain data only), the
// chunk plan (contiguous, balanced by work, no chunks for small data), the reduction tree (the
// same bits for every split of the chunks), the family rebuilt from the model file in a thread,
// the pooled E-step against the in-thread one, an error in the one block a thread holds, a
// thread that dies, and the thread count.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { familyFor, prepareFit } from '../../src/engine/registry';
import type { UnitRange } from '../../src/engine/family';
import { Rng } from '../../src/engine/rng';
import { loadModelFile, readOptionsFor } from '../../src/worker/fitJob';
import { readDataset } from '../../src/data/csvReader';
import fc from 'fast-check';
import { EStepPool, liveEStepThreads, resolveThreadCount } from '../../src/worker/estepPool';
import { chunkedExecutor } from '../../src/worker/chunkedExecutor';
import { FitThreads } from '../../src/worker/fitThreads';
import { coverNodes, nodeKey, reduceBlock, reduceNode } from '../../src/worker/chunkTree';
import { isShared, NotPlainDataError, shareTypedArrays } from '../../src/worker/sharedData';
import { assignChunks, MAX_CHUNKS, MIN_CHUNK_WORK, planChunks, unitCosts, type UnitCosts } from '../../src/worker/shardPlan';
import { InputError } from '../../src/shared/errors';
import type { HmmData } from '../../src/engine/hmm/hmmData';
import type { BayesNetData } from '../../src/engine/bayesnet/types';
import { gaussianMixtureCase, hmmCase, impossibleLastSequenceCase, latentClassCase, scratchFolder, smallLatentClassCase } from './poolTestData';

const scratch = scratchFolder();
after(() => scratch.remove());

async function prepared(modelPath: string) {
  const model = await loadModelFile(modelPath);
  const dataset = await readDataset(model.data.path, readOptionsFor(model));
  return { model, ...prepareFit(model, dataset) };
}

/** The three families' test cases, written and prepared once for this file. */
const families = (() => {
  let cached: Promise<Awaited<ReturnType<typeof prepared>>[]> | undefined;
  return () => (cached ??= Promise.all([gaussianMixtureCase(scratch.dir), latentClassCase(scratch.dir), hmmCase(scratch.dir)].map(prepared)));
})();

test('shareTypedArrays: large arrays move to shared memory once; views, aliases and small arrays keep their shape', () => {
  const big = new Float64Array(20_000).map((_, i) => i * 0.5);
  const backing = new Int32Array(40_000).map((_, i) => i);
  const left = backing.subarray(0, 20_000);
  const right = backing.subarray(20_000);
  const already = new Float64Array(new SharedArrayBuffer(8 * 10_000));
  const small = new Float64Array([1, 2, 3]);
  const inner = { big, note: 'x' };
  const data = { inner, again: inner, list: [left, right, 7, 'y', null, undefined], already, small, flag: true };
  const shared = shareTypedArrays(data);

  assert.notEqual(shared, data);
  assert.equal(shared.again, shared.inner, 'an object reached twice is copied once');
  assert.ok(isShared(shared.inner.big));
  assert.deepEqual(Array.from(shared.inner.big), Array.from(big));
  assert.ok(!isShared(big), 'the input is not modified');
  const [l, r] = shared.list as Int32Array[];
  assert.ok(isShared(l) && isShared(r));
  assert.equal(l.buffer, r.buffer, 'views on one buffer stay views on one shared buffer');
  assert.equal(r.byteOffset, right.byteOffset);
  assert.equal(r[0], 20_000);
  assert.deepEqual(shared.list.slice(2), [7, 'y', null, undefined]);
  assert.equal(shared.already, already, 'an array already on shared memory is kept, not copied');
  assert.equal(shared.small, small, 'small arrays are kept by reference');
  assert.equal(shared.flag, true);
});

test('shareTypedArrays refuses what is not plain data, naming where it is', () => {
  class Box {
    constructor(readonly v: number) {}
  }
  assert.throws(() => shareTypedArrays({ a: { b: [1, new Box(2)] } }), (e: unknown) => e instanceof NotPlainDataError && e.path === 'data.a.b[1]' && /Box/.test(e.message));
  assert.throws(() => shareTypedArrays({ f: () => 1 }), (e: unknown) => e instanceof NotPlainDataError && e.path === 'data.f');
  assert.throws(() => shareTypedArrays({ m: new Map() }), NotPlainDataError);
});

test('every family\'s prepared data is plain data, and its E-step on the shared copy is the same', async () => {
  for (const p of await families()) {
    const shared = shareTypedArrays(p.data, 1024);
    const params = p.family.initialize(p.data, new Rng(5));
    assert.deepEqual(p.family.eStep(shared, params), p.family.eStep(p.data, params), p.model.model.kind);
  }
});

test('familyFor rebuilds, from the model file alone, a family whose E-step matches prepareFit\'s', async () => {
  for (const p of await families()) {
    const rebuilt = familyFor(p.model);
    assert.equal(rebuilt.kind, p.family.kind);
    const params = p.family.initialize(p.data, new Rng(6));
    const range: UnitRange = { start: 1, end: Math.max(2, p.family.units(p.data) >> 1) };
    assert.deepEqual(rebuilt.eStep(p.data, params, range), p.family.eStep(p.data, params, range), p.model.model.kind);
  }
});

function costsOf(costs: readonly number[]): UnitCosts {
  return { units: costs.length, cost: (u) => costs[u] };
}

function assertCovers(ranges: readonly UnitRange[], n: number): void {
  assert.equal(ranges[0].start, 0);
  assert.equal(ranges[ranges.length - 1].end, n);
  for (let i = 0; i < ranges.length; i++) {
    assert.ok(ranges[i].end > ranges[i].start, 'non-empty');
    if (i > 0) assert.equal(ranges[i].start, ranges[i - 1].end, 'contiguous');
  }
}

test('planChunks: contiguous chunks of about equal work; none when the work is small or cannot be split', () => {
  const uniform = planChunks(costsOf(new Array(640_000).fill(1)));
  assertCovers(uniform, 640_000);
  assert.equal(uniform.length, MAX_CHUNKS);
  assert.ok(uniform.every((r) => r.end - r.start === 10_000));
  // just above the threshold: a few chunks of at least MIN_CHUNK_WORK, not 64 tiny ones
  const few = planChunks(costsOf(new Array(12_000).fill(1)));
  assert.deepEqual(few.map((r) => r.end - r.start), new Array(Math.floor(12_000 / MIN_CHUNK_WORK)).fill(12_000 / Math.floor(12_000 / MIN_CHUNK_WORK)));

  // unequal units: chunks balance the work, not the count
  const lengths = [...new Array(10).fill(5_000), ...new Array(100).fill(500)]; // 50,000 + 50,000
  const two = planChunks(costsOf(lengths), 10_000, 2);
  assert.equal(planChunks(costsOf(lengths)).length, 40, '100,000 / MIN_CHUNK_WORK');
  assert.deepEqual(two, [{ start: 0, end: 10 }, { start: 10, end: 110 }]);

  // zero-cost units (patterns that carry no weight) carry no work
  const zeros = planChunks(costsOf([...new Array(1000).fill(0), ...new Array(20_000).fill(1)]), 10_000, 2);
  assert.deepEqual(zeros, [{ start: 0, end: 11_000 }, { start: 11_000, end: 21_000 }]);

  assert.deepEqual(planChunks(costsOf(new Array(9_999).fill(1))), [{ start: 0, end: 9_999 }], 'below MIN_POOLED_WORK');
  assert.deepEqual(planChunks(costsOf([100_000])), [{ start: 0, end: 1 }], 'one unit');
  assert.deepEqual(planChunks(costsOf([100_000, 0, 0])), [{ start: 0, end: 3 }], 'one costly unit');
  assert.equal(planChunks(costsOf([40_000, 40_000, 40_000])).length, 3, 'never more chunks than units with work');
  assert.equal(planChunks(costsOf(new Array(10_000).fill(1)), 10_000, 64, 10_000).length, 2, 'at least two chunks');
});

test('assignChunks: one contiguous block per thread, whole chunks dealt out evenly, never more blocks than chunks', () => {
  assert.deepEqual(assignChunks(64, 1), [{ start: 0, end: 64 }]);
  assert.deepEqual(assignChunks(64, 2), [{ start: 0, end: 32 }, { start: 32, end: 64 }]);
  assert.deepEqual(assignChunks(64, 3).map((b) => b.end - b.start), [21, 21, 22]);
  assert.equal(assignChunks(3, 8).length, 3);
  for (const [c, t] of [[64, 5], [17, 4], [2, 2]]) assertCovers(assignChunks(c, t), c);
});

/** A stand-in E-step output whose sums depend on the order of addition: values of very different magnitudes. */
function leafOutput(chunk: number): { logLikelihood: number; stats: Float64Array } {
  const rng = new Rng(1000 + chunk);
  const stats = Float64Array.from({ length: 5 }, () => (rng.next() - 0.5) * 10 ** rng.int(17));
  return { logLikelihood: -(rng.next() * 10 ** rng.int(12)), stats };
}
const addInto = (a: Float64Array, b: Float64Array): Float64Array => {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
};

test('the reduction tree gives the same bits for every split of the chunks into blocks', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }), (count, threads) => {
      const whole = reduceNode({ lo: 0, hi: count }, leafOutput, addInto);
      const known = new Map<string, { logLikelihood: number; stats: Float64Array }>();
      for (const block of assignChunks(count, threads)) {
        const nodes = reduceBlock(count, block, leafOutput, addInto);
        // the cover nodes partition the block, in order
        assert.deepEqual(nodes.map((n) => [n.lo, n.hi]), coverNodes(count, block).map((n) => [n.lo, n.hi]));
        assert.equal(nodes[0].lo, block.start);
        assert.equal(nodes[nodes.length - 1].hi, block.end);
        for (const n of nodes) known.set(nodeKey(n), n);
      }
      const split = reduceNode({ lo: 0, hi: count }, () => assert.fail('every chunk is in a block'), addInto, known);
      assert.equal(split.logLikelihood, whole.logLikelihood);
      assert.deepEqual(split.stats, whole.stats);
    }),
    { numRuns: 150 },
  );
  // and the order matters at all with these values (else the test would prove nothing)
  const a = leafOutput(1).stats;
  const sequential = addInto(addInto(addInto(leafOutput(0).stats, leafOutput(1).stats), leafOutput(2).stats), leafOutput(3).stats);
  const paired = addInto(addInto(leafOutput(0).stats, a), addInto(leafOutput(2).stats, leafOutput(3).stats));
  assert.notDeepEqual(sequential, paired);
});

test('unitCosts: HMM sequences cost their length; the chunks split the test chain by steps', async () => {
  const p = (await families())[2];
  const data = p.data as HmmData;
  const costs = unitCosts('hmm', data);
  assert.equal(costs.units, data.sequences.count);
  assert.equal(costs.cost(3), data.sequences.offsets[4] - data.sequences.offsets[3]);
  const chunks = planChunks(costs, 10_000, 2);
  assertCovers(chunks, data.sequences.count);
  const steps = (r: UnitRange) => data.sequences.offsets[r.end] - data.sequences.offsets[r.start];
  const longest = Math.max(...Array.from({ length: data.sequences.count }, (_, s) => costs.cost(s)));
  assert.ok(Math.abs(steps(chunks[0]) - steps(chunks[1])) <= 2 * longest, `${steps(chunks[0])} vs ${steps(chunks[1])} steps`);
});

test('unitCosts: a latent-class pattern costs K x (column groups + 3) / 12 row-equivalents, so issue 7\'s shape stays unpooled', async () => {
  const p = await prepared(smallLatentClassCase(scratch.dir));
  const data = p.data as BayesNetData;
  const costs = unitCosts('latent-class', data);
  assert.equal(costs.units, data.patterns.counts.length);
  assert.ok(costs.units > 400 && costs.units <= 576, `${costs.units} patterns`);
  // 6 columns of 2, 3, 4, 2, 3, 4 levels: groups of 48 and 12 combinations, K = 3
  for (let u = 0; u < costs.units; u++) assert.equal(costs.cost(u), (3 * (2 + 3)) / 12);
  assert.deepEqual(planChunks(costs), [{ start: 0, end: costs.units }]);
});

test('the pooled E-step equals the chunked one in this thread to the bit, and the unchunked one to rounding', async () => {
  for (const p of await families()) {
    const shared = shareTypedArrays(p.data);
    const chunks = planChunks(unitCosts(p.family.kind, shared));
    assert.ok(chunks.length > 2, p.model.model.kind);
    const pool = new EStepPool(2);
    try {
      const pooled = chunkedExecutor(p.family, shared, chunks, { pool, recipe: { model: p.model }, threads: 3 });
      const here = chunkedExecutor(p.family, p.data, chunks);
      const rng = new Rng(9);
      for (let i = 0; i < 2; i++) {
        const params = p.family.initialize(p.data, rng);
        const out = await pooled.eStep(params);
        assert.deepEqual(out, await here.eStep(params), p.model.model.kind);
        const whole = p.family.eStep(p.data, params);
        assert.ok(Math.abs(out.logLikelihood - whole.logLikelihood) <= 1e-12 * Math.abs(whole.logLikelihood), `${p.model.model.kind}: ${out.logLikelihood} vs ${whole.logLikelihood}`);
      }
    } finally {
      await pool.close();
    }
  }
  assert.equal(liveEStepThreads(), 0);
});

test('an E-step that fails in the one block a pool thread holds rejects with that error', async () => {
  const p = await prepared(impossibleLastSequenceCase(scratch.dir));
  const shared = shareTypedArrays(p.data);
  const chunks = planChunks(unitCosts(p.family.kind, shared));
  const blocks = assignChunks(chunks.length, 3);
  const last = blocks[2];
  assert.ok(chunks[last.start].start <= 99 && chunks[last.end - 1].end === 100, 'the impossible last sequence is in block 2, a pool thread\'s');
  const pool = new EStepPool(2);
  try {
    const executor = chunkedExecutor(p.family, shared, chunks, { pool, recipe: { model: p.model }, threads: 3 });
    await assert.rejects(
      async () => executor.eStep(p.initialParameters),
      (e: unknown) => e instanceof InputError && /sequence "s99" has probability 0/.test(e.message) && e.file === p.model.file,
    );
    // the pool still answers after a failed shard
    const fine = p.family.initialize(p.data, new Rng(1));
    const out = await executor.eStep(fine);
    assert.ok(Number.isFinite(out.logLikelihood));
  } finally {
    await pool.close();
  }
});

test('a pool thread that dies rejects its E-step and breaks the pool; close() leaves no thread', async () => {
  const entry = join(scratch.dir, 'dies.js');
  writeFileSync(entry, 'process.exit(3);\n');
  const pool = new EStepPool(1, { entry });
  try {
    await assert.rejects(pool.eStep(0, 1, {}, { start: 0, end: 1 }), /E-step thread stopped unexpectedly \(exit code 3\)/);
    await assert.rejects(pool.eStep(0, 1, {}, { start: 0, end: 1 }), /exit code 3/);
  } finally {
    await pool.close();
  }
  assert.equal(liveEStepThreads(), 0);
  await assert.rejects(pool.eStep(0, 1, {}, { start: 0, end: 1 }), /closed/);
});

test('without the built thread entry a fit still runs, chunked in one thread (the same bits), and says so', async () => {
  const p = (await families())[0];
  const missing = new FitThreads(2, { entry: join(scratch.dir, 'not-built', 'estep-worker.js') });
  const built = new FitThreads(2);
  try {
    const alone = missing.plan(p.family, p.data, { model: p.model });
    assert.equal(alone.threads, 1);
    assert.match(alone.warning ?? '', /the E-step ran in one thread: .*not built/);
    const pooled = built.plan(p.family, p.data, { model: p.model });
    assert.equal(pooled.threads, 2);
    assert.equal(pooled.warning, undefined);
    const params = p.family.initialize(p.data, new Rng(4));
    assert.ok(alone.executor && pooled.executor);
    assert.deepEqual(await alone.executor.eStep(params), await pooled.executor.eStep(params));
  } finally {
    await missing.close();
    await built.close();
  }
  assert.equal(liveEStepThreads(), 0);
});

test('thread count: fit.threads when positive, else every available core', () => {
  assert.equal(resolveThreadCount(3), 3);
  assert.equal(resolveThreadCount(1), 1);
  assert.equal(resolveThreadCount(0), availableParallelism());
});
