/**
 * What each `fit` setting accepts: one rule per field, used both for the model file (with a
 * source range) and for CLI flags and settings (applyOverrides), so the two say the same.
 */
import type { FitOverrides } from '../shared/modelSpec';
import { MISSING_DATA_STRATEGIES } from './vocabulary';

/** The fit fields that a flag or a setting can override. */
export type OverridableFitField = keyof Required<FitOverrides>;

/** The CLI flag of each overridable field (DESIGN.md, "Command line"). */
export const FIT_FLAGS: Readonly<Record<OverridableFitField, string>> = {
  maxIterations: '--max-iterations',
  tolerance: '--tolerance',
  restarts: '--restarts',
  seed: '--seed',
  missingData: '--missing-data',
  threads: '--threads',
};

/** Largest seed: the RNG takes 32-bit seeds (src/engine/rng.ts), so larger ones would collide. */
export const MAX_SEED = 0xffffffff;

function wholeNumberAtLeast(value: unknown, min: number): string | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min ? undefined : `must be a whole number >= ${min}`;
}

/**
 * Why `value` is not acceptable for fit field `field` (a phrase such as "must be a number > 0"),
 * or undefined when it is. `init` is not covered here: its object form depends on the model.
 */
export function fitValueProblem(field: OverridableFitField | 'regularization', value: unknown): string | undefined {
  switch (field) {
    case 'maxIterations':
      return wholeNumberAtLeast(value, 0);
    case 'restarts':
      return wholeNumberAtLeast(value, 1);
    case 'threads':
      return wholeNumberAtLeast(value, 0);
    case 'seed':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED ? undefined : `must be a whole number from 0 to ${MAX_SEED}`;
    case 'tolerance':
      // 0 is allowed: run every iteration up to maxIterations (a fixed point also stops, gaining nothing)
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : 'must be a number >= 0';
    case 'regularization':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : 'must be a number >= 0';
    case 'missingData':
      return typeof value === 'string' && (MISSING_DATA_STRATEGIES as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${MISSING_DATA_STRATEGIES.map((s) => JSON.stringify(s)).join(', ')}`;
    default: {
      const never: never = field;
      throw new Error(`unknown fit field ${String(never)}`);
    }
  }
}
