/**
 * Compression of categorical rows into distinct patterns with summed weights (DESIGN.md,
 * "Engine shape": the E-step costs per distinct pattern, not per row). A million rows of six
 * 2-4 level columns have at most 5^6 = 15,625 distinct patterns (missing counts as a value),
 * so an EM iteration over patterns is thousands of times cheaper than one over rows.
 *
 * Cost: one pass over the rows, O(N x C). The key of a row is its code tuple; when the
 * product of (levels + 1) over the columns is small, the tuple is read as a mixed-radix
 * integer that indexes a lookup table directly, otherwise it is hashed into an
 * open-addressing table that compares tuples.
 */
import type { CategoricalColumn } from './dataset';

export interface Patterns {
  /** Column names, C of them, in the order given. */
  readonly columns: string[];
  /** Number of levels of each column (C). */
  readonly cardinalities: Int32Array;
  /** P x C, row-major: the code of each column in each distinct pattern; -1 = missing. */
  readonly codes: Int32Array;
  /** P: summed row weights of each pattern (rows with weight 0 still make a pattern). */
  readonly counts: Float64Array;
  /** N: the pattern of each data row. */
  readonly rowToPattern: Int32Array;
}

/** Largest mixed-radix key space that is indexed directly (4 M entries = 16 MB of Int32). */
const DIRECT_TABLE_LIMIT = 1 << 22;

/**
 * Distinct patterns of `columns` in order of first appearance, with the summed `weights`
 * (every row counts 1 without weights). All columns must have the same length.
 */
export function compressPatterns(columns: readonly CategoricalColumn[], weights?: Float64Array): Patterns {
  const c = columns.length;
  const n = c === 0 ? (weights?.length ?? 0) : columns[0].codes.length;
  for (const col of columns) {
    if (col.codes.length !== n) throw new Error(`column ${col.name} has ${col.codes.length} rows, expected ${n}`);
  }
  if (weights && weights.length !== n) throw new Error(`weights have ${weights.length} rows, expected ${n}`);
  const cardinalities = Int32Array.from(columns, (col) => col.levels.length);
  const codeArrays = columns.map((col) => col.codes);

  // Size of the key space with "missing" as one more value per column.
  let space = 1;
  for (let j = 0; j < c && space <= DIRECT_TABLE_LIMIT; j++) space *= cardinalities[j] + 1;
  const useDirect = space <= DIRECT_TABLE_LIMIT && space <= 8 * n + 1024;

  const builder = new PatternBuilder(c);
  const rowToPattern = new Int32Array(n);
  if (useDirect) {
    // key = sum_j (code_j + 1) * radix_j, a bijection from code tuples onto [0, space)
    const radix = new Int32Array(c);
    let r = 1;
    for (let j = c - 1; j >= 0; j--) {
      radix[j] = r;
      r *= cardinalities[j] + 1;
    }
    const table = new Int32Array(space).fill(-1);
    const tuple = new Int32Array(c);
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (let j = 0; j < c; j++) {
        const code = codeArrays[j][i];
        tuple[j] = code;
        key += (code + 1) * radix[j];
      }
      let p = table[key];
      if (p < 0) {
        p = builder.add(tuple);
        table[key] = p;
      }
      rowToPattern[i] = p;
      builder.counts[p] += weights ? weights[i] : 1;
    }
  } else {
    const index = new TupleHashIndex(c);
    const tuple = new Int32Array(c);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) tuple[j] = codeArrays[j][i];
      let p = index.find(tuple, builder);
      if (p < 0) {
        p = builder.add(tuple);
        index.insert(tuple, p, builder);
      }
      rowToPattern[i] = p;
      builder.counts[p] += weights ? weights[i] : 1;
    }
  }
  return {
    columns: columns.map((col) => col.name),
    cardinalities,
    codes: builder.codes.slice(0, builder.size * c),
    counts: builder.counts.slice(0, builder.size),
    rowToPattern,
  };
}

/** Growable storage of the distinct patterns found so far. */
class PatternBuilder {
  codes: Int32Array; // capacity x C
  counts: Float64Array; // capacity
  size = 0;
  constructor(private readonly width: number) {
    this.codes = new Int32Array(64 * Math.max(1, width));
    this.counts = new Float64Array(64);
  }
  /** Append a pattern; returns its index. */
  add(tuple: Int32Array): number {
    if (this.size === this.counts.length) {
      const codes = new Int32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
      const counts = new Float64Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    this.codes.set(tuple, this.size * this.width);
    return this.size++;
  }
  equals(p: number, tuple: Int32Array): boolean {
    const off = p * this.width;
    for (let j = 0; j < this.width; j++) if (this.codes[off + j] !== tuple[j]) return false;
    return true;
  }
}

/**
 * Open addressing with linear probing over pattern indices, keyed by the code tuple
 * (FNV-1a-style mixing of the 32-bit codes). Load factor kept below 1/2.
 */
class TupleHashIndex {
  private slots = new Int32Array(1024).fill(-1);
  private filled = 0;
  constructor(private readonly width: number) {}

  private hash(tuple: Int32Array): number {
    let h = 0x811c9dc5;
    for (let j = 0; j < this.width; j++) {
      h = Math.imul(h ^ (tuple[j] + 1), 0x01000193);
      h ^= h >>> 15;
    }
    return h >>> 0;
  }

  find(tuple: Int32Array, patterns: PatternBuilder): number {
    const mask = this.slots.length - 1;
    for (let s = this.hash(tuple) & mask; ; s = (s + 1) & mask) {
      const p = this.slots[s];
      if (p < 0) return -1;
      if (patterns.equals(p, tuple)) return p;
    }
  }

  insert(tuple: Int32Array, p: number, patterns: PatternBuilder): void {
    if (2 * (this.filled + 1) > this.slots.length) this.grow(patterns);
    const mask = this.slots.length - 1;
    let s = this.hash(tuple) & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    this.slots[s] = p;
    this.filled++;
  }

  private grow(patterns: PatternBuilder): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    const tuple = new Int32Array(this.width);
    for (const p of old) {
      if (p < 0) continue;
      tuple.set(patterns.codes.subarray(p * this.width, (p + 1) * this.width));
      let s = this.hash(tuple) & mask;
      while (this.slots[s] >= 0) s = (s + 1) & mask;
      this.slots[s] = p;
    }
  }
}
