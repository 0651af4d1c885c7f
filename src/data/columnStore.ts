/**
 * Growable typed storage for one column while a file is read, sized so that memory stays
 * bounded by the typed arrays themselves:
 *
 * - The reader can say how many rows it expects (from the file size and the bytes per row
 *   seen so far); the store then allocates that many at once, with some slack, instead of
 *   doubling through 64, 128, ... (each doubling copies everything read so far).
 * - The memory comes from a resizable ArrayBuffer. A large one is only reserved address space
 *   until rows are written into it, so slack costs nothing; and `take(rows)` copies the rows
 *   into an exact-size plain array and then shrinks the buffer to 0 bytes, which gives its
 *   pages back at once instead of whenever the garbage collector gets to it. Peak memory when
 *   a dataset is finished is therefore the finished columns plus ONE column being copied, not
 *   twice the columns.
 * - The finished arrays are plain (fixed-size) typed arrays: engine loops over arrays on
 *   resizable buffers run measurably slower in V8, so those never leave the reader.
 *
 * Where resizable ArrayBuffers are missing (older runtimes), the same code runs on plain
 * buffers and the pages are freed by the garbage collector.
 */

const INITIAL_ROWS = 64;
/** Below this size a plain buffer is used: small columns do not matter for the peak, and a resizable buffer costs a page mapping. */
const RELEASABLE_MIN_BYTES = 1 << 20;

/** True if this runtime has resizable ArrayBuffers (ES2024; Node 20, Electron 25+). */
const RESIZABLE_BUFFERS: boolean = (() => {
  try {
    const b = new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer & { resizable?: boolean })(8, { maxByteLength: 16 });
    return b.resizable === true;
  } catch {
    return false;
  }
})();

interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}

/** A buffer of `byteLength` bytes that can later be shrunk to give its pages back. */
function releasableBuffer(byteLength: number): ArrayBuffer {
  if (!RESIZABLE_BUFFERS || byteLength < RELEASABLE_MIN_BYTES) return new ArrayBuffer(byteLength);
  return new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(byteLength, { maxByteLength: byteLength });
}

function release(buffer: ArrayBufferLike): void {
  if (RESIZABLE_BUFFERS && (buffer as { resizable?: boolean }).resizable === true) (buffer as ResizableArrayBuffer).resize(0);
}

/** Capacity for `needed` rows: the expected count when known (with 1/8 slack), else doubling. */
function grownCapacity(current: number, needed: number, expected: number): number {
  let capacity = Math.max(INITIAL_ROWS, current);
  if (expected > needed) capacity = Math.max(capacity, Math.ceil(expected * 1.125) + 1024);
  while (capacity <= needed) capacity *= 2;
  return capacity;
}

/** Float64 cells of one column (numbers, weights). */
export class Float64Store {
  /** The cells; valid up to the capacity; replaced when the store grows (re-read it after `ensure`). */
  array: Float64Array;
  private expected = 0;

  constructor() {
    this.array = new Float64Array(releasableBuffer(INITIAL_ROWS * 8));
  }

  /** Room for row `row`; returns the (possibly new) array. */
  ensure(row: number): Float64Array {
    if (row < this.array.length) return this.array;
    return this.reallocate(grownCapacity(this.array.length, row, this.expected));
  }

  /** The reader expects about `rows` rows in all: reserve them now (cheap: pages are committed as they are written). */
  expect(rows: number): void {
    this.expected = rows;
    if (rows > this.array.length) this.reallocate(grownCapacity(this.array.length, rows - 1, rows));
  }

  private reallocate(capacity: number): Float64Array {
    const old = this.array;
    const grown = new Float64Array(releasableBuffer(capacity * 8));
    grown.set(old);
    release(old.buffer);
    this.array = grown;
    return grown;
  }

  /** Rows [0, rows) as an exact-size plain array; the store's memory is given back and the store is empty. */
  take(rows: number): Float64Array {
    const out = this.array.slice(0, rows);
    release(this.array.buffer);
    this.array = new Float64Array(0);
    return out;
  }
}

/** Int32 cells of one column (level codes, line numbers). */
export class Int32Store {
  /** The cells; valid up to the capacity; replaced when the store grows (re-read it after `ensure`). */
  array: Int32Array;
  private expected = 0;

  constructor() {
    this.array = new Int32Array(releasableBuffer(INITIAL_ROWS * 4));
  }

  /** Room for row `row`; returns the (possibly new) array. */
  ensure(row: number): Int32Array {
    if (row < this.array.length) return this.array;
    return this.reallocate(grownCapacity(this.array.length, row, this.expected));
  }

  /** The reader expects about `rows` rows in all: reserve them now. */
  expect(rows: number): void {
    this.expected = rows;
    if (rows > this.array.length) this.reallocate(grownCapacity(this.array.length, rows - 1, rows));
  }

  private reallocate(capacity: number): Int32Array {
    const old = this.array;
    const grown = new Int32Array(releasableBuffer(capacity * 4));
    grown.set(old);
    release(old.buffer);
    this.array = grown;
    return grown;
  }

  /** Rows [0, rows) as an exact-size plain array; the store's memory is given back and the store is empty. */
  take(rows: number): Int32Array {
    const out = this.array.slice(0, rows);
    release(this.array.buffer);
    this.array = new Int32Array(0);
    return out;
  }
}
