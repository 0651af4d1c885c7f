/**
 * The complete-row kernels of completeRowKernels.ts (full, diagonal, tied), generated for one
 * dimension D with every loop over D unrolled: the row's D values and the whitened vector live
 * in local variables, the triangular solve and the scatter update become straight-line code.
 * Same operations in the same order as the generic kernels, so the results are identical to
 * the bit (test/unit/gmmEngine.test.ts checks it), about twice as fast for D = 8
 * (bench/gmm/bench-gmm.ts).
 *
 * The source is built from integers only (D and offsets), never from data or file contents,
 * and compiled once per (kind, D) with `new Function`. Above UNROLL_LIMIT columns the code
 * would outgrow what the JIT optimizes (the full scatter alone is D(D+1)/2 statements), so
 * the generic loops serve.
 */
import type { GmmData } from './gmmData';
import type { GmmParameters } from './gmmParameters';
import type { GmmStats } from './gmmStats';
import { NEGLIGIBLE_LOG, tiedScatter, whitenedMeans } from './completeRowKernels';
import { expOfGap } from './fastExp';

/** Largest D with unrolled kernels. */
export const UNROLL_LIMIT = 32;

export type CompleteRowKernel = (data: GmmData, p: GmmParameters, start: number, end: number, stats: GmmStats) => number;

type Compiled = (
  x: Float64Array,
  weights: Float64Array | undefined,
  start: number,
  end: number,
  means: Float64Array,
  factors: Float64Array,
  inverseDiagonals: Float64Array,
  logNorm: Float64Array,
  nk: Float64Array,
  s1: Float64Array,
  s2: Float64Array,
  k: number,
  center: Float64Array,
) => number;

const compiled = new Map<string, Compiled>();

