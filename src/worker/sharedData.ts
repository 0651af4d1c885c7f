/**
 * Prepared data for many threads at once: a copy of a family's prepared data in which every
 * large typed array lives on a SharedArrayBuffer. Posting the copy to a worker thread then
 * shares those arrays (the structured clone of a typed array over a SharedArrayBuffer is a
 * view on the same memory) instead of copying them, so the data are copied once, here, and
 * never again however many threads read them or how many iterations run.
 *
 * The data must be plain data: primitives, arrays, plain objects and typed arrays. Anything
 * else (a class instance, a function, a Map) either fails to cross a thread or crosses it
 * without its behaviour, so it is refused here, with the path to it, before any thread starts.
 */

/** Typed arrays below this size are left as they are: cloning them per thread costs nothing. */
export const SHARE_MIN_BYTES = 64 * 1024;

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray;

/** The data is not plain: `path` names the offending value (e.g. `data.tree.cliques[0]`). */
export class NotPlainDataError extends Error {
  constructor(readonly path: string, what: string) {
    super(`prepared data must be plain data to be shared with E-step threads, but ${path} is ${what}`);
    this.name = 'NotPlainDataError';
  }
}

/** True when a typed array already lives on shared memory. */
export function isShared(view: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && view.buffer instanceof SharedArrayBuffer;
}

/**
 * A copy of `data` whose typed arrays of at least `minBytes` bytes are on SharedArrayBuffers.
 * Arrays already on one are kept (not copied); arrays that are views on the same buffer stay
 * views on one shared buffer; an object reachable twice is copied once (aliases stay aliases,
 * e.g. bayesnet's `rowPatterns === patterns`). Small values are kept by reference.
 */
export function shareTypedArrays<T>(data: T, minBytes = SHARE_MIN_BYTES): T {
  if (typeof SharedArrayBuffer !== 'function') return data; // no shared memory here: threads get clones
  const buffers = new Map<ArrayBufferLike, SharedArrayBuffer>();
  const copies = new Map<object, unknown>();

  const visit = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'function' || typeof value === 'symbol') throw new NotPlainDataError(path, `a ${typeof value}`);
      return value;
    }
    const seen = copies.get(value);
    if (seen !== undefined) return seen;
    if (ArrayBuffer.isView(value)) {
      if (value instanceof DataView) throw new NotPlainDataError(path, 'a DataView');
      const view = value as TypedArray;
      if (isShared(view) || view.byteLength < minBytes) return view;
      let shared = buffers.get(view.buffer);
      if (shared === undefined) {
        // the whole buffer, so that other views on it keep their offsets
        shared = new SharedArrayBuffer(view.buffer.byteLength);
        new Uint8Array(shared).set(new Uint8Array(view.buffer));
        buffers.set(view.buffer, shared);
      }
      const copy = new (view.constructor as TypedArrayConstructor)(shared, view.byteOffset, view.length);
      copies.set(value, copy);
      return copy;
    }
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array<unknown>(value.length);
      copies.set(value, copy);
      for (let i = 0; i < value.length; i++) copy[i] = visit(value[i], `${path}[${i}]`);
      return copy;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object with a prototype';
      throw new NotPlainDataError(path, `a ${name}, not a plain object`);
    }
    const copy: Record<string, unknown> = {};
    copies.set(value, copy);
    for (const key of Object.keys(value)) copy[key] = visit((value as Record<string, unknown>)[key], `${path}.${key}`);
    return copy;
  };

  return visit(data, 'data') as T;
}
