/**
 * How settings combine with a model file: a setting is a default for the keys the file's `fit`
 * section leaves out (the file wins, as it does over the engine's defaults), and an explicit
 * override (a command argument, "Run EM with Restarts...") wins over both. No vscode import.
 */
import { parseTree, findNodeAtLocation } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot follow the UMD build's dynamic requires
import type { FitOverrides } from '../shared/modelSpec';

/** The settings that can default a `fit` key. */
export interface FitDefaults {
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly restarts: number;
  readonly threads: number;
}

/** Keys of `fit` that a setting can default. */
const DEFAULTED = ['maxIterations', 'tolerance', 'restarts', 'threads'] as const;

/**
 * Overrides for a run: the settings for each `fit` key the model file's text does not set,
 * then `explicit` on top. The text is parsed leniently (jsonc); a file that does not parse
 * gets every setting, and the worker then reports the file's own error.
 */
export function runOverrides(modelText: string, settings: FitDefaults, explicit: FitOverrides = {}): FitOverrides {
  const root = parseTree(modelText);
  const out: { -readonly [K in keyof FitOverrides]: FitOverrides[K] } = {};
  for (const key of DEFAULTED) {
    const inFile = root ? findNodeAtLocation(root, ['fit', key]) : undefined;
    if (inFile === undefined) out[key] = settings[key];
  }
  return { ...out, ...explicit };
}
