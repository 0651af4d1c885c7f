/**
 * A file read front to back in chunks for the byte scanner, one read ahead: while the scanner
 * reads chunk k, the read of chunk k + 1 is already under way in libuv's thread pool. On a busy
 * machine a read that is only started when the previous chunk is done waits for a free thread
 * each time; reading ahead hides that wait behind the parsing.
 *
 * Memory: two buffers of one chunk each, plus room in front of each for the incomplete record
 * carried over from the previous chunk (copied there, so that a chunk is never copied). A
 * carried record longer than that room (a huge quoted cell) is joined with the chunk in a
 * buffer of its own.
 *
 * Chunk sizes grow from 64 KiB to 1 MiB, so that reading a header costs one small read and a
 * large file few round trips; a fixed size (ReadOptions.chunkBytes, for tests) is kept as given.
 */
import type { FileHandle } from 'node:fs/promises';

const FIRST_CHUNK_BYTES = 1 << 16;
const MAX_CHUNK_BYTES = 1 << 20;
/** Room in front of a chunk for the bytes carried over from the previous one. */
const CARRY_ROOM_BYTES = 1 << 16;

/** The bytes to scan: `bytes[start, end)` = the carried bytes, then the new chunk; `bytes[end]` is free (for a final line break). */
export interface Chunk {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  /** True when the file has no more bytes (the chunk holds only carried bytes, if any). */
  readonly atEnd: boolean;
  /** File offset just past the new bytes. */
  readonly filePosition: number;
}

export class FileChunks {
  private readonly buffers: [Buffer, Buffer];
  /** Index into `buffers` of the buffer the pending read fills. */
  private filling = 0;
  private pending: Promise<number> | undefined;
  private position = 0;
  private chunkBytes: number;
  private readonly maxChunkBytes: number;
  private readonly growing: boolean;

  constructor(
    private readonly handle: FileHandle,
    fixedChunkBytes?: number,
  ) {
    this.growing = fixedChunkBytes === undefined;
    this.chunkBytes = fixedChunkBytes ?? FIRST_CHUNK_BYTES;
    this.maxChunkBytes = fixedChunkBytes ?? MAX_CHUNK_BYTES;
    const size = CARRY_ROOM_BYTES + this.maxChunkBytes + 1;
    this.buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  }

  private startRead(into: Buffer): Promise<number> {
    const read = this.handle.read(into, CARRY_ROOM_BYTES, this.chunkBytes, this.position).then((r) => r.bytesRead);
    // A read that fails while the scanner is busy is reported when it is awaited, not as an unhandled rejection.
    read.catch(() => undefined);
    if (this.growing) this.chunkBytes = Math.min(2 * this.chunkBytes, this.maxChunkBytes);
    return read;
  }

  /**
   * The next chunk with `carry` (the unread end of the previous chunk, or empty) in front of it.
   * `carry` may be a view into the previous chunk: it is copied before that buffer is reused.
   */
  async next(carry: Buffer): Promise<Chunk> {
    const target = this.buffers[this.filling];
    const bytesRead = await (this.pending ?? this.startRead(target));
    this.pending = undefined;
    this.position += bytesRead;
    const atEnd = bytesRead === 0;
    const chunkEnd = CARRY_ROOM_BYTES + bytesRead;
    let chunk: Chunk;
    if (carry.length <= CARRY_ROOM_BYTES) {
      carry.copy(target, CARRY_ROOM_BYTES - carry.length);
      chunk = { bytes: target, start: CARRY_ROOM_BYTES - carry.length, end: chunkEnd, atEnd, filePosition: this.position };
    } else {
      const joined = Buffer.allocUnsafe(carry.length + bytesRead + 1);
      carry.copy(joined, 0);
      target.copy(joined, carry.length, CARRY_ROOM_BYTES, chunkEnd);
      chunk = { bytes: joined, start: 0, end: carry.length + bytesRead, atEnd, filePosition: this.position };
    }
    // The other buffer held the previous chunk; its carried bytes are copied now: read into it.
    if (!atEnd) {
      this.filling ^= 1;
      this.pending = this.startRead(this.buffers[this.filling]);
    }
    return chunk;
  }

  /** Waits for a read still under way (before the file is closed); its result or error no longer matters. */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) await pending.catch(() => undefined);
  }
}
