/**
 * The model file (`*.em.json`, DESIGN.md "The model file"): parsed with jsonc-parser's
 * parseTree (so every node has an offset; comments and trailing commas are allowed, as in
 * the JSON-with-comments the editor shows), checked in one pass that collects every problem
 * at the range of the offending node, and turned into a ModelFile with every default filled in.
 *
 * - `checkModelFile(text, file)`: all problems (errors and warnings), in file order.
 * - `parseModelFile(text, file)`: the ModelFile, or an InputError for the first error of
 *   that same list, so the editor and the CLI never disagree.
 */
// The ESM build: esbuild cannot follow the dynamic requires of jsonc-parser's UMD build (its "main").
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
import { basename, dirname, resolve } from 'node:path';
import {
  type CovarianceType,
  DEFAULT_FIT,
  DEFAULT_MISSING_TOKENS,
  type DataSpec,
  type FitSpec,
  type ModelFile,
  type ModelKind,
  type ModelSpec,
  type VariableSpec,
} from '../shared/modelSpec';
import { fitValueProblem } from './fitRules';
import { checkCptInit, checkGaussianMixtureInit, checkHmmInit, type CptShape } from './initChecks';
import { describeType, JsonChecker, type Property } from './jsonChecker';
import { findCycles, type ParentEdge } from './parentGraph';
import { problemToInputError, sortProblems, type SourceRange, type SpecProblem } from './specProblem';
import {
  COVARIANCE_TYPES,
  DATA_KEYS,
  DEFAULT_COVARIANCE,
  FIT_KEYS,
  HMM_EMISSIONS,
  INIT_METHODS,
  MODEL_KEYS,
  MODEL_KINDS,
  TOP_LEVEL_KEYS,
  VARIABLE_KEYS,
} from './vocabulary';

/** A path into the JSON document: property names and array indices. */
export type JsonPath = readonly (string | number)[];

export interface ParsedModelFile {
  readonly model: ModelFile;
  /** The range of the value at `path` (e.g. ["model", "variables", "A"]), or undefined. */
  locate(path: JsonPath): SourceRange | undefined;
  /** The range of the key of the property at `path` (a variable's name), or undefined. */
  locateKey(path: JsonPath): SourceRange | undefined;
}

/**
 * Name of latent-class's hidden variable, suffixed with "_" while a column has that name; its
 * states are "1" .. "K". The engine uses the same convention (LATENT_CLASS_VARIABLE in
 * src/engine/bayesnet/prepare.ts; a unit test keeps the two equal).
 */
export const LATENT_CLASS_VARIABLE = 'class';

export function latentClassVariable(columns: readonly string[]): string {
  let name = LATENT_CLASS_VARIABLE;
  while (columns.includes(name)) name += '_';
  return name;
}

export function latentClassStates(classes: number): string[] {
  return Array.from({ length: classes }, (_, i) => String(i + 1));
}

/**
 * The JSON value of `node` as plain data (jsonc-parser's own reader makes objects without a
 * prototype, which deep equality and `instanceof Object` treat as different). Object.fromEntries
 * defines properties, so a key such as "__proto__" stays an ordinary key.
 */
function plainValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).filter((p) => p.children?.length === 2).map((p) => [(p.children as Node[])[0].value as string, plainValue((p.children as Node[])[1])]));
    case 'array':
      return (node.children ?? []).map(plainValue);
    case 'property':
      return node.children?.[1] ? plainValue(node.children[1]) : undefined;
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return node.value as unknown;
    default: {
      const never: never = node.type;
      throw new Error(`unknown JSON node type ${String(never)}`);
    }
  }
}

/** Plain words for jsonc-parser's error codes. */
function syntaxMessage(e: ParseError): string {
  const code = printParseErrorCode(e.error);
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'not a valid number',
    PropertyNameExpected: 'a property name (in double quotes) is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon (:) is expected',
    CommaExpected: 'a comma (,) is expected',
    CloseBraceExpected: 'a closing brace (}) is expected',
    CloseBracketExpected: 'a closing bracket (]) is expected',
    EndOfFileExpected: 'the file should end here',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'the comment is not closed',
    UnexpectedEndOfString: 'the string is not closed',
    UnexpectedEndOfNumber: 'the number is cut off',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return `JSON syntax: ${words[code] ?? code}`;
}

