/**
 * Views of a fitted result's parameters for the side panel's tree and the model-file hovers:
 * which parameters a spot in the model file refers to, and how to show them with their
 * initial values and how far EM moved them. Pure functions over FitResult (no vscode), so
 * they are unit-tested outside the editor.
 */
import type { BayesNetParametersJSON, CptJSON, FitResult, GaussianMixtureParametersJSON, HmmParametersJSON, ParametersJSON } from '../shared/results';

/** A node of the parameter tree: a label, an optional value text, and children. */
export interface ParamNode {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly children?: readonly ParamNode[];
}

/** What a spot in a model file refers to. */
export type HoverTarget =
  | { readonly kind: 'cpt'; readonly variable: string }
  | { readonly kind: 'cptRow'; readonly variable: string; readonly row: string }
  | { readonly kind: 'cptCell'; readonly variable: string; readonly row: string; readonly state: number }
  | { readonly kind: 'state'; readonly variable: string; readonly state: string }
  | { readonly kind: 'mixture' }
  | { readonly kind: 'component'; readonly component: number }
  | { readonly kind: 'mixtureColumn'; readonly column: string }
  | { readonly kind: 'hmmStates' }
  | { readonly kind: 'hmmEmission' }
  | { readonly kind: 'hmmColumn'; readonly column: string };

/** Probabilities and means: 4 decimals, and the exponent form where that would show 0. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  if (Math.abs(x) >= 1e6) return x.toExponential(4);
  return x.toFixed(4);
}

function signed(x: number): string {
  const s = formatNumber(x);
  return x > 0 ? `+${s}` : x < 0 ? s.replace('-', '−') : '±0';
}

/** `0.1700 (from 0.3900, −0.2200)`: an estimate with its initial value and the change. */
export function withMove(estimate: number, initial: number | undefined): string {
  if (initial === undefined || !Number.isFinite(initial)) return formatNumber(estimate);
  return `${formatNumber(estimate)} (from ${formatNumber(initial)}, ${signed(estimate - initial)})`;
}

function isBayesNet(p: ParametersJSON): p is BayesNetParametersJSON {
  return typeof (p as BayesNetParametersJSON).cpts === 'object' && (p as BayesNetParametersJSON).cpts !== null;
}
function isMixture(p: ParametersJSON): p is GaussianMixtureParametersJSON {
  return Array.isArray((p as GaussianMixtureParametersJSON).weights) && Array.isArray((p as GaussianMixtureParametersJSON).means);
}
function isHmm(p: ParametersJSON): p is HmmParametersJSON {
  return Array.isArray((p as HmmParametersJSON).startProbabilities);
}

/** `P(A | H)` or `P(H)`. */
export function cptTitle(variable: string, cpt: CptJSON): string {
  return cpt.parents.length ? `P(${variable} | ${cpt.parents.join(', ')})` : `P(${variable})`;
}

/** One line per run: log-likelihood, iterations, how it stopped. */
export function runSummary(result: FitResult): { label: string; description: string } {
  const stop: Record<FitResult['stopReason'], string> = {
    tolerance: 'converged',
    maxIterations: 'stopped at the iteration limit',
    cancelled: 'cancelled',
    decreased: 'stopped: the log-likelihood fell',
  };
  const iterations = `${result.iterations} iteration${result.iterations === 1 ? '' : 's'}`;
  const restarts = result.restarts.length > 1 ? ` · best of ${result.restarts.length} starts` : '';
  return { label: `log-likelihood ${result.logLikelihood.toFixed(4)}`, description: `${iterations} · ${stop[result.stopReason]}${restarts}` };
}

function vector(xs: readonly number[]): string {
  return xs.map(formatNumber).join(', ');
}

