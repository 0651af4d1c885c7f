/**
 * Reading a start's screening record (results.ts StartScreening) the same way in the CLI's
 * text and the inspector: per-row values, the runner-up, and how the sample is described.
 * Pure functions over plain JSON; imports nothing but types.
 */
import type { StartScreening } from './results';

/** A whole number with thousands separators (20000 -> "20,000"), the same in every locale. */
export function groupDigits(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A log-likelihood on the screening sample divided by the sample's weighted rows (null stays null). */
export function perSampleRow(screening: StartScreening, logLikelihood: number | null): number | null {
  return logLikelihood === null || !(screening.sampleWeightedRows > 0) ? null : logLikelihood / screening.sampleWeightedRows;
}

/** The last value of a candidate's screening (its log-likelihood when the ranking was made). */
export function finalLogLikelihood(screening: StartScreening, candidate: number): number | null {
  const values = screening.candidates[candidate]?.logLikelihoods ?? [];
  return values.length > 0 ? values[values.length - 1] : null;
}

export interface ScreeningRanking {
  /** The chosen candidate's final log-likelihood per sample row (null if not finite). */
  readonly chosenPerRow: number | null;
  /** The best final value per sample row among the other candidates that needed no repair; undefined when there is none. */
  readonly runnerUpPerRow?: number;
  /** 0-based index of that runner-up. */
  readonly runnerUp?: number;
  /** Candidates whose covariances had to be repaired (ranked last whatever their value). */
  readonly repaired: number;
}

/** The chosen candidate's value and the runner-up's, per sample row, as the ranking saw them. */
export function rankScreening(screening: StartScreening): ScreeningRanking {
  let runnerUp: number | undefined;
  let runnerUpValue = -Infinity;
  let repaired = 0;
  screening.candidates.forEach((c, i) => {
    if (c.repaired) {
      repaired++;
      return;
    }
    if (i === screening.chosen) return;
    const v = finalLogLikelihood(screening, i);
    if (v !== null && v > runnerUpValue) {
      runnerUpValue = v;
      runnerUp = i;
    }
  });
  const chosenPerRow = perSampleRow(screening, finalLogLikelihood(screening, screening.chosen));
  const runnerUpPerRow = runnerUp === undefined ? null : perSampleRow(screening, runnerUpValue);
  return { chosenPerRow, ...(runnerUp !== undefined && runnerUpPerRow !== null ? { runnerUp, runnerUpPerRow } : {}), repaired };
}

/** Where the screening ran: "20,000 sampled rows" or "all 272 rows", with the weighted count when rows carry weights. */
export function describeScreeningRows(screening: StartScreening): string {
  const rows = screening.sampled ? `${groupDigits(screening.sampleRows)} sampled rows` : `all ${groupDigits(screening.sampleRows)} rows`;
  const weighted = screening.sampleWeightedRows !== screening.sampleRows ? ` (${groupDigits(Number(screening.sampleWeightedRows.toPrecision(12)))} by weight)` : '';
  return rows + weighted;
}

/**
 * Two values with as many decimals (2 to 6) as it takes to tell them apart, so that the chosen
 * candidate and the runner-up do not print the same when they differ.
 */
export function distinguishingDecimals(a: number, b: number | undefined): number {
  if (b === undefined) return 4;
  for (let d = 2; d < 6; d++) if (a.toFixed(d) !== b.toFixed(d)) return d;
  return 6;
}