/** A model section as read: its kind, the spec when it has no error, the CPT shape when known. */
interface ModelReading {
  readonly kind: ModelKind;
  readonly spec?: ModelSpec;
  readonly cpt?: CptShape;
}

interface Analysis {
  readonly checker: JsonChecker;
  readonly root: Node | undefined;
  readonly model: ModelFile | undefined;
}

const quoted = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

/** One pass over the file: every problem, and the ModelFile when there is no error. */
function analyze(text: string, file: string): Analysis {
  const c = new JsonChecker(text);
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  for (const e of syntax) c.problems.push({ severity: 'error', message: syntaxMessage(e), range: c.lines.range(e.offset, Math.max(1, e.length)) });
  if (syntax.length > 0) return { checker: c, root, model: undefined };
  if (!root || root.type !== 'object') {
    c.problems.push({ severity: 'error', message: 'a model file is a JSON object: { "data": ..., "model": { "kind": ... } }', range: root ? c.range(root) : c.lines.range(0, 1) });
    return { checker: c, root, model: undefined };
  }
  c.checkDuplicateKeys(root);
  const model = new ModelFileReader(c, file).read(root);
  return { checker: c, root, model: c.errorCount === 0 ? model : undefined };
}

class ModelFileReader {
  private readonly absoluteFile: string;

  constructor(
    private readonly c: JsonChecker,
    file: string,
  ) {
    this.absoluteFile = resolve(file);
  }

  read(root: Node): ModelFile | undefined {
    const { c } = this;
    const props = c.properties(root);
    c.checkKnownKeys(props, TOP_LEVEL_KEYS, 'the model file');
    const schema = props.get('$schema');
    if (schema) c.string(schema.value, '"$schema"');
    const nameNode = props.get('name');
    const name = nameNode ? c.string(nameNode.value, '"name"') : basename(this.absoluteFile).replace(/(\.em)?\.json$/i, '');

    const dataProp = props.get('data');
    if (!dataProp) c.error(c.missingKeyNode(root), 'the model file needs "data": the path of a CSV/TSV file, or { "path": ... }');
    const data = dataProp ? this.readData(dataProp.value) : undefined;

    const modelProp = props.get('model');
    if (!modelProp) c.error(c.missingKeyNode(root), 'the model file needs "model": { "kind": ... }');
    const model = modelProp ? this.readModel(modelProp.value) : undefined;

    if (dataProp && data?.weight !== undefined && model?.spec) this.checkWeightNotModelled(dataProp.value, data.weight, data, model.spec);

    const fitProp = props.get('fit');
    const fit = this.readFit(fitProp?.value, model, props.get('init'), data);
    if (name === undefined || !data || !model?.spec || !fit) return undefined;
    return {
      file: this.absoluteFile,
      name,
      data,
      model: model.spec,
      ...(fit.init !== undefined ? { init: fit.init } : {}),
      fit: fit.spec,
    };
  }

  // ---- data ----------------------------------------------------------------------------

