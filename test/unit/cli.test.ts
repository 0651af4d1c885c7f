// The command line as DESIGN.md fixes it, run as a user runs it: `node dist/cli.js fit ...`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FitResult, BayesNetParametersJSON } from '../../src/shared/results';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, process.env.EMW_DIST || 'dist', 'cli.js');
const tutorial = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'tutorial.json'), 'utf8'));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
function fitJson(...args: string[]): FitResult {
  const r = run('fit', ...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as FitResult;
}
const cpt = (res: FitResult, v: string, row: string) => (res.parameters as BayesNetParametersJSON).cpts[v].rows[row];

test('example 2: --json is one document in the results shape, converging to the tutorial\'s -13.5231', () => {
  const res = fitJson('examples/tutorial/example2.em.json');
  assert.equal(res.kind, 'bayesnet');
  assert.ok(Math.abs(res.logLikelihood - tutorial.example2.converged_log_likelihood) < 1e-6);
  assert.equal(res.logLikelihood.toFixed(4), '-13.5231');
  assert.equal(res.history.length, res.iterations + 1);
  assert.ok(Math.abs(res.history[0] - tutorial.example2.log_likelihood_at_init) < 1e-9);
  assert.equal(res.rows, 12);
  assert.equal(res.freeParameters, 5);
  assert.ok(Math.abs(res.bic - (-2 * res.logLikelihood + 5 * Math.log(12))) < 1e-9);
  assert.ok(Math.abs(cpt(res, 'H', '')[1] - tutorial.example2.converged['P(H=1)']) < 1e-6);
  for (const key of ['kind', 'logLikelihood', 'iterations', 'converged', 'stopReason', 'history', 'restarts', 'parameters', 'rows', 'freeParameters', 'bic', 'aic', 'seconds']) assert.ok(key in res, key);
});

test('example 2: --max-iterations N gives the tutorial\'s M-step after iteration N; 0 evaluates the start', () => {
  const zero = fitJson('examples/tutorial/example2.em.json', '--max-iterations', '0');
  assert.equal(zero.iterations, 0);
  assert.ok(Math.abs(zero.logLikelihood - tutorial.example2.log_likelihood_at_init) < 1e-12);
  for (const it of tutorial.example2.iterations) {
    const res = fitJson('examples/tutorial/example2.em.json', '--max-iterations', String(it.iteration), '--tolerance', '0');
    assert.equal(res.iterations, it.iteration);
    assert.ok(Math.abs(cpt(res, 'H', '')[1] - it.m_step['P(H=1)']) < 1e-9);
    assert.ok(Math.abs(cpt(res, 'A', 'H=1')[1] - it.m_step['P(A=1|H=1)']) < 1e-9);
    assert.ok(Math.abs(cpt(res, 'B', 'H=0')[1] - it.m_step['P(B=1|H=0)']) < 1e-9);
    assert.ok(Math.abs(res.logLikelihood - it.log_likelihood_after) < 1e-9);
  }
});

test('example 2: --iterations-table prints the tutorial\'s E-step and M-step tables', () => {
  const r = run('fit', 'examples/tutorial/example2.em.json', '--iterations-table=1,2,5,10');
  assert.equal(r.code, 0, r.stderr);
  for (const t of [1, 2, 5, 10]) {
    assert.match(r.stdout, new RegExp(`Iteration ${t}: E-step`));
    assert.match(r.stdout, new RegExp(`Iteration ${t}: M-step`));
  }
  assert.doesNotMatch(r.stdout, /Iteration 3: E-step/);
  // iteration 5's E-step column P(H=1 | row): .79 .31 .31 .05 in the tutorial
  const five = r.stdout.slice(r.stdout.indexOf('Iteration 5: E-step'), r.stdout.indexOf('Iteration 5: M-step'));
  const col = [...five.matchAll(/^\s+[01]\s+[01]\s+\d+\s+([0-9.]+)$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(col.map((x) => x.toFixed(2)), tutorial.example2.tutorial_printed['5'].e.map((x: number) => x.toFixed(2)));
});

test('example 1: drop, fill-mode and soft EM give the tutorial\'s three tables', () => {
  const joint = (res: FitResult, a: string, b: string) => cpt(res, 'A', '')[Number(a)] * cpt(res, 'B', `A=${a}`)[Number(b)];
  const expect = (res: FitResult, table: Record<string, number>, tol: number) => {
    for (const [a, b] of [['0', '0'], ['1', '0'], ['0', '1'], ['1', '1']]) assert.ok(Math.abs(joint(res, a, b) - table[`P(A=${a},B=${b})`]) < tol, `P(A=${a},B=${b})`);
  };
  expect(fitJson('examples/tutorial/example1.em.json', '--missing-data', 'drop'), tutorial.example1.drop_incomplete_rows, 1e-12);
  expect(fitJson('examples/tutorial/example1.em.json', '--missing-data', 'fill-mode'), tutorial.example1.fill_best_guess, 1e-12);
  expect(fitJson('examples/tutorial/example1.em.json', '--max-iterations', '1', '--tolerance', '0'), tutorial.example1.soft_em_from_uniform[0], 1e-12);
  expect(fitJson('examples/tutorial/example1.em.json'), tutorial.example1.soft_em_fixed_point, 1e-6);
  const side = run('fit', 'examples/tutorial/example1.em.json', '--compare-missing-data');
  assert.equal(side.code, 0, side.stderr);
  assert.match(side.stdout, /P\(A=0,B=0\)\s+0\.4286\s+0\.5000\s+0\.4687/);
});

test('--posteriors writes one line per data row, in data order, and nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-cli-'));
  try {
    const out = join(dir, 'post.csv');
    const r = run('fit', 'examples/tutorial/example1.em.json', '--posteriors', out);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'row,P(B=0),P(B=1)');
    assert.equal(lines.length, 1 + 8);
    assert.equal(lines[1], '1,,'); // row 1 is complete: no imputed distribution
    const [row, p0, p1] = lines[4].split(',');
    assert.equal(row, '4');
    assert.ok(Math.abs(Number(p0) - 0.75) < 1e-6 && Math.abs(Number(p1) - 0.25) < 1e-6, lines[4]);
    assert.deepEqual(readdirSync(dir), ['post.csv']); // no temporary file left behind
    const two = join(dir, 'two.csv');
    assert.equal(run('fit', 'examples/tutorial/example2.em.json', '--posteriors', two).code, 0);
    const l2 = readFileSync(two, 'utf8').trimEnd().split('\n');
    assert.equal(l2[0], 'row,P(H=0),P(H=1),label');
    assert.equal(l2.length, 1 + 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('same file, same seed: the same numbers; another seed, other starts', () => {
  const strip = (r: FitResult) => ({ ...r, seconds: 0 });
  const a = fitJson('examples/latent-class/titanic.em.json', '--restarts', '3');
  const b = fitJson('examples/latent-class/titanic.em.json', '--restarts', '3');
  assert.deepEqual(strip(a), strip(b));
  const c = fitJson('examples/latent-class/titanic.em.json', '--restarts', '3', '--seed', '7');
  assert.deepEqual(c.restarts.map((r) => r.seed), [7, 8, 9]);
  assert.notEqual(c.restarts[0].history[0], a.restarts[0].history[0]);
});

test('bad input: exit 1 and one line file:line:col: message, never a stack trace', () => {
  const cases: [string, RegExp][] = [
    ['unknown-column.em.json', /^test\/fixtures\/cli\/unknown-column\.em\.json:5:29: .*"C".*not in example1\.csv/],
    ['bad-state.em.json', /^test\/fixtures\/cli\/bad-state\.csv:5:3: "x" is not a state of B/],
    ['cycle.em.json', /^test\/fixtures\/cli\/cycle\.em\.json:6:\d+: .*cycle: A -> B -> A/],
    ['bad-probabilities.em.json', /^test\/fixtures\/cli\/bad-probabilities\.em\.json:9:\d+: .*sums to 1\.1/],
    ['ragged.em.json', /^test\/fixtures\/cli\/ragged\.csv:3:\d+: .*3 fields/],
    ['empty.em.json', /^test\/fixtures\/cli\/empty\.csv:1:1: .*empty/],
    ['missing-data-file.em.json', /^test\/fixtures\/cli\/missing-data-file\.em\.json:1:\d+: .*missing-file\.csv.*does not exist/],
    ['broken-json.em.json', /^test\/fixtures\/cli\/broken-json\.em\.json:\d+:\d+: JSON/],
  ];
  for (const [file, re] of cases) {
    const r = run('fit', `test/fixtures/cli/${file}`);
    assert.equal(r.code, 1, `${file}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${file}: ${r.stderr}`);
    assert.match(lines[0], re);
  }
});

test('usage errors exit 2; --help exits 0', () => {
  assert.equal(run().code, 2);
  assert.equal(run('frobnicate').code, 2);
  assert.equal(run('fit').code, 2);
  assert.equal(run('fit', 'examples/tutorial/example2.em.json', '--seed', 'abc').code, 2);
  assert.equal(run('fit', 'examples/tutorial/example2.em.json', '--missing-data', 'guess').code, 2);
  assert.equal(run('fit', 'examples/tutorial/example2.em.json', '--bogus').code, 2);
  const help = run('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: em-workbench fit/);
});

test('every bundled example fits from the command line', () => {
  const models = ['tutorial/example1.em.json', 'tutorial/example2.em.json', 'latent-class/titanic.em.json', 'gaussian-mixture/faithful.em.json', 'hmm/dax-returns.em.json'];
  for (const m of models) {
    const res = fitJson(`examples/${m}`);
    assert.ok(Number.isFinite(res.logLikelihood), m);
    for (let t = 1; t < res.history.length; t++) assert.ok(res.history[t] >= res.history[t - 1] - 1e-9 * Math.abs(res.history[t - 1]), `${m}: fell at ${t}`);
  }
});
