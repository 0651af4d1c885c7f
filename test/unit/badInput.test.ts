// The bad-input corpus (test/fixtures/bad/cases.json) through the CLI, as a user meets it:
// broken CSV, bad numbers, weights, categorical oddities and every kind of model-file error.
// Each case: exit 1 with one line `file:line:col: message` on stderr, nothing on stdout, no
// stack trace and nothing written; or, where the input is fine after all (a BOM, CRLF, weight
// 0, ...), exit 0 with the numbers of a clean reference fit. See badInputSupport.ts.
//
// Every case runs through dist/cli.js's `main` in one batch process (runCliBatch: 150 process
// starts would cost more than the checks); a sample, one case per group, also runs as a
// process of its own, and must print the same.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CliRun, type PreparedCase, checkCase, checkRun, prepareCase, readManifest, referenceFits, root, runCliBatch } from './badInputSupport';

const corpus = join(root, 'test', 'fixtures', 'bad');
const cases = readManifest(corpus);

/** Every file under `dir` with its size and modification time: what "nothing written" compares. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

describe('bad-input corpus', () => {
  let filesBefore: string[] = [];
  const prepared = new Map<string, PreparedCase>();
  const runs = new Map<string, CliRun>();
  const referenceRuns = new Map<string, CliRun>();
  const references = [...new Set(cases.flatMap((c) => (c.sameAs ? [c.sameAs] : [])))];

  before(() => {
    filesBefore = listing(corpus);
    for (const c of cases) prepared.set(c.id, prepareCase(c));
    const t0 = performance.now();
    const results = runCliBatch([...cases.map((c) => (prepared.get(c.id) as PreparedCase).args), ...references.map((m) => ['fit', m, '--json'])], corpus);
    cases.forEach((c, i) => runs.set(c.id, results[i]));
    references.forEach((m, i) => referenceRuns.set(m, results[cases.length + i]));
    console.log(`bad-input corpus: ${cases.length} cases and ${references.length} reference fits in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  after(() => {
    // the cases' temporary folders go even when a case never ran (checkRun removes its own)
    for (const p of prepared.values()) rmSync(p.tmp, { recursive: true, force: true });
    // nothing was written into the corpus (no posteriors beside the data, no temporary files)
    assert.deepEqual(listing(corpus), filesBefore);
  });

  it('is a well-formed manifest of at least 60 cases, each file present, none over 200 KB', () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'ids are unique');
    const models = new Set<string>(references);
    for (const c of cases) {
      assert.ok(existsSync(join(corpus, c.model)), `${c.id}: ${c.model}`);
      if (c.sameAs) assert.ok(existsSync(join(corpus, c.sameAs)), `${c.id}: ${c.sameAs}`);
      models.add(c.model);
      if (c.exit === 1) assert.ok(c.where && c.message, `${c.id}: an error case names where and what`);
      else assert.ok(c.sameAs || c.warning, `${c.id}: a success case checks numbers or a warning`);
    }
    // every model file in the corpus is a case or a reference (no forgotten file)
    const files = filesBefore.map((l) => l.split(' ')[0]);
    for (const f of files) if (f.endsWith('.em.json')) assert.ok(models.has(f), `${f} is not used by any case`);
    for (const f of files) assert.ok(statSync(join(corpus, f)).size <= 200 * 1024, `${f} is over 200 KB`);
    const errors = cases.filter((c) => c.exit === 1).length;
    console.log(`bad-input corpus: ${cases.length} cases (${errors} errors, ${cases.length - errors} read fine)`);
  });

  const reference = referenceFits(corpus, referenceRuns);
  for (const c of cases) {
    it(`${c.id}: ${c.about}`, async () => {
      await checkRun(prepared.get(c.id) as PreparedCase, runs.get(c.id) as CliRun, reference);
    });
  }

  it('a sample run as processes of their own prints what the batch printed', { timeout: 120_000 }, async () => {
    const groups = new Map<string, (typeof cases)[number]>();
    for (const c of cases) {
      const group = `${c.id.split('-')[0]} exit ${c.exit}`;
      if (!groups.has(group)) groups.set(group, c);
    }
    assert.ok(groups.size >= 8, [...groups.keys()].join(', '));
    for (const c of groups.values()) {
      const own = await checkCase(c, corpus, reference);
      const batched = runs.get(c.id) as CliRun;
      if (c.exit === 1) assert.equal(own.stderr, batched.stderr, c.id);
      else assert.equal(JSON.parse(own.stdout).logLikelihood, JSON.parse(batched.stdout).logLikelihood, c.id);
    }
  });
});