/** The unrolled kernel for `kind` and D columns, or undefined above UNROLL_LIMIT. */
export function unrolledKernel(kind: 'full' | 'diagonal' | 'tied', d: number): CompleteRowKernel | undefined {
  if (d > UNROLL_LIMIT || d < 1) return undefined;
  const key = `${kind}:${d}`;
  let fn = compiled.get(key);
  if (fn === undefined) {
    const body = kind === 'full' ? fullSource(d) : kind === 'tied' ? tiedSource(d) : diagonalSource(d);
    fn = new Function('NEGLIGIBLE_LOG', 'expOfGap', `"use strict";\nreturn function ${kind}Rows${d}(x, weights, start, end, means, factors, inverseDiagonals, logNorm, nk, s1, s2, k, center) {\n${body}\n};`)(NEGLIGIBLE_LOG, expOfGap) as Compiled;
    compiled.set(key, fn);
  }
  const run = fn;
  if (kind === 'tied') {
    // the tied kernel reads the whitened means in place of the means, and adds the cached scatter
    return (data, p, start, end, stats) => {
      const ll = run(data.x, data.weights, start, end, whitenedMeans(data, p), p.factors, p.inverseDiagonals, p.logNormalizers, stats.nk, stats.s1, stats.s2, p.k, data.center);
      const scatter = tiedScatter(data, start, end);
      for (let i = 0; i < scatter.length; i++) stats.s2[i] += scatter[i];
      return ll;
    };
  }
  return (data, p, start, end, stats) => run(data.x, data.weights, start, end, p.means, p.factors, p.inverseDiagonals, p.logNormalizers, stats.nk, stats.s1, stats.s2, p.k, data.center);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** The shared tail of a row: normalize, add the row's log-likelihood (Neumaier), scale the responsibilities. */
const rowTail = (exp: 'Math.exp' | 'expOfGap'): string => `
    let total = 0;
    for (let c = 0; c < k; c++) {
      const gap = lp[c] - max;
      const e = gap < NEGLIGIBLE_LOG ? 0 : ${exp}(gap);
      lp[c] = e;
      total += e;
    }
    const wi = weights === undefined ? 1 : weights[i];
    const term = wi * (max + Math.log(total));
    const t = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    const scale = wi / total;`;

function fullSource(d: number): string {
  const dd = d * d;
  const lines: string[] = [];
  lines.push(`const lp = new Float64Array(k); const diff = new Float64Array(k * ${d});`);
  lines.push('let sum = 0; let comp = 0;');
  lines.push('for (let i = start; i < end; i++) {');
  lines.push(`  const row = i * ${d};`);
  for (const r of range(d)) lines.push(`  const x${r} = x[row + ${r}];`);
  lines.push('  let max = -Infinity;');
  lines.push(`  for (let c = 0; c < k; c++) {`);
  lines.push(`    const m = c * ${d}; const l = c * ${dd};`);
  for (const r of range(d)) {
    let s = `d${r}`;
    for (const q of range(r)) s = `${s} - factors[l + ${r * d + q}] * z${q}`;
    lines.push(`    const d${r} = x${r} - means[m + ${r}]; diff[m + ${r}] = d${r}; const z${r} = (${s}) * inverseDiagonals[m + ${r}];`);
  }
  lines.push(`    const v = logNorm[c] - 0.5 * (${range(d).map((r) => `z${r} * z${r}`).join(' + ')});`);
  lines.push('    lp[c] = v; if (v > max) max = v;');
  lines.push('  }');
  lines.push(rowTail('Math.exp'));
  lines.push('  for (let c = 0; c < k; c++) {');
  lines.push('    const r = lp[c] * scale; if (r === 0) continue;');
  lines.push(`    nk[c] += r; const m = c * ${d}; const s = c * ${dd};`);
  for (const a of range(d)) lines.push(`    const e${a} = diff[m + ${a}];`);
  for (const a of range(d)) {
    lines.push(`    { const ra = r * e${a}; s1[m + ${a}] += ra;`);
    for (let b = a; b < d; b++) lines.push(`      s2[s + ${a * d + b}] += ra * e${b};`);
    lines.push('    }');
  }
  lines.push('  }');
  lines.push('}');
  lines.push('return sum + comp;');
  return lines.join('\n');
}

function diagonalSource(d: number): string {
  const lines: string[] = [];
  lines.push(`const lp = new Float64Array(k); const diff = new Float64Array(k * ${d});`);
  lines.push('let sum = 0; let comp = 0;');
  lines.push('for (let i = start; i < end; i++) {');
  lines.push(`  const row = i * ${d};`);
  for (const r of range(d)) lines.push(`  const x${r} = x[row + ${r}];`);
  lines.push('  let max = -Infinity;');
  lines.push('  for (let c = 0; c < k; c++) {');
  lines.push(`    const m = c * ${d};`);
  for (const j of range(d)) lines.push(`    const d${j} = x${j} - means[m + ${j}]; diff[m + ${j}] = d${j}; const z${j} = d${j} * factors[m + ${j}];`);
  // even and odd columns summed apart, then added: the order of the two-lane SIMD kernel
  const squares = (parity: number): string => range(d).filter((j) => j % 2 === parity).map((j) => `z${j} * z${j}`).join(' + ') || '0';
  lines.push(`    const v = logNorm[c] - 0.5 * ((${squares(0)}) + (${squares(1)}));`);
  lines.push('    lp[c] = v; if (v > max) max = v;');
  lines.push('  }');
  lines.push(rowTail('expOfGap'));
  lines.push('  for (let c = 0; c < k; c++) {');
  lines.push('    const r = lp[c] * scale; if (r === 0) continue;');
  lines.push(`    nk[c] += r; const m = c * ${d};`);
  for (const j of range(d)) lines.push(`    { const e = diff[m + ${j}]; const rj = r * e; s1[m + ${j}] += rj; s2[m + ${j}] += rj * e; }`);
  lines.push('  }');
  lines.push('}');
  lines.push('return sum + comp;');
  return lines.join('\n');
}

/** Tied: `means` holds the whitened means L^{-1}(mu_k - c); s1 gathers r (x - c); the scatter is added by the caller. */
function tiedSource(d: number): string {
  const lines: string[] = [];
  lines.push('const lp = new Float64Array(k);');
  lines.push('let sum = 0; let comp = 0;');
  lines.push('for (let i = start; i < end; i++) {');
  lines.push(`  const row = i * ${d};`);
  for (const r of range(d)) {
    let s = `y${r}`;
    for (const q of range(r)) s = `${s} - factors[${r * d + q}] * z${q}`;
    lines.push(`  const y${r} = x[row + ${r}] - center[${r}]; const z${r} = (${s}) * inverseDiagonals[${r}];`);
  }
  lines.push('  let max = -Infinity;');
  lines.push('  for (let c = 0; c < k; c++) {');
  lines.push(`    const m = c * ${d};`);
  for (const j of range(d)) lines.push(`    const t${j} = z${j} - means[m + ${j}];`);
  lines.push(`    const v = logNorm[c] - 0.5 * (${range(d).map((j) => `t${j} * t${j}`).join(' + ')});`);
  lines.push('    lp[c] = v; if (v > max) max = v;');
  lines.push('  }');
  lines.push(rowTail('Math.exp'));
  lines.push('  for (let c = 0; c < k; c++) {');
  lines.push('    const r = lp[c] * scale; if (r === 0) continue;');
  lines.push(`    nk[c] += r; const m = c * ${d};`);
  for (const j of range(d)) lines.push(`    s1[m + ${j}] += r * y${j};`);
  lines.push('  }');
  lines.push('}');
  lines.push('return sum + comp;');
  return lines.join('\n');
}
