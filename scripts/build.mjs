#!/usr/bin/env node
// One esbuild script for every entry: the extension, the worker, the CLI, the inspector
// webview, and the tests. Entries whose source does not exist (yet) are skipped.
// Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmFromWat } from './wasmFromWat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
// Output folders can be moved (EMW_DIST, EMW_OUT) so that parallel builds do not race.
const DIST = process.env.EMW_DIST || 'dist';
const OUT = process.env.EMW_OUT || 'out';

/** Every *.ts file under dir (recursively) whose name matches `re`. */
function filesUnder(dir, re) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(relative(root, p), re));
    else if (re.test(name)) out.push(relative(root, p));
  }
  return out;
}
const existing = (files) => files.filter((f) => existsSync(join(root, f)));

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root, plugins: [wasmFromWat] };

const builds = [];
// extension host side: vscode is provided by the host
const ext = existing(['src/extension.ts']);
if (ext.length) builds.push({ ...node, entryPoints: ext, outfile: `${DIST}/extension.js`, external: ['vscode'] });
// worker thread and CLI: no vscode at all (the build would fail if they reached it)
const worker = existing(['src/worker/worker.ts']);
if (worker.length) builds.push({ ...node, entryPoints: worker, outfile: `${DIST}/worker.js` });
// the parallel E-step's pool threads, started from the worker or the CLI (beside them in DIST)
const estepWorker = existing(['src/worker/estepThread.ts']);
if (estepWorker.length) builds.push({ ...node, entryPoints: estepWorker, outfile: `${DIST}/estep-worker.js` });
const cli = existing(['src/cli.ts']);
if (cli.length) builds.push({ ...node, entryPoints: cli, outfile: `${DIST}/cli.js`, banner: { js: '#!/usr/bin/env node' }, define: { EMW_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) } });
// the inspector webview: browser code
const webview = existing(['webview/src/main.ts']);
if (webview.length) builds.push({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root, entryPoints: webview, outfile: `${DIST}/webview/main.js`, loader: { '.ttf': 'file' } });
// unit tests (node's test runner) and in-host tests (mocha inside VS Code)
const unit = filesUnder('test/unit', /\.test\.ts$/);
if (unit.length) builds.push({ ...node, entryPoints: unit, outdir: `${OUT}/test/unit`, outbase: 'test/unit' });
const host = filesUnder('test/host', /\.ts$/);
if (host.length) builds.push({ ...node, entryPoints: host, outdir: `${OUT}/test/host`, outbase: 'test/host', external: ['vscode', 'mocha'] });
// in-host tests in Restricted Mode (a second run, see scripts/host/run-host-tests.js)
const hostRestricted = filesUnder('test/host-restricted', /\.ts$/);
if (hostRestricted.length) builds.push({ ...node, entryPoints: hostRestricted, outdir: `${OUT}/test/host-restricted`, outbase: 'test/host-restricted', external: ['vscode', 'mocha'] });
const benches = filesUnder('bench', /\.ts$/);
if (benches.length) builds.push({ ...node, entryPoints: benches, outdir: `${OUT}/bench`, outbase: 'bench' });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log(`watching ${builds.length} builds`);
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // uPlot's stylesheet ships beside the webview bundle
  const uplotCss = join(root, 'node_modules/uplot/dist/uPlot.min.css');
  if (webview.length && existsSync(uplotCss)) {
    mkdirSync(join(root, DIST, 'webview'), { recursive: true });
    copyFileSync(uplotCss, join(root, DIST, 'webview/uPlot.min.css'));
  }
  console.log(`built ${builds.length} bundles in ${Date.now() - t0} ms`);
}
