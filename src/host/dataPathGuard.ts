/**
 * A model file's data.path must stay inside the workspace folder the model file lives in: a
 * repository someone else wrote must not make Run EM read ~/.ssh/id_rsa or /etc/shadow (and show
 * its columns in hovers and tables). Escapes are a `..` that climbs out, an absolute path
 * elsewhere, and a symlink inside the folder that points out of it (hence fs.realpath on both
 * sides). The extension asks before it reads such a file ("Allow once"); diagnostics warn at
 * data.path. The CLI does not check: a terminal user chose the file.
 * This file does not import vscode, so unit tests drive the check itself; only the prompt is
 * injected (OutsideDataPrompt).
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/** How a resolved data path leaves its folder. */
export type DataPathEscapeKind = 'outside' | 'symlink';

export interface DataPathEscape {
  readonly kind: DataPathEscapeKind;
  /** The data file as data.path resolves it (absolute, before symlinks). */
  readonly dataPath: string;
  /** Where it really is (after symlinks; the same as dataPath when it does not exist). */
  readonly realPath: string;
  /** The folder it must stay inside. */
  readonly folder: string;
}

/** True when `inner` is `outer` or lies below it (both absolute, already normalized). */
export function isInside(outer: string, inner: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!isAbsolute(r) && r !== '..' && !r.startsWith(`..${sep}`));
}

async function realOrSelf(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

/**
 * Whether `dataPath` (absolute, as the model-file parser resolves data.path) escapes `folder`
 * (the workspace folder of the model file, or the model file's own folder when it is in none).
 * A data file that does not exist is judged by its path alone (the fit will say it is missing).
 */
export async function dataPathEscape(dataPath: string, folder: string): Promise<DataPathEscape | undefined> {
  const realFolder = await realOrSelf(folder);
  // lexically outside: `..` out of the folder, or an absolute path elsewhere
  if (!isInside(folder, dataPath) && !isInside(realFolder, dataPath)) return { kind: 'outside', dataPath, realPath: await realOrSelf(dataPath), folder };
  const realData = await realOrSelf(dataPath);
  if (!isInside(realFolder, realData)) return { kind: 'symlink', dataPath, realPath: realData, folder };
  return undefined;
}

/** The words for an escape, for the prompt, the diagnostic and the log. */
export function describeEscape(e: DataPathEscape): string {
  switch (e.kind) {
    case 'outside':
      return `"data.path" reads ${e.dataPath}, which is outside the workspace folder ${e.folder}`;
    case 'symlink':
      return `"data.path" reads ${e.dataPath}, a symbolic link to ${e.realPath}, which is outside the workspace folder ${e.folder}`;
    default: {
      const never: never = e.kind;
      return `unknown escape ${String(never)}`;
    }
  }
}

/** Asks the user whether to read a data file outside the workspace folder, this once. */
export interface OutsideDataPrompt {
  allowOnce(modelPath: string, escape: DataPathEscape): Promise<boolean>;
}
