/**
 * Real fits for the inspector's dev page (test/e2e/inspector-dev.mjs): the bundled examples
 * run through the engine (the families, the driver, the CSV reader) exactly as the host will
 * run them, with snapshots, so the webview is looked at with real FitResults. Also the
 * posterior pages (sorted on request) and data samples a host would serve.
 *
 * Dev tooling, not a test and not shipped. The model files are mirrored here as ModelFile
 * objects because the model-file parser is another engineer's work in progress.
 */
import { join } from 'node:path';
import { readDataset } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';
import { runEM } from '../../src/engine/driver';
import type { ModelFamily, PosteriorTable } from '../../src/engine/family';
import { prepareFit } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';
import type { DataSample, MissingDataStrategyName } from '../../src/shared/inspectorProtocol';
import { DEFAULT_FIT, type FitSpec, type ModelFile, type ModelSpec } from '../../src/shared/modelSpec';
import type { FitResult, ModelSelectionRow } from '../../src/shared/results';
import type { FitProgress, PosteriorPage, RunRecord } from '../../src/shared/runs';
import { dataSample } from '../../src/worker/dataSample';

export interface DevRun {
  readonly record: RunRecord;
  page(offset: number, limit: number, sortColumn?: number, descending?: boolean): PosteriorPage;
  sample(columns: readonly string[], maxPoints: number): DataSample;
  compare?(): Promise<Record<MissingDataStrategyName, FitResult>>;
  /** Progress messages of the fit, in order (for replaying a live fit). */
  readonly progress: readonly FitProgress[];
}

function model(file: string, name: string, dataPath: string, spec: ModelSpec, fit: Partial<FitSpec>, extra: { weight?: string; missing?: string[]; columns?: string[]; init?: unknown } = {}): ModelFile {
  return {
    file, name,
    data: { path: dataPath, missing: extra.missing ?? ['', '?', 'NA', 'NaN'], ...(extra.weight ? { weight: extra.weight } : {}), ...(extra.columns ? { columns: extra.columns } : {}) },
    model: spec,
    ...(extra.init !== undefined ? { init: extra.init } : {}),
    fit: { ...DEFAULT_FIT, ...fit },
  };
}

/** Rows in the requested order: data order, or sorted by one column (stable, rows with empty cells last). */
class PosteriorPager {
  private readonly orders = new Map<string, Int32Array>();
  constructor(private readonly table: PosteriorTable) {}

  page(offset: number, limit: number, sortColumn?: number, descending?: boolean): PosteriorPage {
    const columns = ['row', ...this.table.columns];
    const n = this.table.rowCount;
    const order = sortColumn !== undefined && sortColumn > 0 ? this.order(sortColumn - 1, descending ?? false) : undefined;
    const rows: (number | string | null)[][] = [];
    for (let k = offset; k < Math.min(n, offset + limit); k++) {
      const i = order ? order[k] : k;
      rows.push([i + 1, ...this.table.row(i).map((v) => (v === undefined ? null : v))]);
    }
    return { columns, total: n, offset, rows };
  }

  private order(column: number, descending: boolean): Int32Array {
    const key = `${column}:${descending}`;
    const cached = this.orders.get(key);
    if (cached) return cached;
    const n = this.table.rowCount;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.table.row(i)[column];
      values[i] = typeof v === 'number' ? v : NaN;
    }
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const sign = descending ? -1 : 1;
    idx.sort((a, b) => {
      const va = values[a];
      const vb = values[b];
      if (Number.isNaN(va) || Number.isNaN(vb)) return Number.isNaN(va) ? (Number.isNaN(vb) ? a - b : 1) : -1;
      return va === vb ? a - b : sign * (va - vb);
    });
    this.orders.set(key, idx);
    return idx;
  }
}

