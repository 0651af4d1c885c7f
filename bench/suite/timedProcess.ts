/**
 * Runs one benchmark child (ours, a Python or an R peer) and measures the whole process: wall
 * and CPU seconds (user + system, every thread) and peak resident memory, from GNU time
 * (`/usr/bin/time -f`) when it is installed, else from what the child reports about itself.
 * The child prints one JSON object as its last stdout line; `{"error": ...}` there is a refusal
 * or failure the child caught and explained (a peer that rejects missing values), not a crash.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';
/** GNU time's report, as the child's last stderr line: elapsed s, user s, system s, max RSS KiB. */
const TIME_FORMAT = 'EMW_TIME %e %U %S %M';

export interface ProcessFigures {
  readonly wallSeconds: number;
  /** User + system CPU seconds of the process and all its threads; undefined without GNU time. */
  readonly cpuSeconds?: number;
  /** Peak resident set size in MB (GNU time, else the child's own report). */
  readonly peakRssMb?: number;
}

export type ChildOutcome =
  | { readonly ok: Record<string, unknown>; readonly process: ProcessFigures }
  | { readonly error: string; readonly process: ProcessFigures };

export interface ChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the child after this many seconds (its row then says so). */
  readonly timeoutSeconds?: number;
}

/** Parses GNU time's line (TIME_FORMAT) out of stderr; undefined when absent. */
export function parseGnuTime(stderr: string): { wall: number; cpu: number; rssMb: number } | undefined {
  const m = /EMW_TIME (\S+) (\S+) (\S+) (\d+)\s*$/.exec(stderr);
  if (!m) return undefined;
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

/** The JSON object `text` holds (the CLI's --json document) or else its last line that is one. */
export function lastJsonLine(text: string): Record<string, unknown> | undefined {
  const whole = text.trim();
  if (whole.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(whole);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // several lines of output: look for the last JSON line below
    }
  }
  const lines = whole.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not JSON: keep looking upwards
    }
  }
  return undefined;
}

/** The last meaningful line of a failed child's stderr (its error), without GNU time's line. */
function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('EMW_TIME') && !/^Command (exited|terminated)/.test(l));
  return lines.length ? lines[lines.length - 1].slice(0, 300) : 'no message';
}

/** Runs `argv` (asynchronously, so a long child does not block timers) and measures it. */
export function runChild(argv: readonly string[], options: ChildOptions = {}): Promise<ChildOutcome> {
  const timed = existsSync(GNU_TIME);
  const full = timed ? [GNU_TIME, '-f', TIME_FORMAT, ...argv] : [...argv];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(full[0], full.slice(1), { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    // only the tail matters (the error, GNU time's line): keep the last 64 KB
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-65536);
    });
    let timedOut = false;
    const timer =
      options.timeoutSeconds !== undefined
        ? setTimeout(() => {
            timedOut = true;
            // the child's own process group (GNU time and the tool under it), nothing else
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          }, options.timeoutSeconds * 1000)
        : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      resolve({ error: `cannot start ${argv[0]}: ${e.message}`, process: { wallSeconds: (performance.now() - t0) / 1000 } });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const wall = (performance.now() - t0) / 1000;
      const report = lastJsonLine(stdout);
      const time = parseGnuTime(stderr);
      const selfRss = typeof report?.peakRssMb === 'number' ? report.peakRssMb : undefined;
      const figures: ProcessFigures = time ? { wallSeconds: time.wall, cpuSeconds: time.cpu, peakRssMb: time.rssMb } : { wallSeconds: wall, ...(selfRss !== undefined ? { peakRssMb: selfRss } : {}) };
      if (timedOut) resolve({ error: `stopped after ${options.timeoutSeconds} s`, process: figures });
      else if (report && typeof report.error === 'string') resolve({ error: report.error, process: figures });
      else if (code === 0 && report) resolve({ ok: report, process: figures });
      else resolve({ error: `exit ${code}: ${lastErrorLine(stderr || stdout)}`, process: figures });
    });
  });
}
