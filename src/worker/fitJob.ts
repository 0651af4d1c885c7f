/**
 * One fit of one model file, from paths to results: read and validate the model file, read the
 * dataset with the column types the model needs, prepare the family, run the EM driver (over
 * every K when a list of components was given), and keep the posteriors at hand.
 * Used by the worker thread (the extension) and by the CLI: the same numbers either way.
 */
import { access, readFile, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { dirname, basename, relative } from 'node:path';
import { readDataset, readHeader } from '../data/csvReader';
import type { ReadOptions } from '../data/readOptions';
import type { Dataset } from '../data/dataset';
import { runEM } from '../engine/driver';
import type { Progress } from '../engine/driver';
import type { PosteriorTable } from '../engine/family';
import { prepareFit } from '../engine/registry';
import { bayesNetReadOptions } from '../engine/bayesnet/prepare';
import { parseModelFile, applyOverrides, checkModelAgainstHeader, checkModelFile } from '../spec';
import type { JsonPath, SourceRange } from '../spec';
import { problemToInputError } from '../spec/specProblem';
import type { FitOverrides, ModelFile } from '../shared/modelSpec';
import type { FitResult, ModelSelectionRow } from '../shared/results';
import { InputError } from '../shared/errors';
import { writeFileAtomic } from '../io/atomicFile';
import { resolveThreadCount } from './estepPool';
import { FitThreads } from './fitThreads';

export interface FitJobOptions extends FitOverrides {
  /** Record per-iteration snapshots (the inspector's step-through). */
  readonly snapshots?: boolean;
  /** Polled between iterations; true stops the fit promptly (stop reason "cancelled"). */
  readonly isCancelled?: () => boolean;
  readonly onProgress?: (p: Progress, history: readonly number[]) => void;
  /**
   * E-step threads when neither the model file nor an override names a count (fit.threads 0).
   * Default: every core. The editor's worker passes one less, so that a fit never takes the
   * core the editor's own thread needs.
   */
  readonly defaultThreads?: number;
}

export interface FitJobOutput {
  readonly result: FitResult;
  readonly posteriors: PosteriorTable;
  readonly model: ModelFile;
  readonly dataset: Dataset;
}

/**
 * Read and validate a model file, with CLI/setting overrides applied, and check it against its
 * dataset's header, so that a wrong column name or a missing data file is reported where it is
 * written in the model file.
 */
export async function loadModelFile(modelPath: string, overrides: FitOverrides = {}): Promise<ModelFile> {
  return (await readModelFile(modelPath, overrides)).model;
}

/** A model file as read: the model, and the model file's warnings as `file:line:col: message`. */
interface ReadModelFile {
  readonly model: ModelFile;
  readonly warnings: readonly string[];
  /** The range of the value at a JSON path of the model file. */
  readonly locate: (path: JsonPath) => SourceRange | undefined;
}

/** Why the model file cannot be read, in words (the CLI shows it; errno codes are not for users). */
function unreadableModelFile(e: unknown, modelPath: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such model file' : code === 'EISDIR' ? 'this is a folder, not a model file (*.em.json)' : code === 'EACCES' || code === 'EPERM' ? 'permission denied: cannot read the model file' : `cannot read the model file: ${code ?? String(e)}`;
  return new InputError(why, { file: modelPath });
}

/**
 * The model file's text as the editor shows it: UTF-8 without a byte order mark (VS Code drops
 * the BOM from the document, so positions agree with the editor's). UTF-16 is refused with a fix.
 */
async function readModelText(modelPath: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(modelPath);
  } catch (e) {
    throw unreadableModelFile(e, modelPath);
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputError('this model file is UTF-16 encoded; save it as UTF-8 to read it', { file: modelPath, line: 1, column: 1, endColumn: 1 });
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readModelFile(modelPath: string, overrides: FitOverrides): Promise<ReadModelFile> {
  const text = await readModelText(modelPath);
  const parsed = parseModelFile(text, modelPath);
  const model = applyOverrides(parsed.model, overrides);
  const at = (path: JsonPath): { file: string; line?: number; column?: number; endColumn?: number } => {
    const r = parsed.locate(path);
    return r ? { file: modelPath, line: r.line, column: r.column, endColumn: r.endLine === r.line ? r.endColumn : r.column } : { file: modelPath };
  };
  const dataPathAt = at(parsed.locate(['data', 'path']) ? ['data', 'path'] : ['data']);
  const shownDataPath = JSON.stringify(relative(dirname(modelPath), model.data.path));
  try {
    await access(model.data.path, fsConstants.R_OK);
  } catch {
    throw new InputError(`the data file ${shownDataPath} does not exist or cannot be read`, dataPathAt);
  }
  if ((await stat(model.data.path)).isDirectory()) throw new InputError(`the data file ${shownDataPath} is a folder: "data.path" must name a CSV/TSV file`, dataPathAt);
  const header = await readHeader(model.data.path, model.data.delimiter !== undefined ? { delimiter: model.data.delimiter } : {});
  const headerProblems = checkModelAgainstHeader(parsed, header);
  const problem = headerProblems.find((p) => p.severity === 'error');
  if (problem) throw problemToInputError(problem, modelPath);
  // Warnings the editor shows as diagnostics travel with the result, so that the CLI shows them too
  // (a misspelt key is ignored: the user must hear of it somewhere).
  const warnings = [...checkModelFile(text, modelPath), ...headerProblems]
    .filter((p) => p.severity === 'warning')
    .map((p) => problemToInputError(p, basename(modelPath)).format());
  return { model, warnings, locate: (path) => parsed.locate(path) };
}

/**
 * An engine error about the model file carries the JSON path of the offending value (the
 * engine sees no text): place it at the longest prefix of that path the file has.
 */
function positioned(e: unknown, modelPath: string, locate: ReadModelFile['locate']): unknown {
  if (!(e instanceof InputError) || !e.jsonPath || e.line > 0) return e;
  for (let n = e.jsonPath.length; n > 0; n--) {
    const r = locate(e.jsonPath.slice(0, n));
    if (r) return new InputError(e.message, { file: modelPath, line: r.line, column: r.column, endColumn: r.endLine === r.line ? r.endColumn : r.column });
  }
  return e;
}

/** The reader options a model needs: which columns, which of them categorical or numeric. */
export function readOptionsFor(model: ModelFile): ReadOptions {
  const base = { missing: model.data.missing, ...(model.data.delimiter !== undefined ? { delimiter: model.data.delimiter } : {}) };
  const m = model.model;
  switch (m.kind) {
    case 'bayesnet':
    case 'latent-class':
      return { ...base, ...bayesNetReadOptions(model) };
    case 'gaussian-mixture': {
      const weight = model.data.weight;
      if (model.data.columns) return { ...base, columns: [...model.data.columns, ...(weight ? [weight] : [])], numeric: [...model.data.columns], ...(weight ? { weight } : {}) };
      return { ...base, ...(weight ? { weight } : {}) };
    }
    case 'hmm': {
      const seq = model.data.sequence;
      const weight = model.data.weight;
      const categorical: Record<string, readonly string[] | undefined> = {};
      if (seq) categorical[seq] = undefined;
      if (m.emission === 'categorical' && model.data.columns) for (const c of model.data.columns) categorical[c] = undefined;
      const columns = model.data.columns ? [...model.data.columns, ...(seq ? [seq] : []), ...(weight ? [weight] : [])] : undefined;
      const numeric = m.emission === 'gaussian' && model.data.columns ? [...model.data.columns] : undefined;
      return { ...base, categorical, ...(columns ? { columns } : {}), ...(numeric ? { numeric } : {}), ...(weight ? { weight } : {}) };
    }
    default: {
      const never: never = m;
      throw new Error(`unknown kind ${JSON.stringify(never)}`);
    }
  }
}

/** Fit a model file. Throws InputError on bad input, CancelledError if cancelled before any value. */
export async function runFitJob(modelPath: string, options: FitJobOptions = {}): Promise<FitJobOutput> {
  const t0 = performance.now();
  const { snapshots, isCancelled, onProgress, defaultThreads, ...overrides } = options;
  const { model, warnings: modelFileWarnings, locate } = await readModelFile(modelPath, overrides);
  const dataset = await readDataset(model.data.path, readOptionsFor(model));
  const ks = model.model.kind === 'gaussian-mixture' && Array.isArray(model.model.components) ? (model.model.components as readonly number[]) : [undefined];

  let best: { result: FitResult; posteriors: PosteriorTable } | undefined;
  const selection: { k: number; result: FitResult }[] = [];
  // The parallel E-step (estepPool.ts): one pool for every K, stopped when the job ends.
  const threads = new FitThreads(model.fit.threads > 0 ? model.fit.threads : (defaultThreads ?? resolveThreadCount(0)));
  try {
    for (const k of ks) {
      const prepared = prepareFit(model, dataset, k === undefined ? {} : { components: k });
      const eStep = threads.plan(prepared.family, prepared.data, { model, ...(k !== undefined ? { components: k } : {}) });
      const { result, parameters } = await runEM(prepared.family, eStep.data, {
        maxIterations: model.fit.maxIterations,
        tolerance: model.fit.tolerance,
        restarts: model.fit.restarts,
        seed: model.fit.seed,
        ...(prepared.initialParameters !== undefined ? { initialParameters: prepared.initialParameters } : {}),
        ...(snapshots ? { snapshots } : {}),
        ...(isCancelled ? { isCancelled } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(eStep.executor ? { executor: eStep.executor } : {}),
        name: model.name,
      });
      const warnings = [...modelFileWarnings, ...(prepared.warnings ?? []), ...(eStep.warning !== undefined ? [eStep.warning] : []), ...(result.warnings ?? [])];
      const withNotes: FitResult = {
        ...result,
        ...(warnings.length ? { warnings } : {}),
        ...(model.model.kind === 'bayesnet' || model.model.kind === 'latent-class' ? { missingData: model.fit.missingData } : {}),
      };
      const posteriors = prepared.family.posteriors(eStep.data, parameters);
      if (k !== undefined) selection.push({ k, result: withNotes });
      if (best === undefined || (k !== undefined && withNotes.bic < best.result.bic)) best = { result: withNotes, posteriors };
      if (withNotes.stopReason === 'cancelled') break;
    }
  } catch (e) {
    throw positioned(e, modelPath, locate);
  } finally {
    await threads.close();
  }
  if (best === undefined) throw new Error('no fit was run');
  let result = best.result;
  if (selection.length > 0) {
    const bestBic = Math.min(...selection.map((s) => s.result.bic));
    const rows: ModelSelectionRow[] = selection.map((s) => ({
      components: s.k,
      logLikelihood: s.result.logLikelihood,
      freeParameters: s.result.freeParameters,
      bic: s.result.bic,
      aic: s.result.aic,
      best: s.result.bic === bestBic,
    }));
    result = { ...result, modelSelection: rows };
  }
  result = { ...result, seconds: (performance.now() - t0) / 1000 };
  return { result, posteriors: best.posteriors, model, dataset };
}

/** A CSV field: quoted when it holds a delimiter, a quote or a line break. */
function csvField(v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The posteriors as CSV text chunks: header `row,...`, then one line per data row. */
export function* posteriorCsvLines(table: PosteriorTable): Generator<string> {
  yield ['row', ...table.columns].map(csvField).join(',') + '\n';
  let chunk = '';
  for (let i = 0; i < table.rowCount; i++) {
    chunk += String(i + 1) + ',' + table.row(i).map(csvField).join(',') + '\n';
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** `--posteriors OUT.csv`: one line per data row, in data order, written atomically. */
export async function writePosteriorsCsv(table: PosteriorTable, outPath: string): Promise<void> {
  try {
    await writeFileAtomic(outPath, posteriorCsvLines(table));
  } catch (e) {
    // The user's path, not the temporary file's, and what to do about it.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError('cannot write the posteriors: the folder of this file does not exist; create it first', { file: outPath });
    if (code === 'EISDIR') throw new InputError('cannot write the posteriors: this is a folder; give a file name such as posteriors.csv', { file: outPath });
    if (code === 'ENOTDIR') throw new InputError('cannot write the posteriors: a part of this path is a file, not a folder', { file: outPath });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new InputError('cannot write the posteriors: permission denied', { file: outPath });
    if (code === 'ENOSPC') throw new InputError('cannot write the posteriors: the disk is full', { file: outPath });
    throw e;
  }
}
