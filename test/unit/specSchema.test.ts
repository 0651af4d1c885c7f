// media/em-model.schema.json against the parser: every example and good fixture validates,
// files the parser refuses are refused by the schema too, and the schema's enums, keys and
// defaults are the parser's.
//
// No JSON-schema package is a dependency of the project, so this file carries a small validator
// for exactly the draft-07 keywords the schema uses; it throws on any other keyword, so a
// schema change it does not understand fails the test instead of passing unchecked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import { DEFAULT_FIT, DEFAULT_MISSING_TOKENS } from '../../src/shared/modelSpec';
import { checkModelFile } from '../../src/spec/index';
import {
  COVARIANCE_TYPES,
  DATA_KEYS,
  DEFAULT_COVARIANCE,
  FIT_KEYS,
  HMM_EMISSIONS,
  INIT_METHODS,
  MAX_COUNT,
  MISSING_DATA_STRATEGIES,
  MODEL_KEYS,
  MODEL_KINDS,
  TOP_LEVEL_KEYS,
  VARIABLE_KEYS,
} from '../../src/spec/vocabulary';

const root = join(__dirname, '..', '..', '..');
type Schema = { [keyword: string]: unknown };
const schema = JSON.parse(readFileSync(join(root, 'media', 'em-model.schema.json'), 'utf8')) as Schema;

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'definitions', 'markdownDescription']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function resolveRef(ref: string): Schema {
  assert.ok(ref.startsWith('#/'), `only local $refs: ${ref}`);
  let node: unknown = schema;
  for (const part of ref.slice(2).split('/')) node = (node as Schema)[part];
  assert.ok(node && typeof node === 'object', `unresolved $ref ${ref}`);
  return node as Schema;
}

/** Errors of `value` against `s` (draft-07 semantics for the keywords below). */
function validate(s: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  for (const [keyword, arg] of Object.entries(s)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref':
        errors.push(...validate(resolveRef(arg as string), value, at));
        break;
      case 'type': {
        const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
        const t = typeOf(value);
        if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) errors.push(`${at}: expected ${types.join('|')}, got ${t}`);
        break;
      }
      case 'enum':
        if (!(arg as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(value))) errors.push(`${at}: not one of ${JSON.stringify(arg)}`);
        break;
      case 'const':
        if (JSON.stringify(arg) !== JSON.stringify(value)) errors.push(`${at}: must be ${JSON.stringify(arg)}`);
        break;
      case 'minimum':
        if (typeof value === 'number' && value < (arg as number)) errors.push(`${at}: below ${arg}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > (arg as number)) errors.push(`${at}: above ${arg}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= (arg as number)) errors.push(`${at}: not above ${arg}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < (arg as number)) errors.push(`${at}: shorter than ${arg}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(arg as string, 'u').test(value)) errors.push(`${at}: does not match ${arg}`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < (arg as number)) errors.push(`${at}: fewer than ${arg} items`);
        break;
      case 'uniqueItems':
        if (arg === true && Array.isArray(value) && new Set(value.map((x) => JSON.stringify(x))).size !== value.length) errors.push(`${at}: items not unique`);
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((x, i) => errors.push(...validate(arg as Schema, x, `${at}[${i}]`)));
        break;
      case 'required':
        if (typeOf(value) === 'object') for (const k of arg as string[]) if (!(k in (value as object))) errors.push(`${at}: lacks ${k}`);
        break;
      case 'minProperties':
        if (typeOf(value) === 'object' && Object.keys(value as object).length < (arg as number)) errors.push(`${at}: fewer than ${arg} properties`);
        break;
      case 'properties':
        if (typeOf(value) === 'object') {
          for (const [k, sub] of Object.entries(arg as Record<string, Schema>)) {
            if (k in (value as object)) errors.push(...validate(sub, (value as Record<string, unknown>)[k], `${at}.${k}`));
          }
        }
        break;
      case 'propertyNames':
        if (typeOf(value) === 'object') for (const k of Object.keys(value as object)) errors.push(...validate(arg as Schema, k, `${at} key ${JSON.stringify(k)}`));
        break;
      case 'additionalProperties':
        if (typeOf(value) === 'object') {
          const known = Object.keys((s.properties as object | undefined) ?? {});
          for (const [k, v] of Object.entries(value as object)) {
            if (known.includes(k)) continue;
            if (arg === false) errors.push(`${at}: unknown property ${k}`);
            else if (arg !== true) errors.push(...validate(arg as Schema, v, `${at}.${k}`));
          }
        }
        break;
      case 'oneOf': {
        const passing = (arg as Schema[]).filter((sub) => validate(sub, value, at).length === 0).length;
        if (passing !== 1) errors.push(`${at}: matches ${passing} of the oneOf alternatives`);
        break;
      }
      case 'anyOf':
        if (!(arg as Schema[]).some((sub) => validate(sub, value, at).length === 0)) errors.push(`${at}: matches none of anyOf`);
        break;
      case 'if':
        if (validate(arg as Schema, value, at).length === 0) {
          if (s.then) errors.push(...validate(s.then as Schema, value, at));
        } else if (s.else) errors.push(...validate(s.else as Schema, value, at));
        break;
      case 'then':
      case 'else':
        break; // with "if"
      default:
        throw new Error(`the test validator does not know the keyword "${keyword}" (at ${at})`);
    }
  }
  return errors;
}

function modelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...modelFiles(p));
    else if (e.name.endsWith('.em.json')) out.push(p);
  }
  return out;
}

test('every example and good fixture validates against the schema', () => {
  const files = [...modelFiles(join(root, 'examples')), ...modelFiles(join(root, 'test', 'fixtures', 'spec', 'good'))];
  assert.ok(files.length >= 10);
  for (const f of files) assert.deepEqual(validate(schema, parseJsonc(readFileSync(f, 'utf8'), [], { allowTrailingComma: true })), [], f);
});

test('files the parser refuses, the schema refuses too', () => {
  const bad = [
    '{ "data": "d.csv", "model": { "kind": "mixture" } }',
    '{ "model": { "kind": "hmm", "states": 2 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 0 } }',
    '{ "data": "d.csv", "model": { "kind": "gaussian-mixture", "components": [2, 2] } }',
    '{ "data": "d.csv", "model": { "kind": "gaussian-mixture", "components": 2, "covariance": "full-rank" } }',
    '{ "data": "d.csv", "model": { "kind": "bayesnet", "variables": { "H": { "hidden": true } } } }',
    '{ "data": "d.csv", "model": { "kind": "bayesnet", "variables": { "A=1": {} } } }',
    '{ "data": "d.csv", "model": { "kind": "bayesnet", "variables": {} } }',
    '{ "data": "d.csv", "model": { "kind": "latent-class", "classes": 2, "columns": [] } }',
    '{ "data": { "path": "" }, "model": { "kind": "hmm", "states": 2 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "tolerance": -1 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "restarts": 0 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "seed": 4294967296 } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "missingData": "mean" } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "fit": { "init": "kmeans" } }',
    '{ "data": "d.csv", "model": { "kind": "hmm", "states": 2, "emission": "poisson" } }',
    `{ "data": "d.csv", "model": { "kind": "hmm", "states": ${MAX_COUNT + 1} } }`,
    `{ "data": "d.csv", "model": { "kind": "gaussian-mixture", "components": ${MAX_COUNT + 1} } }`,
  ];
  for (const text of bad) {
    assert.ok(checkModelFile(text, 'm.em.json').some((p) => p.severity === 'error'), `the parser refuses ${text}`);
    assert.notDeepEqual(validate(schema, parseJsonc(text)), [], `the schema refuses ${text}`);
  }
  // warnings in the parser are schema violations (shown as warnings by the JSON editor)
  assert.notDeepEqual(validate(schema, parseJsonc('{ "data": "d.csv", "model": { "kind": "hmm", "states": 2 }, "colour": 1 }')), []);
});

test('the schema offers the parser\'s kinds, enums, keys and defaults', () => {
  const defs = schema.definitions as Record<string, Schema>;
  const props = (s: Schema): string[] => Object.keys(s.properties as object);
  const kinds = ((schema.properties as Record<string, Schema>).model.oneOf as Schema[]).map((alt) => {
    const def = (alt.$ref as string).split('/').pop() as string;
    return ((defs[def].properties as Record<string, Schema>).kind.const as string);
  });
  assert.deepEqual(kinds, MODEL_KINDS);
  assert.deepEqual(defs.covariance.enum, COVARIANCE_TYPES);
  const fit = defs.fit.properties as Record<string, Schema>;
  assert.deepEqual(fit.missingData.enum, MISSING_DATA_STRATEGIES);
  assert.deepEqual((fit.init.oneOf as Schema[])[0].enum, INIT_METHODS);
  assert.deepEqual((defs.hmm.properties as Record<string, Schema>).emission.enum, HMM_EMISSIONS);
  assert.deepEqual(props(schema), TOP_LEVEL_KEYS);
  assert.deepEqual(props(defs.dataObject), DATA_KEYS);
  assert.deepEqual(props(defs.fit), FIT_KEYS);
  assert.deepEqual(props(defs.variable), VARIABLE_KEYS);
  assert.deepEqual(props(defs.bayesnet), MODEL_KEYS.bayesnet);
  assert.deepEqual(props(defs.latentClass), MODEL_KEYS['latent-class']);
  assert.deepEqual(props(defs.gaussianMixture), MODEL_KEYS['gaussian-mixture']);
  assert.deepEqual(props(defs.hmm), MODEL_KEYS.hmm);
  for (const [key, value] of Object.entries(DEFAULT_FIT)) assert.deepEqual(fit[key].default, value, `fit.${key} default`);
  assert.deepEqual((defs.dataObject.properties as Record<string, Schema>).missing.default, DEFAULT_MISSING_TOKENS);
  assert.equal((defs.gaussianMixture.properties as Record<string, Schema>).covariance.default, DEFAULT_COVARIANCE['gaussian-mixture']);
  assert.equal((defs.hmm.properties as Record<string, Schema>).covariance.default, DEFAULT_COVARIANCE.hmm);
});

test('the validator itself tells good from bad', () => {
  assert.throws(() => validate({ format: 'date' }, 'x'), /does not know the keyword "format"/);
  assert.deepEqual(validate({ type: 'integer', minimum: 1 }, 2), []);
  assert.equal(validate({ type: 'integer', minimum: 1 }, 1.5).length, 1);
  assert.equal(validate({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 3).length, 1, 'an integer matches both');
  assert.equal(validate({ if: { required: ['a'] }, then: { required: ['b'] } }, { a: 1 }).length, 1);
});
