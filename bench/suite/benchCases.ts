/**
 * The cases of issue 7's benchmark and which tools run each: the Gaussian mixtures (N = 1e6,
 * D in {2, 8}, K in {3, 8}, diag and full), the latent-class model (1e6 rows), the HMMs
 * (1 x 100,000 and 100 x 1,000 steps) and the Gaussian mixture with 10% blank cells
 * (N = 1e5, D = 8, K = 8). `--quick` shrinks the large ones tenfold.
 */
import type { LatentClassSpec } from './dataSets';

export type PeerName = 'scikit-learn' | 'pomegranate' | 'mclust';
export const PEERS: readonly PeerName[] = ['scikit-learn', 'pomegranate', 'mclust'];

interface CaseBase {
  /** Stable name for `--case` filters: gmm-d8-k8-diag, lc-k3, hmm-1x100000, gmm-missing-full, ... */
  readonly name: string;
  /** What the table shows, with the sizes of this run. */
  readonly label: string;
}

export interface GmmCase extends CaseBase {
  readonly kind: 'gmm';
  readonly rows: number;
  readonly dimensions: number;
  readonly components: number;
  readonly covariance: 'diag' | 'full';
  readonly seed: number;
  /** Probability that a cell is blank; 0 for complete data. */
  readonly missingFraction: number;
}

export interface LatentClassCase extends CaseBase {
  readonly kind: 'latent-class';
  readonly spec: LatentClassSpec;
}

export interface HmmCase extends CaseBase {
  readonly kind: 'hmm';
  /** A case of test/fixtures/hmm/pomegranate-histories.json (bench/hmm/pomegranate_hmm.py CASES). */
  readonly fixtureCase: string;
  readonly sequences: number;
  readonly length: number;
}

export type BenchCase = GmmCase | LatentClassCase | HmmCase;

/** How a peer takes part in a case. */
export type PeerRole =
  | { readonly role: 'fits' }
  /** The peer has no EM over missing cells: its row shows its refusal. */
  | { readonly role: 'refuses' }
  /** Not run in this configuration, and why (shown in its row). */
  | { readonly role: 'skipped'; readonly why: string };

/** 1e6 -> "1e6", 100000 -> "1e5", 20000 -> "20,000". */
export function shortCount(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `1e${e}` : n.toLocaleString('en-US');
}

export function allCases(quick: boolean): BenchCase[] {
  const big = quick ? 100_000 : 1_000_000;
  const cases: BenchCase[] = [];
  for (const dimensions of [2, 8]) {
    for (const components of [3, 8]) {
      for (const covariance of ['diag', 'full'] as const) {
        cases.push({ kind: 'gmm', name: `gmm-d${dimensions}-k${components}-${covariance}`, label: `GMM N=${shortCount(big)} D=${dimensions} K=${components} ${covariance}`, rows: big, dimensions, components, covariance, seed: 42, missingFraction: 0 });
      }
    }
  }
  const lc: LatentClassSpec = { rows: big, levels: [2, 3, 4, 2, 3, 4], classes: 3, seed: 7 };
  cases.push({ kind: 'latent-class', name: 'lc-k3', label: `latent class ${shortCount(big)} rows, 6 columns, K=3`, spec: lc });
  // The fixture's cases: 1 x 100,000 (quick: 1 x 10,000) and 100 x 1,000, 3 states, 2-D full covariances.
  const longCase = quick ? { fixtureCase: 'gaussian-1x10000', sequences: 1, length: 10_000 } : { fixtureCase: 'gaussian-1x100000', sequences: 1, length: 100_000 };
  cases.push({ kind: 'hmm', name: quick ? 'hmm-1x10000' : 'hmm-1x100000', label: `HMM 1 x ${longCase.length.toLocaleString('en-US')}, 3 states, 2-D full`, ...longCase });
  cases.push({ kind: 'hmm', name: 'hmm-100x1000', label: 'HMM 100 x 1,000, 3 states, 2-D full', fixtureCase: 'gaussian-100x1000', sequences: 100, length: 1000 });
  const missingRows = quick ? 20_000 : 100_000;
  for (const covariance of ['diag', 'full'] as const) {
    cases.push({ kind: 'gmm', name: `gmm-missing-${covariance}`, label: `GMM 10% blank N=${shortCount(missingRows)} D=8 K=8 ${covariance}`, rows: missingRows, dimensions: 8, components: 8, covariance, seed: 43, missingFraction: 0.1 });
  }
  return cases;
}

/** Cases whose name contains one of the filters (all cases without filters). */
export function selectCases(cases: readonly BenchCase[], filters: readonly string[]): BenchCase[] {
  if (filters.length === 0) return [...cases];
  return cases.filter((c) => filters.some((f) => c.name.includes(f)));
}

/** Which peers take part in a case, and how. */
export function peerRole(c: BenchCase, peer: PeerName, withSlow: boolean): PeerRole | undefined {
  switch (c.kind) {
    case 'gmm':
      if (c.missingFraction === 0) return { role: 'fits' };
      if (peer !== 'pomegranate') return { role: 'refuses' };
      // PERFORMANCE.md: pomegranate 0.14 takes ~18 s per iteration here (full covariances with blank cells)
      if (c.covariance === 'full' && !withSlow) return { role: 'skipped', why: 'skipped: about 18 s/iter (PERFORMANCE.md); run with --with-slow to time it' };
      return { role: 'fits' };
    case 'latent-class':
    case 'hmm':
      // scikit-learn and mclust have neither model
      return peer === 'pomegranate' ? { role: 'fits' } : undefined;
    default: {
      const never: never = c;
      throw new Error(`unknown case ${JSON.stringify(never)}`);
    }
  }
}
