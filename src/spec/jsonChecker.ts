/**
 * Reading a jsonc-parser tree with problems at exact ranges: typed accessors that record a
 * problem (at the offending node) and return undefined instead of throwing, so that one pass
 * finds every problem in the file.
 */
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import { LineMap, type SourceRange, type SpecProblem, type SpecSeverity } from './specProblem';
import { MAX_COUNT } from './vocabulary';

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** "a string", "a number", ... for messages. */
export function describeType(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'property':
      return 'a property';
    default: {
      const never: never = node.type;
      return String(never);
    }
  }
}

export interface Property {
  /** The key's string node. */
  readonly key: Node;
  readonly value: Node;
}

export class JsonChecker {
  readonly problems: SpecProblem[] = [];
  readonly lines: LineMap;

  constructor(text: string) {
    this.lines = new LineMap(text);
  }

  range(node: Node): SourceRange {
    return this.lines.range(node.offset, node.length);
  }

  report(severity: SpecSeverity, node: Node, message: string): void {
    this.problems.push({ severity, message, range: this.range(node) });
  }

  error(node: Node, message: string): undefined {
    this.report('error', node, message);
    return undefined;
  }

  warning(node: Node, message: string): void {
    this.report('warning', node, message);
  }

  get errorCount(): number {
    return this.problems.filter((p) => p.severity === 'error').length;
  }

  /** The properties of an object node, by key (the first of duplicate keys; duplicates are reported once, by checkDuplicateKeys). */
  properties(object: Node): Map<string, Property> {
    const out = new Map<string, Property>();
    for (const p of object.children ?? []) {
      const [key, value] = p.children ?? [];
      if (key && value && !out.has(key.value as string)) out.set(key.value as string, { key, value });
    }
    return out;
  }

  /** An error at the second of any two equal keys in any object of the tree. */
  checkDuplicateKeys(node: Node): void {
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const p of node.children ?? []) {
        const key = p.children?.[0];
        if (!key) continue;
        if (seen.has(key.value as string)) this.error(key, `duplicate key ${JSON.stringify(key.value)}`);
        seen.add(key.value as string);
      }
    }
    for (const child of node.children ?? []) this.checkDuplicateKeys(child);
  }

  /** Warnings for keys not in `known`, at the key. */
  checkKnownKeys(props: Map<string, Property>, known: readonly string[], where: string): void {
    for (const [name, { key }] of props) {
      if (!known.includes(name)) this.warning(key, `unknown key ${JSON.stringify(name)} in ${where} (ignored; known keys: ${known.join(', ')})`);
    }
  }

  /** The node to blame for a missing key of `object`: the key that holds the object, else its opening brace. */
  missingKeyNode(object: Node): Node {
    const holder = object.parent;
    if (holder?.type === 'property' && holder.children?.[0]) return holder.children[0];
    return { ...object, length: 1 };
  }

  /** Node `node` if it has type `type`, else an error "`what` must be ...". */
  expect(node: Node, type: JsonType, what: string): Node | undefined {
    if (node.type === type) return node;
    const wanted = type === 'object' ? 'an object' : type === 'array' ? 'a list' : type === 'boolean' ? 'true or false' : `a ${type}`;
    return this.error(node, `${what} must be ${wanted}, not ${describeType(node)}`);
  }

  string(node: Node, what: string): string | undefined {
    return this.expect(node, 'string', what)?.value as string | undefined;
  }

  nonEmptyString(node: Node, what: string): string | undefined {
    const s = this.string(node, what);
    if (s === '') return this.error(node, `${what} must not be empty`);
    return s;
  }

  number(node: Node, what: string): number | undefined {
    return this.expect(node, 'number', what)?.value as number | undefined;
  }

  boolean(node: Node, what: string): boolean | undefined {
    return this.expect(node, 'boolean', what)?.value as boolean | undefined;
  }

  /** A whole number >= min. */
  count(node: Node, what: string, min: number, max = MAX_COUNT): number | undefined {
    const n = this.number(node, what);
    if (n === undefined) return undefined;
    if (!Number.isSafeInteger(n) || n < min) return this.error(node, `${what} must be a whole number >= ${min} (got ${n})`);
    if (n > max) return this.error(node, `${what} is ${n}: at most ${max} can be fitted`);
    return n;
  }

  /** A list of distinct strings (an error at the second of two equal ones). */
  stringList(node: Node, what: string, options: { nonEmpty?: boolean } = {}): string[] | undefined {
    if (!this.expect(node, 'array', what)) return undefined;
    const items = node.children ?? [];
    if (options.nonEmpty && items.length === 0) return this.error(node, `${what} must not be empty`);
    const out: string[] = [];
    let ok = true;
    const seen = new Set<string>();
    for (const item of items) {
      const s = this.string(item, `each entry of ${what}`);
      if (s === undefined) {
        ok = false;
        continue;
      }
      if (seen.has(s)) {
        this.error(item, `${JSON.stringify(s)} is listed twice in ${what}`);
        ok = false;
      }
      seen.add(s);
      out.push(s);
    }
    return ok ? out : undefined;
  }

  /** A list of finite numbers (errors at the offending entries). */
  numberList(node: Node, what: string): number[] | undefined {
    if (!this.expect(node, 'array', what)) return undefined;
    const out: number[] = [];
    let ok = true;
    for (const item of node.children ?? []) {
      const x = this.number(item, `each entry of ${what}`);
      if (x === undefined) ok = false;
      else out.push(x);
    }
    return ok ? out : undefined;
  }
}
