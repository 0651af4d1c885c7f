/**
 * What the host reads from a model file's text without the full parser: its name, its kind and
 * the dataset it points to. Lenient (jsonc), so it works while the user types; the worker and
 * the diagnostics do the real validation.
 */
import { parse } from 'jsonc-parser/lib/esm/main.js'; // the ESM build: esbuild cannot follow the UMD build's dynamic requires
import { dirname, resolve } from 'node:path';

export interface ModelFileSummary {
  readonly name?: string;
  readonly kind?: string;
  /** Absolute path of the dataset (`data` or `data.path`, relative to the model file). */
  readonly dataPath?: string;
  /** Tokens that mean "missing" (`data.missing`), when given. */
  readonly missing?: readonly string[];
  /** Field delimiter (`data.delimiter`), when given. */
  readonly delimiter?: string;
}

export function summarizeModelText(text: string, modelPath: string): ModelFileSummary {
  const root: unknown = parse(text, [], { allowTrailingComma: true });
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return {};
  const o = root as Record<string, unknown>;
  const data = o.data;
  const rel = typeof data === 'string' ? data : typeof data === 'object' && data !== null && typeof (data as Record<string, unknown>).path === 'string' ? ((data as Record<string, unknown>).path as string) : undefined;
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const missing = Array.isArray(d.missing) && d.missing.every((m) => typeof m === 'string') ? (d.missing as string[]) : undefined;
  const model = o.model;
  const kind = typeof model === 'object' && model !== null && typeof (model as Record<string, unknown>).kind === 'string' ? ((model as Record<string, unknown>).kind as string) : undefined;
  return {
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(rel !== undefined && rel.length > 0 ? { dataPath: resolve(dirname(modelPath), rel) } : {}),
    ...(missing ? { missing } : {}),
    ...(typeof d.delimiter === 'string' ? { delimiter: d.delimiter } : {}),
  };
}
