/**
 * The convergence chart's data: one log-likelihood line per restart (the best one marked),
 * the points where a line fell, and the live line of a fit that is still running, shaped as
 * uPlot's aligned columns ([x, y1, y2, ...], null where a restart has no value).
 */
import type { FitResult, StopReason } from '../../../src/shared/results';
import type { FitProgress } from '../../../src/shared/runs';

/** A fall smaller than this (relative) is rounding, as in the engine's convergence monitor. */
export const FALL_TOLERANCE = 1e-9;

export interface RestartLine {
  /** 0-based restart index. */
  readonly restart: number;
  readonly seed?: number;
  /** history[t] = log-likelihood after t iterations. */
  readonly history: readonly number[];
  readonly best: boolean;
  /** Still running (from FitProgress). */
  readonly live: boolean;
  readonly stopReason?: StopReason;
  readonly converged?: boolean;
}

export interface FallPoint {
  readonly restart: number;
  /** The iteration whose log-likelihood is below the one before. */
  readonly iteration: number;
  readonly before: number;
  readonly after: number;
}

/** Histories of a running fit, by restart, accumulated from FitProgress messages. */
export interface LiveFit {
  readonly modelPath: string;
  readonly restarts: number;
  readonly current: number;
  readonly iteration: number;
  readonly maxIterations: number;
  readonly histories: Readonly<Record<number, readonly number[]>>;
}

/** Fold one progress message into the live state (a new fit of another model starts afresh). */
export function applyProgress(live: LiveFit | undefined, p: FitProgress): LiveFit {
  const base = live && live.modelPath === p.modelPath && live.restarts === p.restarts && p.restart >= live.current ? live.histories : {};
  return {
    modelPath: p.modelPath,
    restarts: p.restarts,
    current: p.restart,
    iteration: p.iteration,
    maxIterations: p.maxIterations,
    histories: { ...base, [p.restart]: p.history.slice() },
  };
}

/** Index of the best restart: the one whose history is the result's, else the highest final value. */
export function bestRestart(result: FitResult): number {
  const r = result.restarts;
  const same = r.findIndex((s) => s.history.length === result.history.length && s.history[s.history.length - 1] === result.history[result.history.length - 1]);
  if (same >= 0) return same;
  let best = 0;
  for (let i = 1; i < r.length; i++) if (r[i].logLikelihood > r[best].logLikelihood) best = i;
  return best;
}

/** The lines to draw: the live fit's when one runs, else every restart of the result. */
export function convergenceLines(result: FitResult | undefined, live: LiveFit | undefined): RestartLine[] {
  if (live) {
    return Object.keys(live.histories).map(Number).sort((a, b) => a - b).map((restart) => ({
      restart,
      history: live.histories[restart],
      best: restart === live.current,
      live: restart === live.current,
    }));
  }
  if (!result) return [];
  if (result.restarts.length === 0) return [{ restart: 0, history: result.history, best: true, live: false, stopReason: result.stopReason, converged: result.converged }];
  const best = bestRestart(result);
  return result.restarts.map((s, i) => ({ restart: i, seed: s.seed, history: s.history, best: i === best, live: false, stopReason: s.stopReason, converged: s.converged }));
}

/** Iterations where the log-likelihood fell beyond rounding. */
export function findFalls(history: readonly number[], restart: number): FallPoint[] {
  const falls: FallPoint[] = [];
  for (let t = 1; t < history.length; t++) {
    const before = history[t - 1];
    const after = history[t];
    if (after < before - FALL_TOLERANCE * Math.max(1, Math.abs(before))) falls.push({ restart, iteration: t, before, after });
  }
  return falls;
}

export interface AlignedConvergence {
  /** Iterations 0..n-1. */
  readonly x: number[];
  /** One column per line, null past the end of its history. */
  readonly lines: (number | null)[][];
  /** The fall markers: the value at each fall point, null elsewhere. */
  readonly falls: (number | null)[];
  /**
   * Restarts that stopped with "decreased": the engine keeps the parameters before the fall
   * and drops the fallen value from the history, so the marker goes on the last kept point.
   */
  readonly stoppedOnFall: (number | null)[];
  readonly fallPoints: readonly FallPoint[];
}

export function alignConvergence(lines: readonly RestartLine[]): AlignedConvergence {
  const n = lines.reduce((m, l) => Math.max(m, l.history.length), 0);
  const x = Array.from({ length: n }, (_, i) => i);
  const column = (h: readonly number[]): (number | null)[] => x.map((i) => (i < h.length ? h[i] : null));
  const falls: (number | null)[] = new Array<number | null>(n).fill(null);
  const stoppedOnFall: (number | null)[] = new Array<number | null>(n).fill(null);
  const fallPoints: FallPoint[] = [];
  for (const l of lines) {
    for (const f of findFalls(l.history, l.restart)) {
      fallPoints.push(f);
      // several restarts may fall at the same iteration: keep the lowest point visible
      const cur = falls[f.iteration];
      falls[f.iteration] = cur === null ? f.after : Math.min(cur, f.after);
    }
    if (l.stopReason === 'decreased' && l.history.length > 0) {
      const t = l.history.length - 1;
      stoppedOnFall[t] = l.history[t];
    }
  }
  return { x, lines: lines.map((l) => column(l.history)), falls, stoppedOnFall, fallPoints };
}

/** The stop reason in words. */
export function describeStopReason(reason: StopReason | undefined): string {
  switch (reason) {
    case undefined: return 'running';
    case 'tolerance': return 'converged (gain below tolerance)';
    case 'maxIterations': return 'stopped at the iteration limit';
    case 'cancelled': return 'cancelled';
    case 'decreased': return 'stopped: the log-likelihood fell';
    default: {
      const never: never = reason;
      return String(never);
    }
  }
}