async function fit(m: ModelFile, dataset: Dataset, components?: number, progress?: FitProgress[]): Promise<{ result: FitResult; table: PosteriorTable }> {
  const prepared = prepareFit(m, dataset, components !== undefined ? { components } : {});
  const family = prepared.family as ModelFamily<unknown, unknown, unknown>;
  const out = await runEM(family, prepared.data, {
    maxIterations: m.fit.maxIterations,
    tolerance: m.fit.tolerance,
    restarts: m.fit.restarts,
    seed: m.fit.seed,
    ...(prepared.initialParameters !== undefined ? { initialParameters: prepared.initialParameters } : {}),
    snapshots: family.units(prepared.data) <= 5000,
    name: m.name,
    onProgress: (p, history) => progress?.push({ modelPath: m.file, restart: p.restart, restarts: p.restarts, iteration: p.iteration, maxIterations: p.maxIterations, logLikelihood: p.logLikelihood, history: history.slice() }),
  });
  const result: FitResult = { ...out.result, ...(m.model.kind === 'bayesnet' || m.model.kind === 'latent-class' ? { missingData: m.fit.missingData } : {}), ...(prepared.warnings?.length ? { warnings: [...(out.result.warnings ?? []), ...prepared.warnings] } : {}) };
  return { result, table: family.posteriors(prepared.data, out.parameters) };
}

function devRun(m: ModelFile, dataset: Dataset, result: FitResult, table: PosteriorTable, progress: FitProgress[], compare?: () => Promise<Record<MissingDataStrategyName, FitResult>>): DevRun {
  const pager = new PosteriorPager(table);
  return {
    record: { id: `dev-${m.name.replace(/\W+/g, '-')}`, modelPath: m.file, dataPath: m.data.path, startedAt: new Date(Date.UTC(2026, 10, 26, 12)).toISOString(), result },
    page: (o, l, s, d) => pager.page(o, l, s, d),
    sample: (columns, maxPoints) => dataSample(dataset, table, columns, maxPoints),
    progress,
    ...(compare ? { compare } : {}),
  };
}

async function bayesNetRun(m: ModelFile, categorical: Record<string, readonly string[] | undefined>): Promise<DevRun> {
  const dataset = await readDataset(m.data.path, { missing: m.data.missing, categorical, ...(m.data.weight ? { weight: m.data.weight } : {}) });
  const progress: FitProgress[] = [];
  const { result, table } = await fit(m, dataset, undefined, progress);
  const compare = async (): Promise<Record<MissingDataStrategyName, FitResult>> => {
    const out: Partial<Record<MissingDataStrategyName, FitResult>> = {};
    for (const s of ['drop', 'fill-mode', 'em'] as const) out[s] = (await fit({ ...m, fit: { ...m.fit, missingData: s } }, dataset)).result;
    return out as Record<MissingDataStrategyName, FitResult>;
  };
  return devRun(m, dataset, result, table, progress, compare);
}

export async function example2(root: string): Promise<DevRun> {
  const dir = join(root, 'examples', 'tutorial');
  return bayesNetRun(model(join(dir, 'example2.em.json'), 'Tutorial example 2: MLE with a hidden variable', join(dir, 'example2.csv'), {
    kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, parents: { A: ['H'], B: ['H'] }, prior: 0,
  }, { maxIterations: 1000, tolerance: 1e-10, restarts: 1, seed: 1 }, {
    weight: '#', init: { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } },
  }), { A: undefined, B: undefined });
}

export async function example1(root: string): Promise<DevRun> {
  const dir = join(root, 'examples', 'tutorial');
  return bayesNetRun(model(join(dir, 'example1.em.json'), 'Tutorial example 1: MLE with a missing cell', join(dir, 'example1.csv'), {
    kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false } }, parents: { B: ['A'] }, prior: 0,
  }, { maxIterations: 100, tolerance: 1e-10, missingData: 'em' }, { missing: ['?'], init: { A: [0.5, 0.5], B: { 'A=0': [0.5, 0.5], 'A=1': [0.5, 0.5] } } }), { A: undefined, B: undefined });
}

