/**
 * Command-line arguments of `em-workbench fit MODEL ...` (DESIGN.md "Command line").
 * A usage error (exit 2) is a UsageError; everything about the files is an InputError (exit 1).
 */
import type { FitOverrides, MissingDataStrategy } from '../shared/modelSpec';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FitCommand {
  readonly command: 'fit';
  readonly model: string;
  readonly json: boolean;
  readonly overrides: FitOverrides;
  readonly posteriors?: string;
  /** undefined: no table; 'all'; or the 1-based iterations to show. */
  readonly iterationsTable?: 'all' | readonly number[];
  /** Fit under drop, fill-mode and em, and show the three side by side. */
  readonly compareMissingData: boolean;
}

export type Command = FitCommand | { readonly command: 'help' } | { readonly command: 'version' };

export const USAGE = `usage: em-workbench fit MODEL.em.json [options]

Fits the model file by expectation-maximization and prints the estimates.

options:
  --json                      print exactly one JSON document (the results shape) on stdout
  --seed N                    random seed (same file + same seed = same numbers)
  --restarts N                independent starts; the best is kept, all are reported
  --max-iterations N          at most N EM iterations (0: evaluate the initial parameters)
  --tolerance X               stop when the log-likelihood gain per weighted row is below X
  --missing-data STRATEGY     em (soft EM, default) | drop (ignore incomplete rows) |
                              fill-mode (fill with the most probable value, then count)
  --compare-missing-data      fit with each of the three strategies and show them side by side
  --threads N                 worker threads for the E-step (0: all cores)
  --posteriors OUT.csv        write one line of posteriors per data row, in data order
  --iterations-table[=LIST]   show each iteration's E-step and M-step, as the tutorial lays
                              them out (LIST: e.g. 1,2,5,10; default every iteration)
  -h, --help                  this text
  --version                   the version

exit status: 0 success; 1 bad input or failed fit (one line on stderr: file:line:col: message);
2 usage error.`;

const MISSING: readonly MissingDataStrategy[] = ['em', 'drop', 'fill-mode'];

function integer(flag: string, v: string, min: number): number {
  if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag} takes a whole number, not ${JSON.stringify(v)}`);
  const n = Number(v);
  if (n < min) throw new UsageError(`${flag} must be at least ${min}`);
  return n;
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError('no command given');
  if (argv.includes('-h') || argv.includes('--help') || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '--version' || argv[0] === 'version') return { command: 'version' };
  if (argv[0] !== 'fit') throw new UsageError(`unknown command ${JSON.stringify(argv[0])} (expected "fit")`);
  let model: string | undefined;
  let json = false;
  let posteriors: string | undefined;
  let iterationsTable: 'all' | number[] | undefined;
  let compareMissingData = false;
  const overrides: { -readonly [K in keyof FitOverrides]: FitOverrides[K] } = {};
  for (let i = 1; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json': json = true; break;
      case '--seed': overrides.seed = integer(flag, value(), 0); break;
      case '--restarts': overrides.restarts = integer(flag, value(), 1); break;
      case '--max-iterations': overrides.maxIterations = integer(flag, value(), 0); break;
      case '--threads': overrides.threads = integer(flag, value(), 0); break;
      case '--tolerance': {
        const v = value();
        const x = Number(v);
        if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--tolerance takes a number >= 0, not ${JSON.stringify(v)}`);
        overrides.tolerance = x;
        break;
      }
      case '--missing-data': {
        const v = value();
        if (!(MISSING as readonly string[]).includes(v)) throw new UsageError(`--missing-data takes one of ${MISSING.join(', ')}, not ${JSON.stringify(v)}`);
        overrides.missingData = v as MissingDataStrategy;
        break;
      }
      case '--compare-missing-data': compareMissingData = true; break;
      case '--posteriors': posteriors = value(); break;
      case '--iterations-table': {
        if (inline === undefined) iterationsTable = 'all';
        else iterationsTable = inline.split(',').map((s) => integer(flag, s.trim(), 1));
        break;
      }
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        if (model !== undefined) throw new UsageError(`one model file only (got ${model} and ${flag})`);
        model = flag;
    }
  }
  if (model === undefined) throw new UsageError('no model file given');
  if (compareMissingData && overrides.missingData !== undefined) throw new UsageError('--compare-missing-data and --missing-data exclude each other');
  return { command: 'fit', model, json, overrides, compareMissingData, ...(posteriors !== undefined ? { posteriors } : {}), ...(iterationsTable !== undefined ? { iterationsTable } : {}) };
}
