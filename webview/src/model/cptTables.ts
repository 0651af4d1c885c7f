/**
 * Conditional probability tables (bayesnet and latent-class parameters) as readable tables:
 * one row per parent configuration, one column per state. For networks of binary 0/1
 * variables, also the tutorial's notation (example 2: P(H), P(A | H), P(A | ¬H), ...), where
 * `X` stands for X=1 and `¬X` for X=0.
 */
import type { BayesNetParametersJSON, CptJSON } from '../../../src/shared/results';
import { asFractionOf, changeTitle, formatProbability } from './numberFormat';
import { textCell, type Cell, type TableModel } from './tableModel';

/** One parent configuration of a CPT: its row key and the parent states it assigns. */
export interface ParentConfiguration {
  /** Key into CptJSON.rows: `"H=0,G=1"`, `""` for a root. */
  readonly key: string;
  /** [parent, state] in the CPT's parent order. */
  readonly assignment: readonly (readonly [string, string])[];
}

/**
 * The parent configurations of `cpt` in declared order (the first parent varies slowest),
 * enumerated from the parents' own state lists so that state names containing `,` or `=`
 * cannot be misread. Falls back to the row keys as given when a parent has no CPT.
 */
export function parentConfigurations(cpt: CptJSON, cpts: Readonly<Record<string, CptJSON>>): ParentConfiguration[] {
  if (cpt.parents.length === 0) return [{ key: '', assignment: [] }];
  const stateLists = cpt.parents.map((p) => cpts[p]?.states);
  if (stateLists.every((s): s is readonly string[] => s !== undefined)) {
    let configs: (readonly [string, string])[][] = [[]];
    cpt.parents.forEach((parent, i) => {
      configs = configs.flatMap((c) => stateLists[i].map((state) => [...c, [parent, state] as const]));
    });
    const out = configs.map((assignment) => ({ key: assignment.map(([p, s]) => `${p}=${s}`).join(','), assignment }));
    if (out.every((c) => c.key in cpt.rows)) return out;
  }
  return Object.keys(cpt.rows).map((key) => ({
    key,
    assignment: key.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq), part.slice(eq + 1)] as const;
    }),
  }));
}

/** The CPT of `variable` as a table; each cell's title tells how it moved from `reference`. */
export function cptTable(variable: string, cpts: Readonly<Record<string, CptJSON>>, reference?: BayesNetParametersJSON, referenceName = 'initial'): TableModel {
  const cpt = cpts[variable];
  const refCpt = reference?.cpts[variable];
  const rows: Cell[][] = parentConfigurations(cpt, cpts).map((config) => {
    const values = cpt.rows[config.key] ?? [];
    const refValues = refCpt?.rows[config.key];
    const label = config.key === '' ? `P(${variable})` : config.assignment.map(([p, s]) => `${p}=${s}`).join(', ');
    return [
      textCell(label),
      ...cpt.states.map((state, j) =>
        textCell(formatProbability(values[j]), {
          numeric: true,
          title: changeTitle(values[j], refValues?.[j], referenceName),
          key: `${variable}|${config.key}|${state}`,
        }),
      ),
    ];
  });
  return {
    caption: cpt.parents.length === 0 ? `P(${variable})` : `P(${variable} | ${cpt.parents.join(', ')})`,
    header: [cpt.parents.length === 0 ? '' : cpt.parents.join(', '), ...cpt.states.map((s) => `${variable}=${s}`)],
    rowHeaders: true,
    rows,
    key: `cpt-${variable}`,
  };
}

const FALSE_TRUE: readonly (readonly [string, string])[] = [['0', '1'], ['false', 'true'], ['no', 'yes'], ['F', 'T']];

/** The index of the "true" state when `states` is a binary false/true pair, else undefined. */
export function trueStateIndex(states: readonly string[]): number | undefined {
  if (states.length !== 2) return undefined;
  return FALSE_TRUE.some(([f, t]) => states[0] === f && states[1] === t) ? 1 : undefined;
}

