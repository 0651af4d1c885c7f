/**
 * Files written so that a reader never sees half of one: the data go to a temporary file in
 * the same folder, are flushed to disk, and the temporary file is renamed over the target
 * (rename within one file system is atomic on POSIX and replaces the target on Windows).
 * On any failure the temporary file is removed and the target is left as it was.
 *
 * The one implementation for the CLI's `--posteriors` (src/worker/fitJob.ts) and the
 * extension's exports (src/host): node I/O only, never vscode.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flush, close and move into place. */
  commit(): Promise<void>;
  /** Close and delete the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/** A fresh hidden name beside `target` (the same folder, so the rename stays on one file system). */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function openAtomicFile(target: string): Promise<AtomicFile> {
  const temp = temporaryPathFor(target);
  const handle = await open(temp, 'wx', 0o644);
  let closed = false;
  const close = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      await handle.close();
    }
  };
  return {
    write: async (chunk) => {
      await handle.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    },
    commit: async () => {
      try {
        await handle.sync();
        await close();
        await rename(temp, target);
      } catch (e) {
        await close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
        throw e;
      }
    },
    abort: async () => {
      await close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    },
  };
}

/**
 * Write `content` to `target` atomically: one string or byte array, or chunks in order (a
 * generator streams a large file without holding it whole). A chunk source that throws
 * leaves no temporary file and the target as it was.
 */
export async function writeFileAtomic(target: string, content: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
  const file = await openAtomicFile(target);
  try {
    if (typeof content === 'string' || content instanceof Uint8Array) await file.write(content);
    else for (const chunk of content) await file.write(chunk);
  } catch (e) {
    await file.abort();
    throw e;
  }
  await file.commit();
}
