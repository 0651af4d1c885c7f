// Runs one bad-input case through the CLI, as a user meets it, and checks what the user sees:
// the manifest format of test/fixtures/bad/cases.json (and of the generated cases written by
// scripts/make-bad-corpus.mjs), and the checks every case gets.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BayesNetParametersJSON, FitResult } from '../../src/shared/results';

export const root = join(__dirname, '..', '..', '..');
export const cli = join(root, process.env.EMW_DIST || 'dist', 'cli.js');

/** One entry of a bad-input manifest. Paths are relative to the manifest's folder. */
export interface BadInputCase {
  readonly id: string;
  /** What the input is, in words (for the README's table). */
  readonly about: string;
  /** The model file to fit. */
  readonly model: string;
  /** Extra CLI arguments. */
  readonly args?: readonly string[];
  /** 1: bad input; 0: the input is fine (and the numbers are checked). */
  readonly exit: 0 | 1;
  /** exit 1: regex over the location before the first ": " (`file:line:col`, or `file` when no position exists). */
  readonly where?: string;
  /** exit 1: a fragment of the message: names the thing and what to do. */
  readonly message?: string;
  /** exit 1: the stderr line must be shorter than this (huge inputs must not make huge messages). */
  readonly maxStderrBytes?: number;
  /** exit 0: a model file whose fit this one must reproduce. */
  readonly sameAs?: string;
  /** What of `sameAs` must agree: everything (default) or the log-likelihood only. */
  readonly compare?: 'all' | 'logLikelihood';
  /** exit 0: a fragment one of the result's warnings must hold. */
  readonly warning?: string;
  /** exit 0: a variable whose every CPT row is [1] (a one-valued column). */
  readonly cptAllOnes?: string;
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run that takes longer than this is killed: a hang fails the case instead of the test run. */
const CLI_TIMEOUT_MS = 120_000;

/** `node <dist>/cli.js ...args` in `cwd`, without blocking the test runner. */
export function runCli(args: readonly string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CLI_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8') + (timedOut ? `[killed after ${CLI_TIMEOUT_MS / 1000} s]` : '');
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

export function readManifest(dir: string): BadInputCase[] {
  return JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as BadInputCase[];
}

/** JSON paths of every null in `value` (JSON.stringify writes NaN and Infinity as null). */
function nullsIn(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullsIn(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as object).flatMap(([k, v]) => nullsIn(v, `${path}.${k}`));
  return [];
}

function assertClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', path);
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${path}: ${String(actual)} vs ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), path);
    assert.equal((actual as unknown[]).length, expected.length, path);
    expected.forEach((e, i) => assertClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [k, e] of Object.entries(expected)) assertClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else assert.deepEqual(actual, expected, path);
}

/** A stack trace line, or a JavaScript error name the user should never see. */
const STACK_TRACE = /^\s+at\s|\b(TypeError|RangeError|ReferenceError|SyntaxError|AssertionError)\b/m;

/** The posteriors CSV: a `row,...` header, then rows 1, 2, ... with finite or empty fields. */
function checkPosteriorsCsv(path: string, id: string): void {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.match(lines[0], /^row(,|$)/, `${id}: posteriors header`);
  assert.ok(lines.length > 1, `${id}: posteriors have rows`);
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].split(',');
    assert.equal(fields[0], String(i), `${id}: posteriors row ${i}`);
    for (const f of fields) if (f !== '' && /^[-+.\d]/.test(f)) assert.ok(Number.isFinite(Number(f)), `${id}: posteriors row ${i} holds ${f}`);
  }
}

/** A case's run: the arguments (with `--posteriors` into a fresh temporary folder) and that folder. */
export interface PreparedCase {
  readonly c: BadInputCase;
  readonly args: readonly string[];
  readonly tmp: string;
}

export function prepareCase(c: BadInputCase): PreparedCase {
  const tmp = mkdtempSync(join(tmpdir(), 'emw-bad-'));
  return { c, tmp, args: ['fit', c.model, '--json', '--posteriors', join(tmp, 'out.csv'), ...(c.args ?? [])] };
}

/**
 * Check what the user saw of case `c` (run with `--json --posteriors <tmp>/out.csv`), then remove `tmp`:
 * - exit 1: exactly one line on stderr, `where: message`, nothing on stdout, no stack trace,
 *   and nothing written (the temporary folder stays empty);
 * - exit 0: nothing on stderr, one JSON document with no null (no NaN/Infinity) on stdout,
 *   the posteriors file and nothing else written, and the numbers of `sameAs`.
 * `reference` fits a model file once (cached by the caller).
 */
