// The layout of DESIGN.md, held in code: engine/, data/, shared/, worker/, spec/, io/ and the
// webview never import vscode (they run in the worker, the CLI and the browser), shared/ imports
// nothing, io/ (file writing for the CLI and the host) imports only node, and engine/ does no node I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...sources(relative(root, p)));
    else if (/\.(ts|tsx|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}
/** Module specifiers imported or required by a source file. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return specs;
}

for (const dir of ['src/engine', 'src/data', 'src/shared', 'src/worker', 'src/spec', 'src/io', 'webview']) {
  test(`${dir} never imports vscode`, () => {
    const files = sources(dir).filter((f) => !f.includes('node_modules'));
    const offenders = files.filter((f) => imports(f).some((s) => s === 'vscode' || s.startsWith('vscode/')));
    assert.deepEqual(offenders.map((f) => relative(root, f)), []);
  });
}

test('src/shared imports nothing but src/shared', () => {
  const offenders = sources('src/shared').flatMap((f) => imports(f).filter((s) => !s.startsWith('./')).map((s) => `${relative(root, f)} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('src/io imports only node and its own modules', () => {
  const offenders = sources('src/io').flatMap((f) => imports(f).filter((s) => !s.startsWith('node:') && !s.startsWith('./')).map((s) => `${relative(root, f)} -> ${s}`));
  assert.deepEqual(offenders, []);
});

const NODE_IO = /^(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads|path|os|readline|stream)$/;
// The data modules the engine may use: plain types and pure functions over typed arrays.
const PURE_DATA = /\/data\/(dataset|patterns)$/;

test('src/engine does no node I/O and reaches no host, worker, spec or reader code', () => {
  const offenders = sources('src/engine').flatMap((f) =>
    imports(f)
      .filter((s) => NODE_IO.test(s) || /\/(host|worker|spec|cli)(\/|$)/.test(s) || (/\/data\//.test(s) && !PURE_DATA.test(s)))
      .map((s) => `${relative(root, f)} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('the pure data modules the engine uses do no I/O', () => {
  const offenders = ['src/data/dataset.ts', 'src/data/patterns.ts'].filter((f) => existsSync(join(root, f))).flatMap((f) =>
    imports(join(root, f)).filter((s) => NODE_IO.test(s) || !s.startsWith('.')).map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('the webview imports only its own modules, src/shared and its UI libraries', () => {
  const allowed = /^(\.\/|\.\.\/|@vscode\/webview-ui-toolkit|uplot)/;
  const offenders = sources('webview/src').flatMap((f) => imports(f).filter((s) => !allowed.test(s) || (s.startsWith('../') && s.includes('/src/') && !s.includes('/src/shared/'))).map((s) => `${relative(root, f)} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('the check itself sees an import of vscode', () => {
  // guard against a regex that silently matches nothing
  const sample = join(root, 'test', 'unit', 'layout.test.ts');
  assert.ok(readFileSync(sample, 'utf8').length > 0);
  const fake = `import * as vscode from 'vscode';\nconst x = require("vscode");`;
  const specs = [...fake.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]);
  assert.deepEqual(specs, ['vscode', 'vscode']);
});
