#!/usr/bin/env node
// The inspector's dev page: the real webview bundle and the real HTML (strict CSP with a
// nonce) served from 127.0.0.1, opened in Debian's chromium through playwright-core, with a
// host in this script that answers the webview's messages from real fits of the bundled
// examples (test/e2e/devRuns.ts). Takes screenshots of every view in the light, dark and
// high-contrast themes into test-results/inspector/, and measures scrolling a million rows.
// Not a test (it asserts nothing); a way to look at the inspector while building it.
//
// Usage: node test/e2e/inspector-dev.mjs [--million] [--only=name,...]
//   (build first: EMW_DIST=dist-insp; the webview bundle is read from $EMW_DIST/webview)
import * as esbuild from 'esbuild';
import { wasmFromWat } from '../../scripts/wasmFromWat.mjs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, dirname, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { THEMES } from './themes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const DIST = process.env.EMW_DIST || 'dist-insp';
const OUT = join(root, 'test-results', 'inspector');
const million = process.argv.includes('--million');
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '').slice(7).split(',').filter(Boolean);
mkdirSync(OUT, { recursive: true });
const t0 = Date.now();
const say = (...a) => console.log(`[dev ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// 1. the engine and the HTML builder, bundled for node
const devBundle = join(root, 'out-insp', 'dev', 'dev.cjs');
await esbuild.build({
  stdin: { contents: "export * from './test/e2e/devRuns'; export { inspectorHtml, createNonce } from './src/host/inspector/inspectorHtml';", resolveDir: root, loader: 'ts' },
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: devBundle, logLevel: 'warning', plugins: [wasmFromWat],
});
const dev = require(devBundle);
const runs = {};
for (const name of ['example2', 'example1', 'faithful', 'titanic', 'dax', ...(million ? ['millionRows'] : [])]) {
  if (only.length && !only.includes(name)) continue;
  const t = Date.now();
  runs[name] = await dev[name](root);
  say(`fitted ${name} in ${Date.now() - t} ms: ${runs[name].record.result.iterations} iterations, log-likelihood ${runs[name].record.result.logLikelihood}`);
}

// 2. a server for the HTML and the extension's resources
const types = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };
let origin = '';
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/inspector') {
    const html = dev.inspectorHtml({
      cspSource: origin,
      nonce: dev.createNonce(),
      styleNonce: dev.createNonce(),
      scriptUri: `${origin}/ext/dist/webview/main.js`,
      styleUris: [`${origin}/ext/dist/webview/uPlot.min.css`, `${origin}/ext/media/inspector.css`],
      title: 'EM Inspector (dev)',
    });
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    return;
  }
  const m = /^\/ext\/(dist|media)\/(.*)$/.exec(url.pathname);
  if (m) {
    const base = join(root, m[1] === 'dist' ? DIST : 'media');
    const file = normalize(join(base, m[2]));
    if (file.startsWith(base) && existsSync(file)) {
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      return;
    }
  }
  res.writeHead(404).end('not found');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
origin = `http://127.0.0.1:${server.address().port}`;

// 3. chromium, with a host that answers from the dev runs
const { chromium } = require('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const problems = [];

async function openInspector(runName, themeName, { viewport = { width: 1280, height: 900 }, state } = {}) {
  const run = runs[runName];
  const theme = THEMES[themeName];
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const log = [];
  page.on('console', (msg) => log.push(`${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message} ${e.stack ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) log.push(`warn: HTTP ${r.status()} ${r.url()}`); });
  const fromWebview = [];
  await page.exposeBinding('__emwToHost', async (_source, message) => {
    fromWebview.push(message);
    const reply = (m) => page.evaluate((x) => window.postMessage(x, '*'), m).catch(() => undefined);
    switch (message.type) {
      case 'ready':
        return reply({ type: 'init', modelPath: run.record.modelPath, run: run.record, capabilities: { dataSample: true } });
      case 'requestPosteriorPage':
        return reply({ type: 'posteriorPage', requestId: message.requestId, page: run.page(message.offset, message.limit, message.sortColumn, message.descending) });
      case 'requestDataSample':
        return reply({ type: 'dataSample', requestId: message.requestId, sample: run.sample(message.columns, message.maxPoints) });
      case 'compareMissingData':
        return reply({ type: 'missingDataComparison', requestId: message.requestId, results: await run.compare() });
      case 'exportRunData':
      case 'exportChart':
        return reply({ type: 'exportResult', requestId: message.requestId, outcome: 'cancelled' });
      case 'log':
        log.push(`webview log ${message.level}: ${message.message}`);
        return undefined;
      default:
        log.push(`unknown message ${JSON.stringify(message).slice(0, 200)}`);
        return undefined;
    }
  });
  await page.addInitScript(({ vars, bodyClass, kind, saved }) => {
    let state = saved;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__emwToHost(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => { state = s; window.__emwState = s; },
    });
    // what VS Code's webview host does: theme variables on <html>, the theme kind on <body>
    const applyVars = () => { for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v); };
    if (document.documentElement) applyVars();
    else new MutationObserver((_, o) => { if (document.documentElement) { o.disconnect(); applyVars(); } }).observe(document, { childList: true });
    document.addEventListener('DOMContentLoaded', () => {
      document.body.classList.add(bodyClass);
      document.body.dataset.vscodeThemeKind = kind;
    });
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} sample ${e.sample}`));
  }, { vars: theme.vars, bodyClass: theme.bodyClass, kind: theme.kind, saved: state });
  await page.goto(`${origin}/inspector`);
  await page.waitForSelector('.run-header h1');
  await page.waitForTimeout(150);
  return { page, context, log, fromWebview };
}

