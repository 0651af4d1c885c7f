/**
 * A data file held open for the whole of one read, so that the read is of one version of it.
 *
 * A file can change while it is read: an editor or `mv` replaces it by a rename, `>` and
 * writeFile truncate it and write it again in place, a log grows. The reader reads through one
 * handle from its first byte to its last, again through the same handle for a second pass (a
 * re-read as categorical, csv-parse after the byte scanner), and locates an error in the bytes
 * of that handle too. A rename over the path is then harmless: the handle keeps the file it
 * opened, whole. A write in place is seen by comparing the file's size and modification time
 * when the read starts and when it ends: when they differ, the bytes read may be part old and
 * part new, and the read is refused with an InputError rather than giving a dataset that is
 * neither version, or an error at a place that is in neither.
 *
 * The change time is not compared: it also moves when the file is only renamed or unlinked
 * (its contents intact), which is exactly the case a rename over the path creates.
 *
 * Limit: a rewrite in place that keeps the size and falls within the same tick of the file
 * system's clock as the write before it (timestamps are coarse: a few milliseconds on Linux)
 * is not seen.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../shared/errors';
import { type ByteSource, descriptorByteSource } from './csvLocator';

/** What tells two versions of a file apart without reading it again. */
interface FileVersion {
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

async function versionOf(handle: FileHandle): Promise<FileVersion> {
  const s = await handle.stat({ bigint: true });
  return { size: s.size, mtimeNs: s.mtimeNs };
}

/** An error of the file system as an InputError naming the file, where it is the input's fault; other errors pass through. */
export function fileSystemError(e: unknown, file: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new InputError('no such file', { file });
  if (code === 'EISDIR') return new InputError('this is a folder, not a data file', { file });
  if (code === 'EACCES' || code === 'EPERM') return new InputError('permission denied: cannot read this file', { file });
  return e;
}

export class OpenDataFile {
  private constructor(
    readonly path: string,
    readonly handle: FileHandle,
    private readonly version: FileVersion,
  ) {}

  /** Opens `path` for reading; a missing file, a folder or no permission is an InputError. */
  static async open(path: string): Promise<OpenDataFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw fileSystemError(e, path);
    }
    try {
      return new OpenDataFile(path, handle, await versionOf(handle));
    } catch (e) {
      await handle.close();
      throw fileSystemError(e, path);
    }
  }

  /** Throws an InputError when the file's size or modification time moved since it was opened. */
  async assertUnchanged(): Promise<void> {
    const now = await versionOf(this.handle);
    if (now.size !== this.version.size || now.mtimeNs !== this.version.mtimeNs) {
      throw new InputError('this file changed while it was being read (it was written to during the read): read it again once it is saved', { file: this.path });
    }
  }

  /** Synchronous access to the bytes of this file (to locate an error in what was read). */
  byteSource(): ByteSource {
    return descriptorByteSource(this.handle.fd);
  }

  /** Every byte of the file, from offset 0 (positional reads: the stream reads before do not move a file position). */
  async readAll(): Promise<Buffer> {
    const parts: Buffer[] = [];
    let position = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return Buffer.concat(parts);
      parts.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  }

  /** Refuses a UTF-16 file (its byte order mark) with what to do. */
  async refuseUtf16(): Promise<void> {
    const head = Buffer.alloc(2);
    const { bytesRead } = await this.handle.read(head, 0, 2, 0);
    if (bytesRead === 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      throw new InputError('this file is UTF-16 encoded; save it as UTF-8 to read it', { file: this.path, line: 1, column: 1, endColumn: 1 });
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Runs `body` with `path` open, and closes it whatever happens. */
export async function withDataFile<T>(path: string, body: (file: OpenDataFile) => Promise<T>): Promise<T> {
  const file = await OpenDataFile.open(path);
  try {
    return await body(file);
  } finally {
    await file.close();
  }
}
