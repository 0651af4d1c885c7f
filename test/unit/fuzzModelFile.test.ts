// Fuzzing the model-file parser (fast-check): the example and fixture model files, mutated as
// JSON values (keys dropped, renamed or duplicated, values replaced by random JSON of any type,
// numbers bent to 0, -1, 1.5, 1e308, ...) and then as text (cut off, characters inserted or
// deleted, a BOM, comments). For every case:
// - checkModelFile returns problems and never throws; each problem has a one-line message and
//   a range inside the text;
// - parseModelFile returns a model exactly when checkModelFile reports no error, and otherwise
//   throws an InputError that IS checkModelFile's first error (message, line, column);
// - a model that parses also passes through applyOverrides, readOptionsFor and
//   checkModelAgainstHeader without an exception;
// - no case takes a second (the slowest is measured and reported).
// EMW_FUZZ_RUNS scales the case count; a failure prints fast-check's seed and path to replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyOverrides, checkModelAgainstHeader, checkModelFile, parseModelFile, type ParsedModelFile, type SpecProblem } from '../../src/spec';
import { readOptionsFor } from '../../src/worker/fitJob';
import { InputError } from '../../src/shared/errors';

const RUNS = Number(process.env.EMW_FUZZ_RUNS || 10_000);
const MAX_CASE_MS = 1000;
const root = join(__dirname, '..', '..', '..');

/** The seeds: every model file the project ships or tests as good. */
const seedFiles = [
  ...['tutorial', 'latent-class', 'gaussian-mixture', 'hmm'].flatMap((d) => readdirSync(join(root, 'examples', d)).filter((f) => f.endsWith('.em.json')).map((f) => join(root, 'examples', d, f))),
  ...readdirSync(join(root, 'test', 'fixtures', 'spec', 'good')).map((f) => join(root, 'test', 'fixtures', 'spec', 'good', f)),
  ...readdirSync(join(root, 'test', 'fixtures', 'bad', 'ok')).map((f) => join(root, 'test', 'fixtures', 'bad', 'ok', f)),
];
/** Seeds as JSON values (comments stripped by the parser itself: a seed that is JSONC is read via parseModelFile's own path). */
const seeds: unknown[] = seedFiles.map((f) => {
  const text = readFileSync(f, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return JSON.parse(text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').replace(/,(\s*[}\]])/g, '$1')) as unknown;
  }
});

/** Words the model file uses, so that replacements often reach the semantic checks. */
const WORDS = ['bayesnet', 'latent-class', 'gaussian-mixture', 'hmm', 'full', 'diag', 'spherical', 'tied', 'gaussian', 'categorical', 'em', 'drop', 'fill-mode', 'kmeans++', 'random', 'A', 'B', 'H', 'C', '#', 'H=0', 'H=1', 'A=0,B=1', '0', '1', 'states', 'hidden', 'column', 'parents', 'init', 'path', 'weight', 'columns', 'missing', 'sequence', 'delimiter', 'eruptions', 'waiting', 'seq', 'sky', ''];
const KEYS = ['kind', 'data', 'model', 'fit', 'init', 'name', '$schema', 'path', 'columns', 'weight', 'missing', 'sequence', 'delimiter', 'variables', 'parents', 'prior', 'classes', 'components', 'covariance', 'states', 'emission', 'hidden', 'column', 'maxIterations', 'tolerance', 'restarts', 'seed', 'missingData', 'threads', 'regularization', 'weights', 'means', 'covariances', 'startProbabilities', 'transitions', 'probabilities', 'symbols', 'H', 'A', 'B', '__proto__', 'constructor'];
const NUMBERS = [0, -1, 1, 2, 3, 0.5, 1.5, -0.5, 1e-12, 1e308, -1e308, 4294967295, 4294967296, 2 ** 53, 1e6, 100_000, 1000];

const jsonLeaf = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(...WORDS),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: jsonLeaf },
  { weight: 1, arbitrary: fc.array(jsonLeaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.array(fc.constantFrom(...NUMBERS), { maxLength: 3 }), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), jsonLeaf, { maxKeys: 3 }) },
);

/** One change to a JSON value, at the node `pick` (mod the node count) in pre-order. */
type Mutation =
  | { readonly op: 'drop'; readonly pick: number }
  | { readonly op: 'replace'; readonly pick: number; readonly value: unknown }
  | { readonly op: 'rename'; readonly pick: number; readonly key: string }
  | { readonly op: 'add'; readonly pick: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'bend'; readonly pick: number; readonly value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: jsonValue }),
  fc.record({ op: fc.constant('rename' as const), pick: fc.nat(), key: fc.constantFrom(...KEYS) }),
  fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom(...KEYS), value: jsonValue }),
  fc.record({ op: fc.constant('bend' as const), pick: fc.nat(), value: fc.constantFrom(...NUMBERS) }),
);

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) pair in pre-order: the places a mutation can act on. */
function places(v: unknown, out: [Container, string | number][] = []): [Container, string | number][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), places(x, out)));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.push([v as Record<string, unknown>, k]), places((v as Record<string, unknown>)[k], out);
  return out;
}