export async function titanic(root: string): Promise<DevRun> {
  const dir = join(root, 'examples', 'latent-class');
  const columns = ['Class', 'Sex', 'Age', 'Survived'];
  return bayesNetRun(model(join(dir, 'titanic.em.json'), 'Titanic passengers: two latent classes', join(dir, 'titanic.csv'), {
    kind: 'latent-class', classes: 2, columns, prior: 0,
  }, { maxIterations: 1000, tolerance: 1e-10, restarts: 10, seed: 1 }, { weight: 'Freq' }), Object.fromEntries(columns.map((c) => [c, undefined])));
}

/** Old Faithful with K = 1..4 full-covariance components: the best K by BIC, with the model-selection rows. */
export async function faithful(root: string): Promise<DevRun> {
  const dir = join(root, 'examples', 'gaussian-mixture');
  const m = model(join(dir, 'faithful.em.json'), 'Old Faithful eruptions: how many clusters?', join(dir, 'faithful.csv'), {
    kind: 'gaussian-mixture', components: [1, 2, 3, 4], covariance: 'full',
  }, { maxIterations: 500, tolerance: 1e-8, restarts: 10, seed: 1 });
  const dataset = await readDataset(m.data.path, { missing: m.data.missing, numeric: ['eruptions', 'waiting'] });
  const fits: { k: number; result: FitResult; table: PosteriorTable; progress: FitProgress[] }[] = [];
  for (const k of [1, 2, 3, 4]) {
    const progress: FitProgress[] = [];
    fits.push({ k, ...(await fit(m, dataset, k, progress)), progress });
  }
  const bestBic = Math.min(...fits.map((f) => f.result.bic));
  const rows: ModelSelectionRow[] = fits.map((f) => ({ components: f.k, logLikelihood: f.result.logLikelihood, freeParameters: f.result.freeParameters, bic: f.result.bic, aic: f.result.aic, best: f.result.bic === bestBic }));
  const best = fits.find((f) => f.result.bic === bestBic) ?? fits[0];
  return devRun(m, dataset, { ...best.result, modelSelection: rows }, best.table, best.progress);
}

export async function dax(root: string): Promise<DevRun> {
  const dir = join(root, 'examples', 'hmm');
  const m = model(join(dir, 'dax-returns.em.json'), 'DAX daily returns, 1991-1998: calm and turbulent regimes', join(dir, 'dax-returns.csv'), {
    kind: 'hmm', states: 2, emission: 'gaussian', covariance: 'diag', prior: 0,
  }, { maxIterations: 500, tolerance: 1e-8, restarts: 5, seed: 1 }, { columns: ['return'] });
  const dataset = await readDataset(m.data.path, { missing: m.data.missing, columns: ['return'], numeric: ['return'] });
  const progress: FitProgress[] = [];
  const { result, table } = await fit(m, dataset, undefined, progress);
  return devRun(m, dataset, result, table, progress);
}

/**
 * A million rows: a 3-component Gaussian mixture fitted (few iterations) to a million points
 * drawn with a fixed seed, to check that the posterior table scrolls and sorts at that size.
 */
export async function millionRows(root: string): Promise<DevRun> {
  const n = 1_000_000;
  const rng = new Rng(7);
  const centers = [[0, 0], [4, 1], [1, 5]];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = centers[i % 3];
    x[i] = c[0] + rng.normal();
    y[i] = c[1] + 0.7 * rng.normal();
  }
  const dataset: Dataset = {
    file: join(root, 'million.csv'),
    header: ['x', 'y'],
    columns: [{ kind: 'numeric', name: 'x', values: x }, { kind: 'numeric', name: 'y', values: y }],
    rowCount: n,
    lines: Int32Array.from({ length: n }, (_, i) => i + 2),
  };
  const m = model(join(root, 'million.em.json'), 'A million rows', dataset.file, { kind: 'gaussian-mixture', components: 3, covariance: 'full' }, { maxIterations: 8, tolerance: 1e-6, restarts: 1, seed: 1 });
  const progress: FitProgress[] = [];
  const { result, table } = await fit(m, dataset, 3, progress);
  return devRun(m, dataset, result, table, progress);
}
