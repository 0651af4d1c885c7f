#!/usr/bin/env node
// `npm test`: every test tier, in order, each printing its own summary, then one closing line
// `N passed, N failed` over all tiers. Exit code 1 if any tier failed.
//   1. build (esbuild) and type check (tsc --noEmit, extension and webview projects)
//   2. unit: node's test runner over out/test/unit (engine, data, spec, CLI; no VS Code)
//   3. host: mocha inside a real VS Code extension host (code-server), see scripts/host/
//   4. e2e: the inspector in the real workbench, driven by Playwright
// Tiers 3 and 4 need the host runtime (code-server, Node 24, chromium): scripts/host/install.sh
// installs it into .vscode-test/ (git-ignored); this script installs it when it is missing.
// EMW_TIERS=unit,host limits the tiers (for local iteration; CI runs all).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tiers = (process.env.EMW_TIERS || 'typecheck,unit,host,e2e').split(',');
let passed = 0;
let failed = 0;
const report = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28, ...opts });
  process.stdout.write(r.stdout || '');
  process.stderr.write(r.stderr || '');
  return { code: r.status ?? 1, out: (r.stdout || '') + (r.stderr || '') };
}
/** Counts from node's test runner summary (`# pass N` / `# fail N`) or a plain `N passed, N failed` line. */
function counts(out) {
  const p = /^(?:ℹ|#) pass (\d+)$/m.exec(out);
  const f = /^(?:ℹ|#) fail (\d+)$/m.exec(out);
  if (p && f) return { p: Number(p[1]), f: Number(f[1]) };
  const lines = [...out.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)];
  if (lines.length) { const m = lines[lines.length - 1]; return { p: Number(m[1]), f: Number(m[2]) }; }
  return undefined;
}
function tier(name, cmd, args, opts) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = run(cmd, args, opts);
  const c = counts(r.out) ?? { p: r.code === 0 ? 1 : 0, f: r.code === 0 ? 0 : 1 };
  if (r.code !== 0 && c.f === 0) c.f = 1; // a runner that crashed counts as a failure
  passed += c.p; failed += c.f;
  report.push(`${name}: ${c.p} passed, ${c.f} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const build = run(process.execPath, ['scripts/build.mjs']);
if (build.code !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
if (tiers.includes('typecheck')) {
  console.log('\n=== typecheck ===');
  const a = run(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.']);
  const b = existsSync(join(root, 'webview/src')) ? run(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'webview']) : { code: 0 };
  const ok = a.code === 0 && b.code === 0;
  if (ok) passed++; else failed++;
  report.push(`typecheck: ${ok ? '1 passed, 0 failed' : '0 passed, 1 failed'}`);
}
if (tiers.includes('unit')) tier('unit', process.execPath, ['--test', '--test-reporter=spec', 'out/test/unit/']);
const needsHost = tiers.includes('host') || tiers.includes('e2e');
if (needsHost && !existsSync(join(root, '.vscode-test/runtime/.installed'))) {
  console.log('\n=== installing the VS Code host runtime (scripts/host/install.sh) ===');
  const r = spawnSync('bash', ['scripts/host/install.sh'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) { failed++; report.push('host runtime install: failed'); }
}
if (tiers.includes('host') && existsSync(join(root, 'scripts/host/run-host-tests.js'))) tier('host', process.execPath, ['scripts/host/run-host-tests.js']);
if (tiers.includes('e2e') && existsSync(join(root, 'scripts/host/e2e.js'))) tier('e2e', process.execPath, ['scripts/host/e2e.js']);

console.log('\n=== summary ===');
for (const line of report) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
