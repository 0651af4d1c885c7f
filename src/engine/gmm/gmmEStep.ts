/**
 * The Gaussian mixture's E-step over a range of units: the complete rows go through the fused
 * kernel of their covariance type (completeRowKernels.ts, in its unrolled form for the data's
 * D, unrolledKernels.ts; diag and spherical in WebAssembly, wasmDiagonalKernel.ts, with the
 * same bits), the incomplete rows pattern by
 * pattern through patternRowKernel.ts, each pattern's factors computed once for the call.
 * Shards of one E-step (disjoint ranges) give statistics that mergeStats adds exactly.
 */
import type { EStepOutput, UnitRange } from '../family';
import { completeRowsDiagonal, completeRowsFull, completeRowsTied } from './completeRowKernels';
import type { GmmData } from './gmmData';
import type { GmmParameters } from './gmmParameters';
import type { GmmStats } from './gmmStats';
import { emptyStats, referencePoints } from './gmmStats';
import { patternFactors } from './patternFactors';
import { patternRows } from './patternRowKernel';
import { unrolledKernel } from './unrolledKernels';
import { wasmDiagonalAvailable, wasmRowsDiagonal } from './wasmDiagonalKernel';

export function gmmEStep(data: GmmData, params: GmmParameters, range?: UnitRange): EStepOutput<GmmStats> {
  const { k, d } = params;
  const start = Math.max(0, range?.start ?? 0);
  const end = Math.min(data.units, range?.end ?? data.units);
  const stats = emptyStats(params.covariance, k, d, referencePoints(params.covariance, k, d, params.means, data.center));
  let logLikelihood = 0;
  const completeEnd = Math.min(end, data.completeUnits);
  if (start < completeEnd) {
    switch (params.covariance) {
      case 'full':
        logLikelihood += (unrolledKernel('full', d) ?? completeRowsFull)(data, params, start, completeEnd, stats);
        break;
      case 'tied':
        logLikelihood += (unrolledKernel('tied', d) ?? completeRowsTied)(data, params, start, completeEnd, stats);
        break;
      case 'diag':
      case 'spherical':
        logLikelihood += (wasmDiagonalAvailable() ? wasmRowsDiagonal : (unrolledKernel('diagonal', d) ?? completeRowsDiagonal))(data, params, start, completeEnd, stats);
        break;
      default: {
        const never: never = params.covariance;
        throw new Error(`unknown covariance type ${String(never)}`);
      }
    }
  }
  for (let p = firstPatternAtOrAfter(data, start); p < data.patterns && data.patternStart[p] < end; p++) {
    const a = Math.max(start, data.patternStart[p]);
    const b = Math.min(end, data.patternStart[p + 1]);
    if (a >= b) continue;
    logLikelihood += patternRows(data, patternFactors(params, data.patternObserved, p * d), a, b, stats);
  }
  return { logLikelihood, stats };
}

/** The pattern that holds unit `unit` (or the first pattern when `unit` is a complete row). */
export function firstPatternAtOrAfter(data: GmmData, unit: number): number {
  let lo = 0;
  let hi = data.patterns;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data.patternStart[mid + 1] <= unit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