export async function checkRun(p: PreparedCase, r: CliRun, reference: (model: string) => Promise<FitResult>): Promise<void> {
  const { c, tmp } = p;
  try {
    const out = join(tmp, 'out.csv');
    assert.doesNotMatch(r.stderr, STACK_TRACE, `${c.id}: a stack trace or an internal error name on stderr:\n${r.stderr.slice(0, 2000)}`);
    assert.equal(r.code, c.exit, `${c.id}: exit ${r.code}, stderr: ${r.stderr.slice(0, 2000)}`);
    if (c.exit === 1) {
      assert.equal(r.stdout, '', `${c.id}: stdout must be empty`);
      assert.ok(r.stderr.endsWith('\n'), `${c.id}: stderr ends its line`);
      const lines = r.stderr.slice(0, -1).split('\n');
      assert.equal(lines.length, 1, `${c.id}: one line on stderr, got:\n${r.stderr.slice(0, 2000)}`);
      const line = lines[0];
      const at = line.indexOf(': ');
      assert.ok(at > 0, `${c.id}: "file:line:col: message", got ${line.slice(0, 300)}`);
      assert.match(line.slice(0, at), new RegExp(c.where ?? '^$'), `${c.id}: where`);
      assert.ok(line.slice(at + 2).includes(c.message ?? ''), `${c.id}: message ${JSON.stringify(c.message)} not in ${line.slice(0, 1000)}`);
      if (c.maxStderrBytes !== undefined) assert.ok(Buffer.byteLength(r.stderr) < c.maxStderrBytes, `${c.id}: stderr is ${Buffer.byteLength(r.stderr)} bytes`);
      assert.deepEqual(readdirSync(tmp), [], `${c.id}: nothing may be written`);
      return;
    }
    assert.equal(r.stderr, '', `${c.id}: stderr must be empty on success`);
    const result = JSON.parse(r.stdout) as FitResult;
    assert.deepEqual(nullsIn(result), [], `${c.id}: NaN or Infinity in the result`);
    assert.ok(Number.isFinite(result.logLikelihood), `${c.id}: logLikelihood`);
    assert.deepEqual(readdirSync(tmp), ['out.csv'], `${c.id}: only the posteriors are written`);
    checkPosteriorsCsv(out, c.id);
    if (c.warning !== undefined) {
      assert.ok((result.warnings ?? []).some((w) => w.includes(c.warning as string)), `${c.id}: no warning with ${JSON.stringify(c.warning)} in ${JSON.stringify(result.warnings)}`);
    }
    if (c.cptAllOnes !== undefined) {
      const cpt = (result.parameters as BayesNetParametersJSON).cpts[c.cptAllOnes];
      for (const row of Object.values(cpt.rows)) assert.deepEqual(row, [1], `${c.id}: CPT of ${c.cptAllOnes}`);
    }
    if (c.sameAs !== undefined) {
      const expected = await reference(c.sameAs);
      assertClose(result.logLikelihood, expected.logLikelihood, `${c.id}: logLikelihood`);
      if ((c.compare ?? 'all') === 'all') {
        assertClose(result.parameters, expected.parameters, `${c.id}: parameters`);
        assert.equal(result.rows, expected.rows, `${c.id}: rows`);
        assert.equal(result.freeParameters, expected.freeParameters, `${c.id}: freeParameters`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Run case `c` as its own CLI process in `dir` and check it (checkRun). */
export async function checkCase(c: BadInputCase, dir: string, reference: (model: string) => Promise<FitResult>): Promise<CliRun> {
  const p = prepareCase(c);
  const r = await runCli(p.args, dir);
  await checkRun(p, r, reference);
  return r;
}

/**
 * The CLI's `main` (exported by dist/cli.js: the very code `node dist/cli.js` runs) called once
 * per argument list in ONE child process, in order, with its stdout and stderr captured: the
 * whole corpus for the cost of one process start. What differs from a real run is only the
 * process wrapper (exit code from main's return); badInput.test.ts also runs a sample as real
 * processes and checks that both give the same output.
 */
export function runCliBatch(runs: readonly (readonly string[])[], cwd: string): CliRun[] {
  const program = `
    const { main } = require(process.argv[1]);
    const runs = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const write = { out: process.stdout.write, err: process.stderr.write };
    (async () => {
      const results = [];
      for (const args of runs) {
        let stdout = '', stderr = '';
        process.stdout.write = (chunk) => { stdout += String(chunk); return true; };
        process.stderr.write = (chunk) => { stderr += String(chunk); return true; };
        let code;
        try { code = await main(args); } catch (e) { code = -2; stderr += 'main threw: ' + (e && e.stack || e); }
        process.stdout.write = write.out; process.stderr.write = write.err;
        results.push({ code, stdout, stderr });
      }
      process.stdout.write(JSON.stringify(results));
    })();`;
  const r = spawnSync(process.execPath, ['-e', program, cli], { cwd, input: JSON.stringify(runs), encoding: 'utf8', maxBuffer: 1 << 30, timeout: CLI_TIMEOUT_MS, killSignal: 'SIGKILL' });
  assert.equal(r.status, 0, `the batch process failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliRun[];
}

/** Reference fits by model file: from `known` (e.g. run in a batch), else a CLI run of their own, once each. */
export function referenceFits(dir: string, known: ReadonlyMap<string, CliRun> = new Map()): (model: string) => Promise<FitResult> {
  const cache = new Map<string, Promise<FitResult>>();
  return (model) => {
    let p = cache.get(model);
    if (!p) {
      const run = known.get(model);
      p = (run ? Promise.resolve(run) : runCli(['fit', model, '--json'], dir)).then((r) => {
        assert.equal(r.code, 0, `reference ${model}: ${r.stderr}`);
        return JSON.parse(r.stdout) as FitResult;
      });
      cache.set(model, p);
    }
    return p;
  };
}
