/**
 * CLI flags and settings that override the model file's `fit` (DESIGN.md: --max-iterations,
 * --tolerance, --restarts, --seed, --missing-data, --threads), checked by the same rules as
 * the file (fitRules.ts).
 */
import { InputError } from '../shared/errors';
import type { FitOverrides, ModelFile } from '../shared/modelSpec';
import { FIT_FLAGS, fitValueProblem, type OverridableFitField } from './fitRules';

/** `model` with `overrides` applied; an InputError naming the flag for a bad value (no position). */
export function applyOverrides(model: ModelFile, overrides: FitOverrides): ModelFile {
  const fit = { ...model.fit };
  for (const field of Object.keys(overrides) as OverridableFitField[]) {
    if (!Object.prototype.hasOwnProperty.call(FIT_FLAGS, field)) throw new InputError(`unknown fit override ${JSON.stringify(field)}`);
    const value = overrides[field];
    if (value === undefined) continue;
    const problem = fitValueProblem(field, value);
    if (problem) throw new InputError(`${FIT_FLAGS[field]} ${problem} (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)})`);
    (fit as Record<string, unknown>)[field] = value;
  }
  return { ...model, fit };
}
