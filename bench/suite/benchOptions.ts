/**
 * The options of `npm run bench -- [options]` (bench/README.md).
 */
import type { SuiteOptions } from './caseRunner';
import { PEERS, type PeerName } from './benchCases';

export const BENCH_USAGE = `usage: npm run bench -- [options]

  --quick                 smaller data (N = 1e5 instead of 1e6; HMM 1 x 10,000; blank cells N = 20,000)
  --case NAME             only cases whose name contains NAME (repeatable, or a comma list):
                          gmm-d8-k8-diag, gmm-d2 (both D = 2 sizes), lc, hmm, gmm-missing, loading, ...
  --list                  list the cases and exit
  --threads LIST          our E-step threads, one row each (default 0,1: every core, then one
                          thread); ratios are to the first; peers always run one thread
  --iterations HI         time iterations 1..HI from the shared start (default 6: 5 timed)
  --e2e-iterations N      iterations of the end-to-end runs (default 20)
  --converge-budget S     seconds a converged run may take at the tool's measured s/iter
                          (default 20; 0: no converged runs)
  --tolerance X           converged runs stop when the gain per row is below X (default 1e-6)
  --peers LIST            peers to run, from ${PEERS.join(',')} (default all)
  --with-slow             also time pomegranate on full covariances with blank cells (~18 s/iter)
  --no-loading            skip the loading benchmark (bench/loading)
  --timeout S             stop any one process after S seconds (default 1800)
  --no-build              (bench/bench.mjs) use the build that is there`;

export class BenchUsageError extends Error {}

export interface ParsedOptions extends SuiteOptions {
  readonly list: boolean;
  readonly help: boolean;
}

function positiveNumber(flag: string, v: string | undefined, allowZero: boolean): number {
  const x = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) throw new BenchUsageError(`${flag} takes a number ${allowZero ? '>= 0' : '> 0'}, not ${JSON.stringify(v)}`);
  return x;
}

function wholeNumber(flag: string, v: string | undefined, min: number): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new BenchUsageError(`${flag} takes a whole number >= ${min}, not ${JSON.stringify(v)}`);
  return Number(v);
}

export function parseBenchOptions(argv: readonly string[]): ParsedOptions {
  let quick = false;
  let list = false;
  let help = false;
  let withSlow = false;
  let loading = true;
  const filters: string[] = [];
  let threads: number[] = [0, 1];
  let hi = 6;
  let e2eIterations = 20;
  let convergeBudget = 20;
  let convergeTolerance = 1e-6;
  let peers: PeerName[] = [...PEERS];
  let timeoutSeconds = 1800;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string | undefined => (eq > 0 ? raw.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--list':
        list = true;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '--with-slow':
        withSlow = true;
        break;
      case '--no-loading':
        loading = false;
        break;
      case '--no-build':
        break; // the launcher's flag
      case '--case': {
        const v = value();
        if (!v) throw new BenchUsageError('--case needs a name');
        filters.push(...v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
        break;
      }
      case '--threads': {
        const v = value() ?? '';
        threads = v.split(',').map((t) => wholeNumber(flag, t.trim(), 0));
        break;
      }
      case '--iterations':
        hi = wholeNumber(flag, value(), 2);
        break;
      case '--e2e-iterations':
        e2eIterations = wholeNumber(flag, value(), 1);
        break;
      case '--converge-budget':
        convergeBudget = positiveNumber(flag, value(), true);
        break;
      case '--tolerance':
        convergeTolerance = positiveNumber(flag, value(), false);
        break;
      case '--timeout':
        timeoutSeconds = positiveNumber(flag, value(), false);
        break;
      case '--peers': {
        const v = value() ?? '';
        const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
        const unknown = names.filter((n) => !(PEERS as readonly string[]).includes(n));
        if (unknown.length) throw new BenchUsageError(`unknown peer ${unknown.join(', ')} (peers: ${PEERS.join(', ')})`);
        peers = names as PeerName[];
        break;
      }
      default:
        throw new BenchUsageError(`unknown option ${JSON.stringify(raw)}`);
    }
  }
  return { quick, list, help, withSlow, loading, filters, threads, lo: 1, hi, e2eIterations, convergeBudget, convergeTolerance, peers, timeoutSeconds };
}
