// Real fits for the inspector's unit tests: the tutorial's examples read by the CSV reader and
// fitted by the registry's family and the driver, with snapshots, as the host runs them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataset } from '../../src/data/csvReader';
import { runEM } from '../../src/engine/driver';
import type { ModelFamily } from '../../src/engine/family';
import { prepareFit } from '../../src/engine/registry';
import { DEFAULT_FIT, type FitSpec, type ModelFile, type ModelSpec } from '../../src/shared/modelSpec';
import type { FitResult } from '../../src/shared/results';

export const repoRoot = join(__dirname, '..', '..', '..');

export interface TutorialPrinted {
  readonly example2: {
    readonly data_csv: string;
    readonly tutorial_printed: Readonly<Record<string, { readonly e: readonly number[]; readonly m: readonly number[] }>>;
    readonly iterations: readonly { readonly iteration: number; readonly log_likelihood_after: number }[];
    readonly log_likelihood_at_init: number;
  };
  readonly example1: { readonly data_csv: string };
}

export function tutorialFixture(): TutorialPrinted {
  const own = join(repoRoot, 'test', 'fixtures', 'tutorial.json');
  const shared = join(repoRoot, '..', 'shared', 'fixtures', 'tutorial.json');
  return JSON.parse(readFileSync(existsSync(own) ? own : shared, 'utf8')) as TutorialPrinted;
}

function modelFile(spec: ModelSpec, fit: Partial<FitSpec>, extra: { weight?: string; init?: unknown; missing?: string[] } = {}): ModelFile {
  return {
    file: '/tmp/inspector-test/model.em.json',
    name: 'inspector test',
    data: { path: '/tmp/inspector-test/data.csv', missing: extra.missing ?? ['', '?', 'NA'], ...(extra.weight ? { weight: extra.weight } : {}) },
    model: spec,
    ...(extra.init !== undefined ? { init: extra.init } : {}),
    fit: { ...DEFAULT_FIT, ...fit },
  };
}

async function fit(model: ModelFile, csv: string, categorical: string[]): Promise<FitResult> {
  const dataset = parseDataset(csv, 'data.csv', { missing: model.data.missing, categorical: Object.fromEntries(categorical.map((c) => [c, undefined])), ...(model.data.weight ? { weight: model.data.weight } : {}) });
  const prepared = prepareFit(model, dataset);
  const family = prepared.family as ModelFamily<unknown, unknown, unknown>;
  const { result } = await runEM(family, prepared.data, {
    maxIterations: model.fit.maxIterations,
    tolerance: model.fit.tolerance,
    restarts: model.fit.restarts,
    seed: model.fit.seed,
    ...(prepared.initialParameters !== undefined ? { initialParameters: prepared.initialParameters } : {}),
    snapshots: true,
  });
  return { ...result, missingData: model.fit.missingData };
}

/** Example 2 from the tutorial's initial parameters, to convergence (or `maxIterations`). */
export function fitExample2(maxIterations = 1000, tolerance = 1e-10): Promise<FitResult> {
  const model = modelFile(
    { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, parents: { A: ['H'], B: ['H'] }, prior: 0 },
    { maxIterations, tolerance, restarts: 1, seed: 1 },
    { weight: '#', init: { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } } },
  );
  return fit(model, tutorialFixture().example2.data_csv, ['A', 'B']);
}

/** Example 1 (A -> B, one missing cell) under a missing-data strategy, from uniform parameters. */
export function fitExample1(missingData: 'em' | 'drop' | 'fill-mode'): Promise<FitResult> {
  const model = modelFile(
    { kind: 'bayesnet', variables: { A: { hidden: false }, B: { hidden: false } }, parents: { B: ['A'] }, prior: 0 },
    { maxIterations: 100, tolerance: 1e-12, missingData },
    { missing: ['?'], init: { A: [0.5, 0.5], B: { 'A=0': [0.5, 0.5], 'A=1': [0.5, 0.5] } } },
  );
  return fit(model, tutorialFixture().example1.data_csv, ['A', 'B']);
}

/** Example 2 with several random restarts after the tutorial's start (for the convergence chart). */
export function fitExample2Restarts(restarts: number): Promise<FitResult> {
  const model = modelFile(
    { kind: 'bayesnet', variables: { H: { states: ['0', '1'], hidden: true }, A: { hidden: false }, B: { hidden: false } }, parents: { A: ['H'], B: ['H'] }, prior: 0 },
    { maxIterations: 200, tolerance: 1e-8, restarts, seed: 3 },
    { weight: '#', init: { H: [0.6, 0.4], A: { 'H=0': [0.39, 0.61], 'H=1': [0.45, 0.55] }, B: { 'H=0': [0.48, 0.52], 'H=1': [0.57, 0.43] } } },
  );
  return fit(model, tutorialFixture().example2.data_csv, ['A', 'B']);
}
