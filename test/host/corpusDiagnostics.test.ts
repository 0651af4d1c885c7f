/**
 * The bad-input corpus (test/fixtures/bad/cases.json, which test/unit/badInput.test.ts runs
 * through the CLI) in the editor. The corpus is copied into the workspace once; each case's
 * model file is opened in turn, and:
 *
 * - a case the CLI reports at `file:line:col` shows an Error diagnostic starting at that line
 *   and column of that file: the model file, or the dataset it reads (the extension checks an
 *   open model's dataset in the worker, as a fit reads it);
 * - a case whose error the editor cannot know without fitting (NEEDS_A_FIT, each with why) has
 *   no such diagnostic, and Run EM reports it as the CLI does: `file:line:col: message`;
 * - a case the CLI reports at a file with no position (the problem is the whole data, not a
 *   place) is run too, and Run EM reports the CLI's file and message;
 * - input the CLI reads fine shows no Error diagnostic on the model file or its dataset.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, inWorkspace } from './helpers';

/** One case of cases.json (the fields this test reads; see test/unit/badInputSupport.ts). */
interface CorpusCase {
  readonly id: string;
  readonly about: string;
  readonly model: string;
  readonly exit: 0 | 1;
  readonly where?: string;
  readonly message?: string;
}

/** Where the CLI reports a case: a file of the corpus (relative), and a 1-based line and column when there is one. */
interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Errors the CLI finds at a line and column of the model file only once the family is prepared
 * for a fit: they depend on the data's values, which the editor's checks do not reach (the model
 * file's checks read the header only; the dataset check reads the rows, as the reader, not the
 * family, sees them). Run EM reports them at the same place.
 */
const NEEDS_A_FIT: Readonly<Record<string, string>> = {
  'categorical-init-states-from-data': 'the states of A come from the values in the data (the family counts them when it is prepared); the init length is checked against them then',
  'categorical-drop-leaves-no-row': 'which rows are complete is known only from the data\'s values',
  'categorical-fill-mode-without-complete-row': 'which rows are complete is known only from the data\'s values',
  'categorical-init-zero-probability': 'a data row with probability 0 under init is found by evaluating init on the rows',
};

const repoRoot = path.join(__dirname, '..', '..', '..');
const corpusSource = path.join(repoRoot, 'test', 'fixtures', 'bad');
const cases = JSON.parse(fs.readFileSync(path.join(corpusSource, 'cases.json'), 'utf8')) as CorpusCase[];

/** The `where` regex of a case (`^dir/name\.csv:3:3$`) as a file and a position. */
function placeOf(c: CorpusCase): Place {
  const text = (c.where ?? '').replace(/^\^/, '').replace(/\$$/, '').replace(/\\(.)/g, '$1');
  const m = /^(.*):(\d+):(\d+)$/.exec(text);
  return m ? { file: m[1], line: Number(m[2]), column: Number(m[3]) } : { file: text };
}

const at = (d: vscode.Diagnostic): string => `${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} ${d.message}`;