  private readData(node: Node): DataSpec | undefined {
    const { c } = this;
    const base = dirname(this.absoluteFile);
    if (node.type === 'string') {
      const path = c.nonEmptyString(node, '"data"');
      return path === undefined ? undefined : { path: resolve(base, path), missing: DEFAULT_MISSING_TOKENS };
    }
    if (node.type !== 'object') return c.error(node, `"data" must be a file path or an object { "path": ... }, not ${describeType(node)}`);
    const props = c.properties(node);
    c.checkKnownKeys(props, DATA_KEYS, '"data"');
    const pathProp = props.get('path');
    if (!pathProp) c.error(c.missingKeyNode(node), '"data" needs "path": the CSV/TSV file, relative to this model file');
    const path = pathProp ? c.nonEmptyString(pathProp.value, '"data.path"') : undefined;
    const optional = <T>(key: string, read: (n: Node) => T | undefined): { ok: boolean; value?: T } => {
      const p = props.get(key);
      if (!p) return { ok: true };
      const value = read(p.value);
      return value === undefined ? { ok: false } : { ok: true, value };
    };
    const columns = optional('columns', (n) => c.stringList(n, '"data.columns"', { nonEmpty: true }));
    const weight = optional('weight', (n) => c.nonEmptyString(n, '"data.weight"'));
    const missing = optional('missing', (n) => c.stringList(n, '"data.missing"'));
    const sequence = optional('sequence', (n) => c.nonEmptyString(n, '"data.sequence"'));
    const delimiter = optional('delimiter', (n) => {
      const d = c.string(n, '"data.delimiter"');
      if (d === undefined) return undefined;
      if (d.length === 0 || /["\r\n]/.test(d)) return c.error(n, '"data.delimiter" must be non-empty and hold no quote or line break (for tab, write "\\t")');
      return d;
    });
    if (weight.value !== undefined && weight.value === sequence.value) c.error((props.get('sequence') as Property).value, 'the sequence column cannot also be the weight column');
    if (path === undefined || !columns.ok || !weight.ok || !missing.ok || !sequence.ok || !delimiter.ok) return undefined;
    return {
      path: resolve(base, path),
      missing: missing.value ?? DEFAULT_MISSING_TOKENS,
      ...(columns.value ? { columns: columns.value } : {}),
      ...(weight.value !== undefined ? { weight: weight.value } : {}),
      ...(sequence.value !== undefined ? { sequence: sequence.value } : {}),
      ...(delimiter.value !== undefined ? { delimiter: delimiter.value } : {}),
    };
  }

  /** A count column that is also modelled would weigh each row by its own value: refuse it. */
  private checkWeightNotModelled(dataNode: Node, weight: string, data: DataSpec, spec: ModelSpec): void {
    const weightNode = this.c.properties(dataNode).get('weight')?.value ?? dataNode;
    if (spec.kind === 'hmm') {
      // as the engine says (prepareHmm.ts): a row is a time step, it cannot stand for several
      this.c.error(weightNode, '"data.weight" is not supported for hmm models (each row is one time step); remove it or expand the counts into rows');
      return;
    }
    let modelled: readonly string[];
    switch (spec.kind) {
      case 'bayesnet':
        modelled = Object.entries(spec.variables)
          .filter(([, v]) => !v.hidden)
          .map(([name, v]) => v.column ?? name);
        break;
      case 'latent-class':
        modelled = spec.columns;
        break;
      case 'gaussian-mixture':
        modelled = data.columns ?? [];
        break;
      default: {
        const never: never = spec;
        throw new Error(`unknown kind ${String(never)}`);
      }
    }
    if (!modelled.includes(weight)) return;
    this.c.error(weightNode, `the weight column ${JSON.stringify(weight)} is also a modelled column: each row would be weighted by its own value; "data.weight" names a column of counts that the model does not use`);
  }

  // ---- model ---------------------------------------------------------------------------

  private enumValue<T extends string>(node: Node, what: string, allowed: readonly T[]): T | undefined {
    const s = this.c.string(node, what);
    if (s === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(s)) return this.c.error(node, `${what} must be one of ${quoted(allowed)}, not ${JSON.stringify(s)}`);
    return s as T;
  }

  private nonNegative(props: Map<string, Property>, key: string, what: string): number | undefined {
    const p = props.get(key);
    if (!p) return 0;
    const x = this.c.number(p.value, what);
    if (x === undefined) return undefined;
    if (!(x >= 0) || !Number.isFinite(x)) return this.c.error(p.value, `${what} must be a number >= 0 (got ${x})`);
    return x;
  }

  /** The model; with errors, what is still known (the kind, and the CPT shape to check `init` against). */
  private readModel(node: Node): ModelReading | undefined {
    const { c } = this;
    if (!c.expect(node, 'object', '"model"')) return undefined;
    const props = c.properties(node);
    const kindProp = props.get('kind');
    if (!kindProp) {
      c.error(c.missingKeyNode(node), `"model" needs "kind": one of ${quoted(MODEL_KINDS)}`);
      return undefined;
    }
    const kind = this.enumValue<ModelKind>(kindProp.value, '"model.kind"', MODEL_KINDS);
    if (!kind) return undefined;
    c.checkKnownKeys(props, MODEL_KEYS[kind], `a "${kind}" model`);
    switch (kind) {
      case 'bayesnet':
        return this.readBayesNet(node, props);
      case 'latent-class':
        return this.readLatentClass(node, props);
      case 'gaussian-mixture':
        return this.readGaussianMixture(node, props);
      case 'hmm':
        return this.readHmm(node, props);
      default: {
        const never: never = kind;
        throw new Error(`unknown kind ${String(never)}`);
      }
    }
  }

  /** `"states"`: a list of names, or a number n meaning "0" .. "n-1". */
  private readStates(node: Node, variable: string): string[] | undefined {
    const { c } = this;
    let states: string[] | undefined;
    if (node.type === 'number') {
      const n = c.count(node, `the number of states of ${variable}`, 1);
      if (n === undefined) return undefined;
      states = Array.from({ length: n }, (_, i) => String(i));
    } else if (node.type === 'array') {
      states = c.stringList(node, `the states of ${variable}`, { nonEmpty: true });
    } else return c.error(node, `"states" of ${variable} must be a list of state names or a number of states, not ${describeType(node)}`);
    if (states && states.length === 1) c.warning(node, `${variable} has a single state: it carries no information`);
    return states;
  }

  private readBayesNet(node: Node, props: Map<string, Property>): ModelReading | undefined {
    const { c } = this;
    const variablesProp = props.get('variables');
    if (!variablesProp) {
      c.error(c.missingKeyNode(node), 'a "bayesnet" model needs "variables": { "A": {}, "H": { "hidden": true, "states": 2 } }');
      return undefined;
    }
    if (!c.expect(variablesProp.value, 'object', '"model.variables"')) return undefined;
    const declared = c.properties(variablesProp.value);
    if (declared.size === 0) c.error(variablesProp.value, '"model.variables" must declare at least one variable');
    let ok = declared.size > 0;
    const variables: [string, VariableSpec][] = [];
    const columnReader = new Map<string, string>();
    for (const [name, { key, value }] of declared) {
      if (name === '' || /[=,]/.test(name)) {
        c.error(key, `variable name ${JSON.stringify(name)} cannot be used: names must be non-empty and hold no "=" or "," (CPT rows are keyed "A=0,B=1")`);
        ok = false;
        continue;
      }
      if (!c.expect(value, 'object', `variable ${name}`)) {
        ok = false;
        continue;
      }
      const vp = c.properties(value);
      c.checkKnownKeys(vp, VARIABLE_KEYS, `variable ${name}`);
      const hiddenProp = vp.get('hidden');
      const hidden = hiddenProp ? c.boolean(hiddenProp.value, `"hidden" of ${name}`) : false;
      const statesProp = vp.get('states');
      const states = statesProp ? this.readStates(statesProp.value, name) : undefined;
      const columnProp = vp.get('column');
      const column = columnProp ? c.nonEmptyString(columnProp.value, `"column" of ${name}`) : undefined;
      if (hidden === undefined || (statesProp && !states) || (columnProp && column === undefined)) {
        ok = false;
        continue;
      }
      if (hidden && !statesProp) {
        c.error(key, `hidden variable ${name} needs "states": a list of names (["0", "1"]) or a number of states (2)`);
        ok = false;
        continue;
      }
      if (hidden && columnProp) c.warning(columnProp.key, `${name} is hidden: it reads no column, so "column" is ignored`);
      if (!hidden) {
        const col = column ?? name;
        const other = columnReader.get(col);
        if (other !== undefined) {
          c.error(columnProp ? columnProp.value : key, `column ${JSON.stringify(col)} is already read by variable ${other}`);
          ok = false;
        }
        columnReader.set(col, name);
      }
      variables.push([name, { hidden, ...(states ? { states } : {}), ...(column !== undefined && !hidden ? { column } : {}) }]);
    }

    const parentsProp = props.get('parents');
    const parents: [string, string[]][] = [];
    const edges = new Map<string, ParentEdge[]>();
    if (parentsProp && c.expect(parentsProp.value, 'object', '"model.parents"')) {
      for (const [child, { key, value }] of c.properties(parentsProp.value)) {
        if (!declared.has(child)) {
          c.error(key, `"parents" names ${JSON.stringify(child)}, which is not a declared variable (variables: ${[...declared.keys()].join(', ')})`);
          ok = false;
          continue;
        }
        const list = c.stringList(value, `the parents of ${child}`);
        if (!list) {
          ok = false;
          continue;
        }
        const childEdges: ParentEdge[] = [];
        list.forEach((p, i) => {
          const item = (value.children ?? [])[i];
          if (!declared.has(p)) {
            c.error(item, `parent ${JSON.stringify(p)} of ${child} is not a declared variable (variables: ${[...declared.keys()].join(', ')})`);
            ok = false;
          } else childEdges.push({ parent: p, node: item });
        });
        edges.set(child, childEdges);
        parents.push([child, list]);
      }
    } else if (parentsProp) ok = false;
    for (const cycle of findCycles([...declared.keys()], (v) => edges.get(v) ?? [])) {
      c.error(cycle.closingEdge, `the parents form a cycle: ${cycle.path.join(' -> ')}`);
      ok = false;
    }
    const prior = this.nonNegative(props, 'prior', '"model.prior"');
    const parentsOf = new Map(parents);
    // The CPT shape of the variables read well, so that `init` is checked even when the model has errors.
    const cpt: CptShape = {
      variables: new Map(variables.map(([name, v]) => [name, { ...(v.states ? { states: v.states } : {}), parents: parentsOf.get(name) ?? [] }])),
    };
    if (!ok || prior === undefined) return { kind: 'bayesnet', cpt };
    const spec: ModelSpec = { kind: 'bayesnet', variables: Object.fromEntries(variables), parents: Object.fromEntries(parents), prior };
    return { kind: 'bayesnet', spec, cpt };
  }

  private readLatentClass(node: Node, props: Map<string, Property>): ModelReading | undefined {
    const { c } = this;
    const classesProp = props.get('classes');
    const columnsProp = props.get('columns');
    if (!classesProp) c.error(c.missingKeyNode(node), 'a "latent-class" model needs "classes": the number of latent classes');
    if (!columnsProp) c.error(c.missingKeyNode(node), 'a "latent-class" model needs "columns": the categorical columns the classes explain');
    const classes = classesProp ? c.count(classesProp.value, '"model.classes"', 1) : undefined;
    if (classes === 1) c.warning((classesProp as Property).value, 'one class: nothing is latent (every column is fitted independently)');
    const columns = columnsProp ? c.stringList(columnsProp.value, '"model.columns"', { nonEmpty: true }) : undefined;
    const prior = this.nonNegative(props, 'prior', '"model.prior"');
    if (classes === undefined || !columns) return { kind: 'latent-class' };
    const cpt = latentClassShape(classes, columns);
    if (prior === undefined) return { kind: 'latent-class', cpt };
    return { kind: 'latent-class', spec: { kind: 'latent-class', classes, columns, prior }, cpt };
  }

  private readGaussianMixture(node: Node, props: Map<string, Property>): ModelReading | undefined {
    const { c } = this;
    const componentsProp = props.get('components');
    if (!componentsProp) {
      c.error(c.missingKeyNode(node), 'a "gaussian-mixture" model needs "components": K, or a list of K to compare by BIC');
      return undefined;
    }
    let components: number | number[] | undefined;
    const v = componentsProp.value;
    if (v.type === 'array') {
      const items = v.children ?? [];
      if (items.length === 0) c.error(v, '"model.components" must list at least one K');
      const ks = items.map((item) => c.count(item, 'each K in "model.components"', 1));
      const seen = new Set<number>();
      items.forEach((item, i) => {
        const k = ks[i];
        if (k !== undefined && seen.has(k)) c.error(item, `K = ${k} is listed twice in "model.components"`);
        if (k !== undefined) seen.add(k);
      });
      if (items.length > 0 && ks.every((k) => k !== undefined) && seen.size === ks.length) components = ks as number[];
    } else if (v.type === 'number') components = c.count(v, '"model.components"', 1);
    else c.error(v, `"model.components" must be a number of components or a list of them, not ${describeType(v)}`);
    const covarianceProp = props.get('covariance');
    const covariance = covarianceProp ? this.enumValue<CovarianceType>(covarianceProp.value, '"model.covariance"', COVARIANCE_TYPES) : DEFAULT_COVARIANCE['gaussian-mixture'];
    if (components === undefined || !covariance) return { kind: 'gaussian-mixture' };
    return { kind: 'gaussian-mixture', spec: { kind: 'gaussian-mixture', components, covariance } };
  }

  private readHmm(node: Node, props: Map<string, Property>): ModelReading | undefined {
    const { c } = this;
    const statesProp = props.get('states');
    if (!statesProp) {
      c.error(c.missingKeyNode(node), 'an "hmm" model needs "states": the number of hidden states');
      return undefined;
    }
    const states = c.count(statesProp.value, '"model.states"', 1);
    if (states === 1) c.warning(statesProp.value, 'one state: nothing is hidden (the model is a plain mixture of one component)');
    const emissionProp = props.get('emission');
    const emission = emissionProp ? this.enumValue(emissionProp.value, '"model.emission"', HMM_EMISSIONS) : 'gaussian';
    const covarianceProp = props.get('covariance');
    const covariance = covarianceProp ? this.enumValue<CovarianceType>(covarianceProp.value, '"model.covariance"', COVARIANCE_TYPES) : DEFAULT_COVARIANCE.hmm;
    if (emission === 'categorical' && covarianceProp) c.warning(covarianceProp.key, '"covariance" applies to Gaussian emissions; it is ignored for categorical ones');
    const prior = this.nonNegative(props, 'prior', '"model.prior"');
    if (states === undefined || !emission || !covariance || prior === undefined) return { kind: 'hmm' };
    return { kind: 'hmm', spec: { kind: 'hmm', states, emission, covariance, prior } };
  }

  // ---- fit and init --------------------------------------------------------------------

  private readFit(
    node: Node | undefined,
    model: ModelReading | undefined,
    initProp: Property | undefined,
    data: DataSpec | undefined,
  ): { spec: FitSpec; init?: unknown } | undefined {
    const { c } = this;
    const fit: { -readonly [K in keyof FitSpec]: FitSpec[K] } = { ...DEFAULT_FIT };
    let ok = true;
    let fitInitNode: Node | undefined;
    if (node && c.expect(node, 'object', '"fit"')) {
      const props = c.properties(node);
      c.checkKnownKeys(props, FIT_KEYS, '"fit"');
      for (const field of ['maxIterations', 'tolerance', 'restarts', 'seed', 'missingData', 'threads', 'regularization'] as const) {
        const p = props.get(field);
        if (!p) continue;
        const value = plainValue(p.value) as unknown;
        const problem = fitValueProblem(field, value);
        if (problem) {
          c.error(p.value, `"fit.${field}" ${problem} (got ${p.value.type === 'number' && !Number.isFinite(value) ? 'a number too large for a double' : p.value.type === 'number' || p.value.type === 'string' ? JSON.stringify(value) : describeType(p.value)})`);
          ok = false;
        } else (fit as Record<string, unknown>)[field] = value;
      }
      fitInitNode = props.get('init')?.value;
    } else if (node) ok = false;
    if (!model) return undefined;
    const { kind } = model;

    const gaussianFamily = kind === 'gaussian-mixture' || kind === 'hmm';
    let explicit: Node | undefined;
    if (fitInitNode) {
      if (fitInitNode.type === 'object') {
        if (gaussianFamily) explicit = fitInitNode;
        else {
          c.error(fitInitNode, `explicit initial CPTs of a "${kind}" model go in the top-level "init", not in "fit.init"`);
          ok = false;
        }
      } else {
        const method = this.enumValue(fitInitNode, '"fit.init"', INIT_METHODS);
        if (!method) ok = false;
        else if (!gaussianFamily && method === 'kmeans++') c.warning(fitInitNode, `"kmeans++" applies to Gaussian families; a "${kind}" model starts from random CPTs`);
        else fit.init = method;
      }
    }
    if (initProp) {
      if (explicit) {
        c.error(initProp.key, 'explicit initial parameters are given twice: in "fit.init" and in "init"');
        ok = false;
      } else explicit = initProp.value;
      if (fitInitNode && fitInitNode.type === 'string') c.warning(fitInitNode, '"fit.init" is ignored: the explicit parameters in "init" are the start');
    }
    if (!gaussianFamily) fit.init = 'random';
    let init: unknown;
    if (explicit) {
      const before = c.errorCount;
      this.checkExplicitInit(explicit, model, data, explicit === fitInitNode ? 'fit.init' : 'init');
      if (c.errorCount > before) ok = false;
      init = plainValue(explicit);
      fit.init = 'given';
    }
    if (!ok || !model.spec) return undefined;
    return { spec: fit, ...(init !== undefined ? { init } : {}) };
  }

  private checkExplicitInit(node: Node, model: ModelReading, data: DataSpec | undefined, what: string): void {
    const { c } = this;
    const dataColumns = data?.columns?.length;
    const { spec } = model;
    switch (model.kind) {
      case 'bayesnet':
      case 'latent-class':
        if (model.cpt) checkCptInit(c, node, model.cpt);
        return;
      case 'gaussian-mixture':
        if (spec?.kind !== 'gaussian-mixture') return;
        if (typeof spec.components !== 'number') {
          c.error(node, `explicit initial parameters need one K, but "model.components" lists several (${spec.components.join(', ')})`);
          return;
        }
        checkGaussianMixtureInit(c, node, what, spec.components, spec.covariance, dataColumns);
        return;
      case 'hmm':
        if (spec?.kind !== 'hmm') return;
        checkHmmInit(c, node, what, spec.states, spec.emission, spec.covariance, spec.emission === 'gaussian' ? dataColumns : undefined);
        return;
      default: {
        const never: never = model.kind;
        throw new Error(`unknown kind ${String(never)}`);
      }
    }
  }
}

/** The CPT shape of a latent-class model: the class variable, parent of every column. */
function latentClassShape(classes: number, columns: readonly string[]): CptShape {
  const classVariable = latentClassVariable(columns);
  const variables = new Map<string, { states?: readonly string[]; parents: readonly string[] }>([[classVariable, { states: latentClassStates(classes), parents: [] }]]);
  for (const col of columns) variables.set(col, { parents: [classVariable] });
  return { variables };
}

/** Every problem in the model file `text` (errors and warnings), in file order. */
export function checkModelFile(text: string, file: string): SpecProblem[] {
  return sortProblems(analyze(text, file).checker.problems);
}

function locator(root: Node, c: JsonChecker): Pick<ParsedModelFile, 'locate' | 'locateKey'> {
  return {
    locate(path) {
      const node = findNodeAtLocation(root, [...path]);
      return node ? c.range(node) : undefined;
    },
    locateKey(path) {
      const node = findNodeAtLocation(root, [...path]);
      const key = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return key ? c.range(key) : undefined;
    },
  };
}

/**
 * The validated model file with defaults filled in and paths resolved (data.path relative to
 * the model file's folder). Throws an InputError (file:line:col) for the first error that
 * checkModelFile reports.
 */
export function parseModelFile(text: string, file: string): ParsedModelFile {
  const { checker, root, model } = analyze(text, file);
  const firstError = sortProblems(checker.problems).find((p) => p.severity === 'error');
  if (firstError) throw problemToInputError(firstError, file, checker.lines);
  if (!model || !root) throw new Error('model file analysis produced no model and no error');
  return { model, ...locator(root, checker) };
}
