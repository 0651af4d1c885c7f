/**
 * From a validated model file and its dataset to a family, its prepared data and its
 * explicit initial parameters: the one place that knows every model kind.
 */
import type { Dataset } from '../data/dataset';
import { InputError } from '../shared/errors';
import type { ModelFile } from '../shared/modelSpec';
import type { ModelFamily } from './family';
import { hmmFamilyFor, prepareHmm } from './hmm/prepareHmm';
import { gaussianMixtureFamilyFor, prepareGaussianMixture } from './gmm/prepareGaussianMixture';
import { bayesNetFamilyFor, prepareBayesNet } from './bayesnet/prepare';

/** A family ready to run: its data prepared, its explicit initial parameters parsed. */
export interface PreparedFit<D = unknown, P = unknown, S = unknown> {
  readonly family: ModelFamily<D, P, S>;
  readonly data: D;
  /** From the model file's `init` (or `fit.init` for Gaussian families), when given. */
  readonly initialParameters?: P;
  /** Notes about the preparation (rows dropped, cells filled, ...), shown with the result. */
  readonly warnings?: readonly string[];
}

export interface PrepareOptions {
  /** Gaussian mixtures fitted over a list of K: the K of this fit. */
  readonly components?: number;
}

/** Prepare the fit of `model` on `dataset`. Throws InputError (with file/line/col) on bad input. */
export function prepareFit(model: ModelFile, dataset: Dataset, options: PrepareOptions = {}): PreparedFit {
  void dataset;
  void options;
  const kind = model.model.kind;
  switch (kind) {
    case 'bayesnet':
    case 'latent-class':
      return prepareBayesNet(model, dataset);
    case 'gaussian-mixture': {
      const listed = model.model.kind === 'gaussian-mixture' ? model.model.components : [];
      const components = options.components ?? (typeof listed === 'number' ? listed : undefined);
      if (components === undefined) throw new Error('a list of components is fitted one K at a time: pass options.components');
      return prepareGaussianMixture(model, dataset, components);
    }
    case 'hmm':
      return prepareHmm(model, dataset);
    default: {
      const never: never = kind;
      throw new InputError(`unknown model kind ${JSON.stringify(never)}`, { file: model.file });
    }
  }
}

export interface FamilyOptions extends PrepareOptions {
  /** Gaussian mixtures: the modelled columns' names, for toJSON (default `data.columns`, else none). */
  readonly columns?: readonly string[];
}

/**
 * The family of `model` without preparing any data: the same hooks prepareFit's family has
 * (E-step, merge, M-step, ...), rebuilt from the model file alone by the same construction the
 * prepare files use (bayesNetFamilyFor, gaussianMixtureFamilyFor, hmmFamilyFor). The E-step pool's threads
 * (src/worker/estepThread.ts) use it: functions cannot cross threads, a model file can. Only
 * the Gaussian mixture's toJSON reads something prepared (its column names: `options.columns`).
 */
export function familyFor(model: ModelFile, options: FamilyOptions = {}): ModelFamily<unknown, unknown, unknown> {
  const spec = model.model;
  switch (spec.kind) {
    case 'bayesnet':
    case 'latent-class':
      return bayesNetFamilyFor(model) as ModelFamily<unknown, unknown, unknown>;
    case 'gaussian-mixture': {
      const components = options.components ?? (typeof spec.components === 'number' ? spec.components : undefined);
      if (components === undefined) throw new Error('a list of components is fitted one K at a time: pass options.components');
      return gaussianMixtureFamilyFor(model, components, options.columns ?? model.data.columns ?? []) as ModelFamily<unknown, unknown, unknown>;
    }
    case 'hmm':
      return hmmFamilyFor(model) as ModelFamily<unknown, unknown, unknown>;
    default: {
      const never: never = spec;
      throw new InputError(`unknown model kind ${JSON.stringify(never)}`, { file: model.file });
    }
  }
}