/** The parameter tree under a run: CPTs by variable; weights and components; start, transitions and emissions. */
export function parameterNodes(result: FitResult): ParamNode[] {
  const p = result.parameters;
  if (isBayesNet(p)) {
    return Object.entries(p.cpts).map(([variable, cpt]): ParamNode => {
      const rows = Object.entries(cpt.rows);
      const states = `states ${cpt.states.join(', ')}`;
      if (rows.length === 1 && rows[0][0] === '') return { label: cptTitle(variable, cpt), description: vector(rows[0][1]), tooltip: states };
      return {
        label: cptTitle(variable, cpt),
        tooltip: states,
        children: rows.map(([key, values]) => ({ label: key, description: vector(values), tooltip: cpt.states.map((s, i) => `P(${variable}=${s} | ${key}) = ${formatNumber(values[i])}`).join('\n') })),
      };
    });
  }
  if (isMixture(p)) {
    return [
      { label: 'weights', description: vector(p.weights) },
      ...p.weights.map((w, k): ParamNode => ({
        label: `component ${k + 1}`,
        description: `weight ${formatNumber(w)}`,
        children: [
          { label: 'mean', description: p.columns.map((c, d) => `${c} ${formatNumber(p.means[k][d])}`).join(', ') },
          { label: 'covariance', description: covarianceText(p, k) },
        ],
      })),
    ];
  }
  if (isHmm(p)) {
    const nodes: ParamNode[] = [
      { label: 'start probabilities', description: vector(p.startProbabilities) },
      { label: 'transitions', children: p.transitions.map((row, k) => ({ label: `from state ${k + 1}`, description: vector(row) })) },
    ];
    const e = p.emission;
    switch (e.kind) {
      case 'gaussian':
        nodes.push({ label: 'emission means', children: e.means.map((m, k) => ({ label: `state ${k + 1}`, description: e.columns.map((c, d) => `${c} ${formatNumber(m[d])}`).join(', ') })) });
        break;
      case 'categorical':
        nodes.push({ label: `emission P(${e.column})`, tooltip: `symbols ${e.symbols.join(', ')}`, children: e.probabilities.map((row, k) => ({ label: `state ${k + 1}`, description: vector(row) })) });
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown emission ${JSON.stringify(never)}`);
      }
    }
    return nodes;
  }
  return [];
}

/** The covariance of component k as text, whatever the covariance type. */
function covarianceText(p: GaussianMixtureParametersJSON, k: number): string {
  const c = p.covariances as number[] | number[][] | number[][][];
  switch (p.covariance) {
    case 'full':
      return (c as number[][][])[k].map((row) => `[${vector(row)}]`).join(' ');
    case 'diag':
      return `diagonal ${vector((c as number[][])[k])}`;
    case 'spherical':
      return `variance ${formatNumber((c as number[])[k])}`;
    case 'tied':
      return `tied ${(c as number[][]).map((row) => `[${vector(row)}]`).join(' ')}`;
    default: {
      const never: never = p.covariance;
      return String(never);
    }
  }
}

type Segment = string | number;

/**
 * The target of a JSON location in a model file: `path` is jsonc-parser's path of the hovered
 * node, `value` the hovered string value (when it is one). Undefined when the spot is not a
 * parameter, a variable or a state of the fitted model.
 */
export function hoverTarget(result: FitResult, path: readonly Segment[], value?: string): HoverTarget | undefined {
  const p = result.parameters;
  const [a, b, c, d, e] = path;
  if (isBayesNet(p)) {
    const isVariable = (x: unknown): x is string => typeof x === 'string' && Object.hasOwn(p.cpts, x);
    if (a === 'init' && isVariable(b)) {
      if (path.length === 2) return { kind: 'cpt', variable: b };
      // a root's init is an array: init.H[i]
      if (typeof c === 'number') return { kind: 'cptCell', variable: b, row: '', state: c };
      if (typeof c === 'string' && Object.hasOwn(p.cpts[b].rows, c)) {
        if (typeof d === 'number') return { kind: 'cptCell', variable: b, row: c, state: d };
        return { kind: 'cptRow', variable: b, row: c };
      }
      return { kind: 'cpt', variable: b };
    }
    if (a === 'model' && b === 'variables' && isVariable(c)) {
      if (d === 'states' && typeof e === 'number' && value !== undefined) return { kind: 'state', variable: c, state: value };
      return { kind: 'cpt', variable: c };
    }
    if (a === 'model' && b === 'parents') {
      if (value !== undefined && isVariable(value)) return { kind: 'cpt', variable: value };
      if (isVariable(c)) return { kind: 'cpt', variable: c };
    }
    if (a === 'model' && b === 'classes' && isVariable('class')) return { kind: 'cpt', variable: 'class' };
    if (value !== undefined && isVariable(value)) return { kind: 'cpt', variable: value };
    return undefined;
  }
  if (isMixture(p)) {
    if (a === 'model' && b === 'components') return { kind: 'mixture' };
    if (a === 'fit' && b === 'init' && (c === 'weights' || c === 'means' || c === 'covariances') && typeof d === 'number' && d < p.weights.length) return { kind: 'component', component: d };
    if (a === 'fit' && b === 'init') return { kind: 'mixture' };
    if (value !== undefined && p.columns.includes(value)) return { kind: 'mixtureColumn', column: value };
    return undefined;
  }
  if (isHmm(p)) {
    if (a === 'model' && b === 'states') return { kind: 'hmmStates' };
    if (a === 'model' && (b === 'emission' || b === 'covariance')) return { kind: 'hmmEmission' };
    const e0 = p.emission;
    const columns = e0.kind === 'gaussian' ? e0.columns : [e0.column];
    if (value !== undefined && columns.includes(value)) return { kind: 'hmmColumn', column: value };
    return undefined;
  }
  return undefined;
}

function initialCpt(result: FitResult, variable: string): CptJSON | undefined {
  const init = result.initialParameters;
  return init && isBayesNet(init) ? init.cpts[variable] : undefined;
}

function cptTable(variable: string, cpt: CptJSON, initial: CptJSON | undefined, onlyRow?: string, onlyState?: number): string[] {
  const stateIdx = onlyState !== undefined ? [onlyState] : cpt.states.map((_, i) => i);
  const head = `| ${cpt.parents.length ? cpt.parents.join(', ') : ''} | ${stateIdx.map((i) => `${variable}=${cpt.states[i]}`).join(' | ')} |`;
  const rule = `|---|${stateIdx.map(() => '---:').join('|')}|`;
  const lines = [head, rule];
  for (const [key, values] of Object.entries(cpt.rows)) {
    if (onlyRow !== undefined && key !== onlyRow) continue;
    const from = initial?.rows[key];
    lines.push(`| ${key === '' ? '' : key} | ${stateIdx.map((i) => withMove(values[i], from?.[i])).join(' | ')} |`);
  }
  return lines;
}

/** Markdown lines describing `target` in `result`: estimates, initial values, moves. */
export function describeTarget(result: FitResult, target: HoverTarget): string[] {
  const p = result.parameters;
  switch (target.kind) {
    case 'cpt':
    case 'cptRow':
    case 'cptCell': {
      if (!isBayesNet(p) || !p.cpts[target.variable]) return [];
      const cpt = p.cpts[target.variable];
      const row = target.kind === 'cpt' ? undefined : target.row;
      const state = target.kind === 'cptCell' ? target.state : undefined;
      if (state !== undefined && (state < 0 || state >= cpt.states.length)) return [];
      if (row !== undefined && !cpt.rows[row]) return [];
      const title =
        target.kind === 'cptCell'
          ? `P(${target.variable}=${cpt.states[state as number]}${row ? ` | ${row}` : ''})`
          : target.kind === 'cptRow' && row
            ? `P(${target.variable} | ${row})`
            : cptTitle(target.variable, cpt);
      return [`**${title}**`, '', ...cptTable(target.variable, cpt, initialCpt(result, target.variable), row, state)];
    }
    case 'state': {
      if (!isBayesNet(p) || !p.cpts[target.variable]) return [];
      const cpt = p.cpts[target.variable];
      const i = cpt.states.indexOf(target.state);
      if (i < 0) return [];
      return [`**${target.variable}=${target.state}**`, '', ...cptTable(target.variable, cpt, initialCpt(result, target.variable), undefined, i)];
    }
    case 'mixture':
    case 'component':
    case 'mixtureColumn': {
      if (!isMixture(p)) return [];
      const init = result.initialParameters && isMixture(result.initialParameters) ? result.initialParameters : undefined;
      const ks = target.kind === 'component' ? [target.component] : p.weights.map((_, k) => k);
      const cols = target.kind === 'mixtureColumn' ? [p.columns.indexOf(target.column)] : p.columns.map((_, d) => d);
      const title = target.kind === 'component' ? `component ${target.component + 1}` : target.kind === 'mixtureColumn' ? `${target.column}: mean by component` : `${p.weights.length} components (${p.covariance} covariance)`;
      const lines = [`**${title}**`, '', `| component | weight | ${cols.map((d) => `mean ${p.columns[d]}`).join(' | ')} |`, `|---|---:|${cols.map(() => '---:').join('|')}|`];
      for (const k of ks) {
        lines.push(`| ${k + 1} | ${withMove(p.weights[k], init?.weights[k])} | ${cols.map((d) => withMove(p.means[k][d], init?.means[k]?.[d])).join(' | ')} |`);
      }
      return lines;
    }
    case 'hmmStates': {
      if (!isHmm(p)) return [];
      const init = result.initialParameters && isHmm(result.initialParameters) ? result.initialParameters : undefined;
      const lines = [`**${p.startProbabilities.length} hidden states**`, '', `| state | start | ${p.transitions.map((_, j) => `→ ${j + 1}`).join(' | ')} |`, `|---|---:|${p.transitions.map(() => '---:').join('|')}|`];
      for (let k = 0; k < p.startProbabilities.length; k++) {
        lines.push(`| ${k + 1} | ${withMove(p.startProbabilities[k], init?.startProbabilities[k])} | ${p.transitions[k].map((x, j) => withMove(x, init?.transitions[k]?.[j])).join(' | ')} |`);
      }
      return lines;
    }
    case 'hmmEmission':
    case 'hmmColumn': {
      if (!isHmm(p)) return [];
      const e = p.emission;
      const ie = result.initialParameters && isHmm(result.initialParameters) ? result.initialParameters.emission : undefined;
      switch (e.kind) {
        case 'gaussian': {
          const from = ie && ie.kind === 'gaussian' ? ie.means : undefined;
          const cols = target.kind === 'hmmColumn' ? [e.columns.indexOf(target.column)] : e.columns.map((_, d) => d);
          const lines = ['**emission means**', '', `| state | ${cols.map((d) => e.columns[d]).join(' | ')} |`, `|---|${cols.map(() => '---:').join('|')}|`];
          e.means.forEach((m, k) => lines.push(`| ${k + 1} | ${cols.map((d) => withMove(m[d], from?.[k]?.[d])).join(' | ')} |`));
          return lines;
        }
        case 'categorical': {
          const from = ie && ie.kind === 'categorical' ? ie.probabilities : undefined;
          const lines = [`**P(${e.column} | state)**`, '', `| state | ${e.symbols.join(' | ')} |`, `|---|${e.symbols.map(() => '---:').join('|')}|`];
          e.probabilities.forEach((row, k) => lines.push(`| ${k + 1} | ${row.map((x, j) => withMove(x, from?.[k]?.[j])).join(' | ')} |`));
          return lines;
        }
        default: {
          const never: never = e;
          return [String(never)];
        }
      }
    }
    default: {
      const never: never = target;
      throw new Error(`unknown hover target ${JSON.stringify(never)}`);
    }
  }
}