suite('the bad-input corpus in the editor', () => {
  let corpus: string;
  /** Model file -> its dataset, from the model file's "data" (the corpus's data paths are plain). */
  const dataOf = new Map<string, string>();

  suiteSetup(async function () {
    this.timeout(120000);
    const a = await api();
    corpus = inWorkspace('host-bad-corpus');
    fs.rmSync(corpus, { recursive: true, force: true });
    fs.cpSync(corpusSource, corpus, { recursive: true });
    // the index learns the new model files (the diagnostics find a dataset's models through it)
    await a.index.scan(true);
    for (const c of cases) {
      const summary = a.index.summary(path.join(corpus, c.model));
      if (summary?.dataPath) dataOf.set(c.model, summary.dataPath);
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(corpus, { recursive: true, force: true });
    await (await api()).index.scan(true);
  });

  test('the corpus: cases of every kind, the gap list names real cases', () => {
    const ids = new Set(cases.map((c) => c.id));
    for (const id of Object.keys(NEEDS_A_FIT)) assert.ok(ids.has(id), `${id} is not a case`);
    const positioned = cases.filter((c) => c.exit === 1 && placeOf(c).line !== undefined);
    assert.ok(positioned.length >= 100, `${positioned.length} cases with a line and column`);
  });

  test('every error at a line and column: an Error diagnostic there (or, for the listed cases, from Run EM)', async function () {
    this.timeout(180000);
    const a = await api();
    const t0 = Date.now();
    const missing: string[] = [];
    const counts = { model: 0, dataset: 0, messageDiffers: [] as string[] };
    const timing = { open: 0, model: 0, data: 0 };
    for (const c of cases) {
      const place = placeOf(c);
      if (c.exit !== 1 || place.line === undefined || c.id in NEEDS_A_FIT) continue;
      const modelPath = path.join(corpus, c.model);
      const target = path.join(corpus, place.file);
      const t1 = Date.now();
      await vscode.workspace.openTextDocument(vscode.Uri.file(modelPath));
      const t2 = Date.now();
      // the model file's own check, then (the model is open) its dataset's: refresh waits for each
      await a.diagnostics.refresh(modelPath);
      const t3 = Date.now();
      if (target !== modelPath) {
        assert.equal(dataOf.get(c.model), target, `${c.id}: the CLI reports at the model's dataset`);
        await a.diagnostics.refresh(target);
      }
      const t4 = Date.now();
      timing.open += t2 - t1;
      timing.model += t3 - t2;
      timing.data += t4 - t3;
      if (t4 - t1 > 1000) console.log(`  slow: ${c.id} open ${t2 - t1} ms, model ${t3 - t2} ms, data ${t4 - t3} ms`);
      const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(target));
      const found = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === (place.line as number) - 1 && d.range.start.character === (place.column as number) - 1);
      if (!found) {
        missing.push(`${c.id}: no Error at ${place.file}:${place.line}:${place.column}; the file has [${diagnostics.map(at).join(' | ')}]`);
        continue;
      }
      if (target === modelPath) counts.model++;
      else counts.dataset++;
      if (!found.message.includes(c.message ?? '')) counts.messageDiffers.push(`${c.id}: CLI "...${c.message}...", editor "${found.message}"`);
    }
    console.log(`corpus diagnostics: ${counts.model} on model files, ${counts.dataset} on datasets, in ${((Date.now() - t0) / 1000).toFixed(1)} s (opening ${timing.open} ms, model checks ${timing.model} ms, dataset checks ${timing.data} ms)`);
    for (const m of counts.messageDiffers) console.log(`  same place, other words: ${m}`);
    assert.deepEqual(missing, [], `cases without their diagnostic:\n${missing.join('\n')}`);
  });

  test('the cases that need a fit: no diagnostic at their place, and Run EM reports them where the CLI does', async function () {
    this.timeout(120000);
    const a = await api();
    for (const [id, why] of Object.entries(NEEDS_A_FIT)) {
      const c = cases.find((x) => x.id === id) as CorpusCase;
      const place = placeOf(c);
      const modelPath = path.join(corpus, c.model);
      await vscode.workspace.openTextDocument(vscode.Uri.file(modelPath));
      const diagnostics = await a.diagnostics.refresh(modelPath);
      const there = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === (place.line ?? 0) - 1 && d.range.start.character === (place.column ?? 0) - 1);
      assert.equal(there, undefined, `${id} now has its diagnostic (${there ? at(there) : ''}): take it off NEEDS_A_FIT (${why})`);
      const error = await a.runs.run(modelPath).then(() => undefined, (e: unknown) => e ?? 'rejected');
      assert.ok(error !== undefined, `${id}: Run EM succeeded`);
      const failure = a.runs.lastFailure(modelPath) ?? '';
      assert.ok(failure.startsWith(`${modelPath}:${place.line}:${place.column}: `), `${id}: Run EM says ${failure}`);
      assert.ok(failure.includes(c.message ?? ''), `${id}: ${failure}`);
    }
  });

  test('errors with no position (the whole data, not a place): Run EM reports the CLI\'s file and message', async function () {
    this.timeout(120000);
    const a = await api();
    const unplaced = cases.filter((c) => c.exit === 1 && placeOf(c).line === undefined);
    assert.ok(unplaced.length >= 5, `${unplaced.length} cases`);
    for (const c of unplaced) {
      const modelPath = path.join(corpus, c.model);
      const outcome = await a.runs.run(modelPath).then(() => 'succeeded', () => 'failed');
      assert.equal(outcome, 'failed', c.id);
      const failure = a.runs.lastFailure(modelPath) ?? '';
      assert.ok(failure.startsWith(`${path.join(corpus, placeOf(c).file)}: `), `${c.id}: Run EM says ${failure}`);
      assert.ok(failure.includes(c.message ?? ''), `${c.id}: ${failure}`);
    }
    console.log(`corpus: ${unplaced.length} errors with no position, each reported by Run EM`);
  });

  test('input the CLI reads fine: no Error diagnostic on its model file or its dataset', async function () {
    this.timeout(60000);
    const a = await api();
    const fine = cases.filter((c) => c.exit === 0);
    for (const c of fine) {
      const modelPath = path.join(corpus, c.model);
      await vscode.workspace.openTextDocument(vscode.Uri.file(modelPath));
      const onModel = await a.diagnostics.refresh(modelPath);
      const dataPath = dataOf.get(c.model);
      const onData = dataPath ? await a.diagnostics.refresh(dataPath) : [];
      const errors = [...onModel, ...onData].filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(errors.map(at), [], `${c.id}: ${c.about}`);
    }
    console.log(`corpus: ${fine.length} inputs read fine, none with an Error diagnostic`);
  });
});