function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  const root = structuredClone(seed) as Record<string, unknown>;
  for (const m of mutations) {
    const all = places(root);
    if (all.length === 0) continue;
    const [container, key] = all[m.pick % all.length];
    const isArray = Array.isArray(container);
    switch (m.op) {
      case 'drop':
        if (isArray) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      case 'replace':
        (container as Record<string | number, unknown>)[key] = m.value;
        break;
      case 'rename':
        if (!isArray) {
          const v = container[key as string];
          delete container[key as string];
          Object.defineProperty(container, m.key, { value: v, enumerable: true, writable: true, configurable: true });
        }
        break;
      case 'add': {
        const target = (container as Record<string | number, unknown>)[key];
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        else if (Array.isArray(target)) target.push(m.value);
        break;
      }
      case 'bend': {
        const target = (container as Record<string | number, unknown>)[key];
        if (typeof target === 'number') (container as Record<string | number, unknown>)[key] = m.value;
        break;
      }
      default: {
        const never: never = m;
        throw new Error(`unknown mutation ${JSON.stringify(never)}`);
      }
    }
  }
  return root;
}

/** One change to the text: cut, insert, delete, duplicate a property, BOM, comment. */
type TextEdit = { readonly op: 'cut' | 'insert' | 'delete' | 'duplicate-key' | 'bom' | 'comment'; readonly at: number; readonly text: string };
const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  op: fc.constantFrom('cut', 'insert', 'delete', 'duplicate-key', 'bom', 'comment'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\\u', '\n', '\r', '\t', ' ', '1e999', '-', 'NaN', 'true', 'null', '/*', '//', '\uFEFF', '\u2028', 'é', '😀'), fc.string({ maxLength: 4 })),
});

function editText(text: string, e: TextEdit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.op) {
    case 'cut':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1 + (e.text.length % 3));
    case 'duplicate-key': {
      // the first `"key": value` at or after `at` whose value is a plain scalar, written twice
      const m = /"[^"\\]*"\s*:\s*("[^"\\]*"|-?[\d.eE+-]+|true|false|null)/.exec(text.slice(at));
      if (!m) return text;
      const start = at + m.index;
      return text.slice(0, start) + m[0] + ', ' + text.slice(start);
    }
    case 'bom':
      return '\uFEFF' + text;
    case 'comment':
      return text.slice(0, at) + '/* ' + e.text.replace(/\*\//g, '') + ' */' + text.slice(at);
    default: {
      const never: never = e.op;
      throw new Error(`unknown edit ${String(never)}`);
    }
  }
}

const fuzzCase = fc.record({
  seed: fc.nat({ max: seeds.length - 1 }),
  mutations: fc.array(mutation, { maxLength: 4 }),
  indent: fc.constantFrom(0, 2),
  edits: fc.oneof({ weight: 3, arbitrary: fc.constant([] as TextEdit[]) }, { weight: 2, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) }),
});

function lineCount(s: string): number {
  return (s.match(/\r\n|\r|\n/g) ?? []).length + 1;
}

function checkProblem(p: SpecProblem, text: string): void {
  assert.ok(p.severity === 'error' || p.severity === 'warning', p.severity);
  assert.ok(p.message.length > 0 && !/[\r\n]/.test(p.message), `one-line message: ${JSON.stringify(p.message.slice(0, 200))}`);
  const lines = lineCount(text);
  const { line, column, endLine, endColumn } = p.range;
  assert.ok(line >= 1 && line <= lines && endLine >= line && endLine <= lines, `lines ${line}-${endLine} of ${lines}: ${p.message}`);
  assert.ok(column >= 1 && (endLine > line || endColumn >= column), `columns ${column}-${endColumn}: ${p.message}`);
}

/** A header holding every column name the seeds use. */
const HEADER = ['A', 'B', 'C', '#', 'H', 'eruptions', 'waiting', 'seq', 'sky', 'day', 'return', 'Class', 'Sex', 'Age', 'Survived', 'Freq', 'x', 'y'];

test(`model-file parser: ${RUNS} mutated model files: checkModelFile never throws, parseModelFile throws its first error, each under 1 s`, { timeout: 300_000 }, () => {
  let slowest = 0;
  let parsedFine = 0;
  let refused = 0;
  const t0 = performance.now();
  fc.assert(
    fc.property(fuzzCase, ({ seed, mutations, indent, edits }) => {
      const start = performance.now();
      let text = JSON.stringify(mutate(seeds[seed], mutations), null, indent);
      for (const e of edits) text = editText(text, e);
      const file = 'fuzz.em.json';
      const problems = checkModelFile(text, file);
      for (const p of problems) checkProblem(p, text);
      const firstError = problems.find((p) => p.severity === 'error');
      let parsed: ParsedModelFile | undefined;
      try {
        parsed = parseModelFile(text, file);
      } catch (e) {
        if (!(e instanceof InputError)) throw e; // anything else is a bug: fast-check reports the input
        assert.ok(firstError, `parseModelFile threw ${e.format()} but checkModelFile found no error`);
        assert.deepEqual({ message: e.message, line: e.line, column: e.column }, { message: firstError.message, line: firstError.range.line, column: firstError.range.column });
        assert.equal(e.file, file);
        refused++;
      }
      if (parsed) {
        assert.equal(firstError, undefined, `parseModelFile accepted a file with the error ${firstError?.message}`);
        parsedFine++;
        const model = applyOverrides(parsed.model, {});
        readOptionsFor(model);
        for (const p of checkModelAgainstHeader(parsed, HEADER)) checkProblem(p, text);
      }
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < MAX_CASE_MS, `a case took ${ms.toFixed(0)} ms`);
    }),
    { numRuns: RUNS, ...(process.env.EMW_FUZZ_SEED ? { seed: Number(process.env.EMW_FUZZ_SEED) } : {}) },
  );
  console.log(`fuzz model-file parser: ${RUNS} cases from ${seeds.length} seed files (${parsedFine} parsed, ${refused} InputErrors) in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest case ${slowest.toFixed(1)} ms`);
});
