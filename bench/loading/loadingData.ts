/**
 * The loading benchmark's input: a numeric CSV of N rows x D columns drawn from a Gaussian
 * mixture with the engine's seeded Rng (xoshiro128**), so every run and every machine gets the
 * same bytes. Written once under bench/data/ (git-ignored) and reused while its size matches.
 *
 * Two number formats, because the reader's cost depends on them:
 * - 'fixed6': `toFixed(6)` ("-1.234567"), at most 15 significant digits: what hand-made and
 *   most exported data look like; about 76 MB for 1e6 x 8.
 * - 'repr': `String(v)`, the shortest round-trip form (up to 17 significant digits), as
 *   pandas' to_csv and R's write.csv(digits=17) write doubles; about 150 MB for 1e6 x 8.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from '../../src/engine/rng';

export type NumberFormat = 'fixed6' | 'repr';

export interface LoadingDataSpec {
  readonly rows: number;
  readonly columns: number;
  readonly format: NumberFormat;
  readonly seed: number;
}

export function loadingDataPath(root: string, spec: LoadingDataSpec): string {
  return join(root, 'bench', 'data', `loading-${spec.rows}x${spec.columns}-${spec.format}-seed${spec.seed}.csv`);
}

/** The header and rows of the file, in pieces of about 1 MB. */
function* csvPieces(spec: LoadingDataSpec): Generator<string> {
  const rng = new Rng(spec.seed);
  const components = 8;
  // component means in [-5, 5)^D and scales in [0.5, 1.5): well-separated clusters
  const means = Array.from({ length: components }, () => Array.from({ length: spec.columns }, () => 10 * rng.next() - 5));
  const scales = Array.from({ length: components }, () => 0.5 + rng.next());
  const format = spec.format === 'fixed6' ? (v: number) => v.toFixed(6) : (v: number) => String(v);
  let piece = Array.from({ length: spec.columns }, (_, j) => `x${j + 1}`).join(',') + '\n';
  const cells = new Array<string>(spec.columns);
  for (let i = 0; i < spec.rows; i++) {
    const k = rng.int(components);
    for (let j = 0; j < spec.columns; j++) cells[j] = format(means[k][j] + scales[k] * rng.normal());
    piece += cells.join(',') + '\n';
    if (piece.length > 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}

/** Writes the file unless it is already there (a file of the expected row count is reused). */
export function ensureLoadingData(root: string, spec: LoadingDataSpec): string {
  const path = loadingDataPath(root, spec);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (const piece of csvPieces(spec)) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  // rename only when complete, so an interrupted run never leaves a short file to be reused
  renameSync(partial, path);
  return path;
}
