/**
 * Loading benchmark: our reader against pandas.read_csv on the same generated file, in one run.
 *
 *   node scripts/build.mjs && node out/bench/loading/loadingBench.js [--rows N] [--repeat R] [--format fixed6|repr] [--no-before]
 *
 * Generates (or reuses) bench/data/loading-<N>x8-<format>-seed7.csv (loadingData.ts), then runs
 * R rounds; each round loads the file once per reader, each in a fresh process (so that one
 * reader's memory does not count against the next), the readers interleaved so that the
 * shared machine's load affects them alike:
 * - ours: readDataset (the byte scanner), loadOnce.ts;
 * - ours before: the csv-parse path it replaced (skip with --no-before);
 * - pandas: pandas.read_csv (C engine, default float parsing), pandas_load.py with Debian's
 *   /usr/bin/python3; and pandas with float_precision='round_trip' (correctly rounded, like ours).
 * Each child runs under /usr/bin/time (when present) for the process's CPU (user + sys) and peak
 * RSS; the child also times the read call alone (pandas' import is not counted). Printed: the
 * median of each figure over the rounds, and ours/pandas ratios. Rows and checksums are
 * compared so that every reader is seen to read the same numbers.
 * When pandas cannot be imported the pandas rows say "pandas not installed". EMW_PYTHON names
 * another python than /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLoadingData, type NumberFormat } from './loadingData';

const ROOT = join(__dirname, '..', '..', '..');
/** Debian's python has pandas (python3-pandas); EMW_PYTHON points elsewhere. */
const PYTHON = process.env.EMW_PYTHON ?? '/usr/bin/python3';
const TIME = '/usr/bin/time';

interface Args {
  rows: number;
  repeat: number;
  format: NumberFormat;
  before: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { rows: 1_000_000, repeat: 3, format: 'fixed6', before: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') args.rows = Number(argv[++i]);
    else if (a === '--repeat') args.repeat = Number(argv[++i]);
    else if (a === '--format') {
      const f = argv[++i];
      if (f !== 'fixed6' && f !== 'repr') throw new Error(`--format must be fixed6 or repr, not ${f}`);
      args.format = f;
    } else if (a === '--no-before') args.before = false;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.rows > 0 && args.repeat > 0)) throw new Error('--rows and --repeat must be positive');
  return args;
}

/** One child's report (loadOnce.ts / pandas_load.py) plus /usr/bin/time's figures. */
interface Measurement {
  readonly rows: number;
  readonly checksum: number;
  readonly readCpuSeconds: number;
  readonly readWallSeconds: number;
  readonly peakRssMb: number;
  /** Whole process, from /usr/bin/time (undefined without it). */
  readonly processCpuSeconds?: number;
  readonly processWallSeconds?: number;
}

interface Reader {
  readonly label: string;
  readonly command: readonly string[];
}

type RunResult = { readonly ok: Measurement } | { readonly missing: string } | { readonly failed: string };