async function selectTab(page, id) {
  await page.click(`[role="tab"][data-tab="${id}"]`);
  await page.waitForSelector(`[data-view="${id}"] > *`);
  await page.waitForTimeout(250);
}

async function shot(page, name) {
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  say('screenshot', file);
}

const themes = (process.env.THEMES || 'light,dark,high-contrast').split(',');
for (const theme of themes) {
  if (runs.example2) {
    const { page, context, log } = await openInspector('example2', theme);
    await shot(page, `example2-parameters-${theme}`);
    await selectTab(page, 'posteriors');
    await page.waitForSelector('.vtable-row[aria-rowindex="2"]');
    await page.waitForTimeout(200);
    await shot(page, `example2-posteriors-${theme}`);
    await selectTab(page, 'convergence');
    await shot(page, `example2-convergence-${theme}`);
    await selectTab(page, 'steps');
    await page.click('[data-action="step-to-5"]');
    await page.waitForSelector('.step-content[data-iteration="5"]');
    await shot(page, `example2-step5-${theme}`);
    problems.push(...log.filter((l) => /error|violation|warn/i.test(l)).map((l) => `example2/${theme}: ${l}`));
    await context.close();
  }
  if (runs.example1) {
    const { page, context, log } = await openInspector('example1', theme);
    await selectTab(page, 'missing');
    await page.click('[data-action="compare-missing"]');
    await page.waitForSelector('.strategy[data-strategy="em"]');
    await page.waitForTimeout(150);
    await shot(page, `example1-missing-${theme}`);
    problems.push(...log.filter((l) => /error|violation|warn/i.test(l)).map((l) => `example1/${theme}: ${l}`));
    await context.close();
  }
  if (runs.faithful) {
    const { page, context, log } = await openInspector('faithful', theme);
    await page.waitForSelector('canvas.scatter');
    await page.waitForTimeout(300);
    await shot(page, `faithful-parameters-${theme}`);
    await selectTab(page, 'selection');
    await shot(page, `faithful-model-selection-${theme}`);
    await selectTab(page, 'convergence');
    await shot(page, `faithful-convergence-${theme}`);
    problems.push(...log.filter((l) => /error|violation|warn/i.test(l)).map((l) => `faithful/${theme}: ${l}`));
    await context.close();
  }
  if (theme !== 'light') continue;
  for (const name of ['titanic', 'dax']) {
    if (!runs[name]) continue;
    const { page, context, log } = await openInspector(name, theme);
    await shot(page, `${name}-parameters-${theme}`);
    await selectTab(page, 'convergence');
    await shot(page, `${name}-convergence-${theme}`);
    await selectTab(page, 'posteriors');
    await page.waitForSelector('.vtable-row[aria-rowindex="2"]');
    await page.waitForTimeout(200);
    await shot(page, `${name}-posteriors-${theme}`);
    problems.push(...log.filter((l) => /error|violation|warn/i.test(l)).map((l) => `${name}/${theme}: ${l}`));
    await context.close();
  }
}

// 4. a million rows: scroll through the virtual table frame by frame and time the frames
if (runs.millionRows) {
  const { page, context, log } = await openInspector('millionRows', 'dark', { state: { modelPath: runs.millionRows.record.modelPath, tab: 'posteriors' } });
  await page.waitForSelector('.vtable-row[aria-rowindex="2"]');
  const stats = await page.evaluate(async () => {
    const body = document.querySelector('.vtable-body');
    const frames = [];
    let last = performance.now();
    const maxRows = [];
    for (let i = 0; i < 240; i++) {
      body.scrollTop += i < 120 ? 37 : 9000; // slow scrolling, then big jumps
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxRows.push(document.querySelectorAll('.vtable-rows .vtable-row').length);
    }
    frames.sort((a, b) => a - b);
    return { median: frames[frames.length >> 1], p95: frames[Math.floor(frames.length * 0.95)], max: frames[frames.length - 1], domRows: Math.max(...maxRows), scrollHeight: body.scrollHeight };
  });
  say('million rows, frame times (ms):', JSON.stringify(stats));
  writeFileSync(join(OUT, 'million-scroll.json'), JSON.stringify(stats, null, 1));
  await page.keyboard.press('Tab');
  await page.focus('.vtable-body');
  await page.keyboard.press('End');
  await page.waitForFunction(() => /of 1,000,000/.test(document.querySelector('.vtable-status')?.textContent ?? '') && !/loading/.test(document.querySelector('.vtable-status')?.textContent ?? ''), undefined, { timeout: 30000 });
  await page.waitForTimeout(200);
  await shot(page, 'million-posteriors-end-dark');
  const t = Date.now();
  await page.click('.sort-button[data-sort-column="1"]');
  await page.waitForFunction(() => /sorted by/.test(document.querySelector('.vtable-status')?.textContent ?? '') && !/loading/.test(document.querySelector('.vtable-status')?.textContent ?? ''), undefined, { timeout: 60000 });
  say(`sorted a million rows (host-side sort in this dev host) in ${Date.now() - t} ms`);
  await shot(page, 'million-posteriors-sorted-dark');
  problems.push(...log.filter((l) => /error|violation|warn/i.test(l)).map((l) => `million: ${l}`));
  await context.close();
}

await browser.close();
server.close();
if (problems.length) console.log(`console problems:\n${problems.join('\n')}`);
say('done');
