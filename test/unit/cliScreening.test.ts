// The command line's account of how each start was chosen: one line per screened start in the
// text output ("start: best of 10 k-means++ candidates after 10 EM iterations on ..."), the
// record itself in --json (restarts[r].screening), and nothing for starts that were not screened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatScreening } from '../../src/cli/format';
import type { FitResult, StartScreening } from '../../src/shared/results';
import { describeScreeningRows, distinguishingDecimals, groupDigits, rankScreening } from '../../src/shared/startScreening';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, process.env.EMW_DIST || 'dist', 'cli.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A screening record with the given final values (each candidate climbs by 1 per iteration to it). */
function record(finals: readonly number[], extra: Partial<StartScreening> & { repaired?: readonly number[] } = {}): StartScreening {
  const iterations = extra.iterations ?? 3;
  const candidates = finals.map((f, i) => ({
    logLikelihoods: Array.from({ length: iterations + 1 }, (_, t) => f - (iterations - t)),
    repaired: extra.repaired?.includes(i) ?? false,
  }));
  let chosen = -1;
  candidates.forEach((c, i) => {
    if (!c.repaired && (chosen < 0 || finals[i] > finals[chosen])) chosen = i;
  });
  return { method: 'kmeans++', sampleRows: 20000, sampleWeightedRows: 20000, sampled: true, iterations, candidates, chosen: Math.max(0, chosen), ...extra };
}

test('the phrase: candidates, iterations, the rows, the chosen value per row and the runner-up', () => {
  const s = record([-30000, -28400, -29000], { iterations: 10 });
  assert.equal(formatScreening(s), 'best of 3 k-means++ candidates after 10 EM iterations on 20,000 sampled rows (log-likelihood per row -1.42, next best -1.45)');
  assert.equal(describeScreeningRows({ ...s, sampled: false, sampleRows: 272, sampleWeightedRows: 272 }), 'all 272 rows');
  assert.equal(describeScreeningRows({ ...s, sampled: false, sampleRows: 400, sampleWeightedRows: 799 }), 'all 400 rows (799 by weight)');
  assert.equal(groupDigits(1234567.5), '1,234,567.5');
});

test('as many decimals as it takes to tell the chosen from the runner-up; a tie says so', () => {
  assert.equal(distinguishingDecimals(-1.4212, -1.4249), 3);
  assert.equal(distinguishingDecimals(-1.4212, -1.4251), 2, '-1.42 against -1.43');
  assert.equal(distinguishingDecimals(-1.42, -1.45), 2);
  assert.equal(distinguishingDecimals(-1.5, undefined), 4);
  const close = record([-20000 * 1.42121, -20000 * 1.42125]);
  assert.match(formatScreening(close), /log-likelihood per row -1\.42121, next best -1\.42125\)$/);
  const tie = record([-20000 * 1.25, -20000 * 1.25]);
  assert.match(formatScreening(tie), /log-likelihood per row -1\.250000, next best the same to 6 decimals\)$/);
});

test('repaired candidates rank last and are counted; all repaired: the first was kept', () => {
  // candidate 1 has the highest value but was repaired: candidate 3 is chosen, 2 is the runner-up
  const s = record([-100, -3000, -2000], { repaired: [0] });
  assert.equal(s.chosen, 2);
  const rank = rankScreening(s);
  assert.equal(rank.repaired, 1);
  assert.equal(rank.runnerUp, 1);
  assert.equal(rank.chosenPerRow, -2000 / 20000);
  assert.equal(formatScreening(s), 'best of 3 k-means++ candidates after 3 EM iterations on 20,000 sampled rows (log-likelihood per row -0.10, next best -0.15, 1 ranked last: a covariance needed repair)');
  const all = record([-1, -2], { repaired: [0, 1] });
  assert.equal(formatScreening(all), 'best of 2 k-means++ candidates after 3 EM iterations on 20,000 sampled rows (every candidate needed a covariance repair; the first was kept)');
  assert.equal(rankScreening(all).runnerUpPerRow, undefined);
});

test('fit: one "start" line per screened start, its numbers those of --json', () => {
  const text = run('fit', 'examples/gaussian-mixture/faithful.em.json', '--restarts', '2');
  assert.equal(text.code, 0, text.stderr);
  const json = run('fit', 'examples/gaussian-mixture/faithful.em.json', '--restarts', '2', '--json');
  assert.equal(json.code, 0, json.stderr);
  const res = JSON.parse(json.stdout) as FitResult;
  assert.equal(res.restarts.length, 2);
  const lines = text.stdout.split('\n').filter((l) => l.startsWith('start'));
  assert.equal(lines.length, 2, text.stdout);
  res.restarts.forEach((r, i) => {
    const s = r.screening;
    assert.ok(s, `restart ${i + 1} has no screening in --json`);
    assert.equal(s.sampleRows, 272);
    assert.equal(s.candidates.length, 10);
    const perRow = (s.candidates[s.chosen].logLikelihoods.at(-1) as number) / 272;
    assert.ok(lines[i].startsWith(`start (seed ${r.seed}): best of 10 k-means++ candidates after 10 EM iterations on all 272 rows (log-likelihood per row `), lines[i]);
    const printed = Number(/per row (-?[\d.]+)/.exec(lines[i])?.[1]);
    assert.ok(Math.abs(printed - perRow) < 5e-3, `${printed} vs ${perRow}`);
    assert.equal(lines[i], `start (seed ${r.seed}): ${formatScreening(s)}`);
  });
});

test('fit: no "start" line where nothing was screened (a "random" start, a Bayesian network)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-screening-'));
  try {
    const model = join(dir, 'random.em.json');
    writeFileSync(model, JSON.stringify({ data: join(root, 'examples', 'gaussian-mixture', 'faithful.csv'), model: { kind: 'gaussian-mixture', components: 2, covariance: 'full' }, fit: { init: 'random', restarts: 2, seed: 1 } }));
    const random = run('fit', model);
    assert.equal(random.code, 0, random.stderr);
    assert.doesNotMatch(random.stdout, /^start/m);
    const json = JSON.parse(run('fit', model, '--json').stdout) as FitResult;
    assert.ok(json.restarts.every((r) => r.screening === undefined));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bayes = run('fit', 'examples/tutorial/example2.em.json');
  assert.equal(bayes.code, 0, bayes.stderr);
  assert.doesNotMatch(bayes.stdout, /^start/m);
});