function run(reader: Reader): RunResult {
  const timed = existsSync(TIME);
  const argv = timed ? [TIME, '-f', 'EMW_TIME %U %S %e %M', ...reader.command] : [...reader.command];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) return { failed: r.error.message };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let report: Record<string, unknown>;
  try {
    report = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { failed: `exit ${r.status}: ${(r.stderr || r.stdout).trim().slice(-400)}` };
  }
  if (typeof report.error === 'string') return { missing: report.error };
  const time = /EMW_TIME (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
  return {
    ok: {
      rows: report.rows as number,
      checksum: report.checksum as number,
      readCpuSeconds: report.readCpuSeconds as number,
      readWallSeconds: report.readWallSeconds as number,
      peakRssMb: time ? Number(time[4]) / 1024 : (report.peakRssMb as number),
      ...(time ? { processCpuSeconds: Number(time[1]) + Number(time[2]), processWallSeconds: Number(time[3]) } : {}),
    },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number | undefined, digits = 2): string => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const spec = { rows: args.rows, columns: 8, format: args.format, seed: 7 };
  process.stdout.write(`data: ${args.rows} x 8, ${args.format} ... `);
  const file = ensureLoadingData(ROOT, spec);
  process.stdout.write(`${file}\n`);
  const loadOnce = join(__dirname, 'loadOnce.js');
  const pandas = join(ROOT, 'bench', 'loading', 'pandas_load.py');
  const readers: Reader[] = [
    { label: 'ours (readDataset)', command: [process.execPath, loadOnce, 'fast', file] },
    ...(args.before ? [{ label: 'ours before (csv-parse)', command: [process.execPath, loadOnce, 'csv-parse', file] }] : []),
    { label: 'pandas.read_csv', command: [PYTHON, pandas, file, 'default'] },
    { label: "pandas.read_csv round_trip", command: [PYTHON, pandas, file, 'round_trip'] },
  ];
  const results = new Map<string, RunResult[]>(readers.map((r) => [r.label, []]));
  for (let round = 1; round <= args.repeat; round++) {
    for (const reader of readers) {
      const result = existsSync(reader.command[0]) ? run(reader) : { missing: reader.command[0] === PYTHON ? 'pandas not installed' : `${reader.command[0]} not found` };
      (results.get(reader.label) as RunResult[]).push(result);
      const shown = 'ok' in result ? `read ${fmt(result.ok.readCpuSeconds)} s CPU, ${fmt(result.ok.readWallSeconds)} s wall, peak RSS ${fmt(result.ok.peakRssMb, 0)} MB` : 'missing' in result ? result.missing : `FAILED ${result.failed}`;
      process.stdout.write(`round ${round}: ${reader.label}: ${shown}\n`);
    }
  }

  const medians = new Map<string, Measurement | string>();
  for (const reader of readers) {
    const rs = results.get(reader.label) as RunResult[];
    const ok = rs.flatMap((r) => ('ok' in r ? [r.ok] : []));
    if (ok.length === 0) {
      const first = rs[0];
      medians.set(reader.label, 'missing' in first ? first.missing : 'failed' in first ? `failed: ${first.failed}` : 'no result');
      continue;
    }
    const m = (f: (x: Measurement) => number | undefined): number | undefined => {
      const xs = ok.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? median(xs) : undefined;
    };
    medians.set(reader.label, {
      rows: ok[0].rows,
      checksum: ok[0].checksum,
      readCpuSeconds: m((x) => x.readCpuSeconds) as number,
      readWallSeconds: m((x) => x.readWallSeconds) as number,
      peakRssMb: m((x) => x.peakRssMb) as number,
      processCpuSeconds: m((x) => x.processCpuSeconds),
      processWallSeconds: m((x) => x.processWallSeconds),
    });
  }

  const ours = medians.get(readers[0].label);
  const pandasDefault = medians.get('pandas.read_csv');
  const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : '—');
  process.stdout.write(`\nmedians of ${args.repeat} rounds (${args.rows} x 8 ${args.format}; read = the read call alone; process = /usr/bin/time user+sys and elapsed of the whole process)\n`);
  process.stdout.write('| reader | read CPU s | read wall s | process CPU s | process wall s | peak RSS MB | read CPU vs pandas | read wall vs pandas |\n|---|---|---|---|---|---|---|---|\n');
  for (const reader of readers) {
    const v = medians.get(reader.label);
    if (typeof v === 'string' || v === undefined) {
      process.stdout.write(`| ${reader.label} | ${v ?? 'no result'} | | | | | | |\n`);
      continue;
    }
    const p = typeof pandasDefault === 'object' ? pandasDefault : undefined;
    process.stdout.write(
      `| ${reader.label} | ${fmt(v.readCpuSeconds)} | ${fmt(v.readWallSeconds)} | ${fmt(v.processCpuSeconds)} | ${fmt(v.processWallSeconds)} | ${fmt(v.peakRssMb, 0)} | ${ratio(v.readCpuSeconds, p?.readCpuSeconds)} | ${ratio(v.readWallSeconds, p?.readWallSeconds)} |\n`,
    );
  }
  // Every reader must have read the same table (checksums differ only by summation order).
  if (typeof ours === 'object') {
    for (const [label, v] of medians) {
      if (typeof v !== 'object') continue;
      const same = v.rows === ours.rows && Math.abs(v.checksum - ours.checksum) <= 1e-9 * Math.max(1, Math.abs(ours.checksum));
      if (!same) process.stdout.write(`WARNING: ${label} read ${v.rows} rows with checksum ${v.checksum}, ours ${ours.rows} rows with ${ours.checksum}\n`);
    }
  }
  if (typeof pandasDefault === 'string') process.stdout.write(`pandas: ${pandasDefault}\n`);
}

main();