/** `H` for the true state of a binary variable, `¬H` for the false one, `H=s` otherwise. */
export function literal(variable: string, state: string, states: readonly string[] | undefined): string {
  const t = states ? trueStateIndex(states) : undefined;
  if (t === undefined || states === undefined) return `${variable}=${state}`;
  return state === states[t] ? variable : `¬${variable}`;
}

/** One line of the tutorial's notation: `P(A | ¬H) = 0.830`. */
export interface TutorialLine {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly title: string;
  /** `variable|rowKey`, a hook for tests and the e2e run. */
  readonly key: string;
}

/**
 * The tutorial's list of parameters (P(H), P(A | H), P(A | ¬H), ...) when every variable is a
 * binary false/true variable; undefined otherwise. Within a variable, configurations with more
 * true parents come first, as the tutorial lists P(A | H) before P(A | ¬H).
 */
export function tutorialNotation(params: BayesNetParametersJSON, reference?: BayesNetParametersJSON, referenceName = 'initial'): TutorialLine[] | undefined {
  const cpts = params.cpts;
  const names = Object.keys(cpts);
  if (names.length === 0 || !names.every((n) => trueStateIndex(cpts[n].states) !== undefined)) return undefined;
  const lines: TutorialLine[] = [];
  for (const variable of names) {
    const cpt = cpts[variable];
    const t = trueStateIndex(cpt.states) as number;
    const configs = parentConfigurations(cpt, cpts);
    // true-first order: compare the assignments parent by parent, true before false
    const truth = (c: ParentConfiguration): number[] => c.assignment.map(([p, s]) => (s === cpts[p]?.states[1] ? 1 : 0));
    configs.sort((a, b) => {
      const ta = truth(a);
      const tb = truth(b);
      for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) return tb[i] - ta[i];
      return 0;
    });
    for (const config of configs) {
      const value = cpt.rows[config.key]?.[t];
      if (value === undefined) continue;
      const given = config.assignment.map(([p, s]) => literal(p, s, cpts[p]?.states)).join(', ');
      const label = given === '' ? `P(${variable})` : `P(${variable} | ${given})`;
      const ref = reference?.cpts[variable]?.rows[config.key]?.[t];
      lines.push({ label, value, text: `${label} = ${formatProbability(value)}`, title: changeTitle(value, ref, referenceName), key: `${variable}|${config.key}` });
    }
  }
  return lines;
}

/**
 * The joint distribution of a two-variable network with no hidden variable (the tutorial's
 * example 1), laid out as the tutorial does: columns = states of the first variable, rows =
 * states of the second; each cell also as a fraction of `rows` when it is one (3.5/8).
 * Undefined for any other network.
 */
export function jointTable(params: BayesNetParametersJSON, rows: number, key = 'joint'): TableModel | undefined {
  const cpts = params.cpts;
  const names = Object.keys(cpts);
  if (names.length !== 2) return undefined;
  // order so that the root comes first: P(x, y) = P(x) P(y | x)
  const [first, second] = cpts[names[0]].parents.length === 0 ? names : [names[1], names[0]];
  const a = cpts[first];
  const b = cpts[second];
  if (a.parents.length !== 0) return undefined;
  if (!(b.parents.length === 0 || (b.parents.length === 1 && b.parents[0] === first))) return undefined;
  const pa = a.rows[''];
  if (!pa) return undefined;
  const header = ['', ...a.states.map((s) => literal(first, s, a.states))];
  const tableRows: Cell[][] = b.states.map((sb, j) => [
    textCell(literal(second, sb, b.states)),
    ...a.states.map((sa, i) => {
      const row = b.parents.length === 0 ? b.rows[''] : b.rows[`${first}=${sa}`];
      const p = pa[i] * (row?.[j] ?? NaN);
      const fraction = asFractionOf(p, rows);
      return textCell(fraction ? `${formatProbability(p)} = ${fraction}` : formatProbability(p), { numeric: true, title: `P(${first}=${sa}, ${second}=${sb}) = ${p}`, key: `${key}|${first}=${sa},${second}=${sb}` });
    }),
  ]);
  return { caption: `Joint distribution P(${first}, ${second})`, header, rowHeaders: true, rows: tableRows, key };
}

