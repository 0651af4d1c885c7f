// The host side of the inspector that needs no VS Code: the webview's HTML and its CSP,
// atomic writes of exports, and the posterior CSV streamed page by page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PosteriorPage } from '../../src/shared/runs';
import { openAtomicFile, writeFileAtomic } from '../../src/io/atomicFile';
import { contentSecurityPolicy, createNonce, inspectorHtml } from '../../src/host/inspector/inspectorHtml';
import { csvField, csvLine, streamPosteriorCsv } from '../../src/host/inspector/posteriorCsv';

test('the HTML: strict CSP, one script by nonce, styles only from the extension', () => {
  const nonce = createNonce();
  const styleNonce = createNonce();
  assert.notEqual(nonce, styleNonce);
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  const html = inspectorHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce, styleNonce,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/uPlot.min.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/media/inspector.css'],
    title: 'EM Inspector: <a>.em.json',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp);
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], [`'nonce-${nonce}'`]);
  assert.deepEqual(directives['style-src'], ['https://file+.vscode-resource.vscode-cdn.net', `'nonce-${styleNonce}'`]);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js">`]);
  assert.ok(!/<style/.test(html) && !/ style=/.test(html), 'no inline style in the HTML');
  assert.equal((html.match(/<link rel="stylesheet"/g) ?? []).length, 2);
  assert.match(html, /<title>EM Inspector: &lt;a&gt;\.em\.json<\/title>/);
  assert.match(html, new RegExp(`<meta property="csp-nonce" content="${styleNonce.replace(/[+/]/g, '\\$&')}">`));
  assert.ok(!html.includes(`content="${nonce}"`), 'the script nonce is not exposed in a meta tag');
  assert.throws(() => inspectorHtml({ cspSource: 'x', nonce: 'a"b', styleNonce, scriptUri: '', styleUris: [], title: '' }), /nonce/);
  assert.throws(() => inspectorHtml({ cspSource: 'x', nonce, styleNonce: nonce, scriptUri: '', styleUris: [], title: '' }), /differ/);
  assert.equal(contentSecurityPolicy('src', 'n1', 'n2'), "default-src 'none'; img-src src; style-src src 'nonce-n2'; font-src src; script-src 'nonce-n1'");
});

test('atomic writes: the target appears whole, replaces an old file, and no temporary file is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emw-insp-'));
  try {
    const target = join(dir, 'out.json');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, '{"new": true}\n');
    assert.equal(readFileSync(target, 'utf8'), '{"new": true}\n');
    await writeFileAtomic(join(dir, 'chart.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    assert.deepEqual([...readFileSync(join(dir, 'chart.png'))], [0x89, 0x50, 0x4e, 0x47]);
    // an aborted stream leaves the old target as it was
    const file = await openAtomicFile(target);
    await file.write('half of a');
    assert.equal(readFileSync(target, 'utf8'), '{"new": true}\n', 'nothing visible before commit');
    await file.abort();
    assert.equal(readFileSync(target, 'utf8'), '{"new": true}\n');
    assert.deepEqual(readdirSync(dir).sort(), ['chart.png', 'out.json']);
    // a target that cannot be replaced (a directory): the write fails and cleans up
    mkdirSync(join(dir, 'adir'));
    await assert.rejects(writeFileAtomic(join(dir, 'adir'), 'x'));
    assert.deepEqual(readdirSync(dir).sort(), ['adir', 'chart.png', 'out.json']);
    // a folder that does not exist: refused before anything is written
    await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.csv'), 'x'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSV fields are quoted when they must be, numbers keep every digit', () => {
  assert.equal(csvField(0.1 + 0.2), '0.30000000000000004');
  assert.equal(csvField(null), '');
  assert.equal(csvField(NaN), '');
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvLine(['row', 'P(H=0)', 'P(H=1)']), 'row,P(H=0),P(H=1)\n');
});

test('the posterior CSV is streamed page by page, in data order', async () => {
  const total = 12_345;
  const asked: [number, number][] = [];
  const fetch = async (offset: number, limit: number): Promise<PosteriorPage> => {
    asked.push([offset, limit]);
    const rows: (number | string | null)[][] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push([i + 1, i / total, 1 - i / total, i % 7 === 0 ? null : i % 2 === 0 ? 'even' : 'odd']);
    return { columns: ['row', 'P(H=0)', 'P(H=1)', 'label'], total, offset, rows };
  };
  const chunks: string[] = [];
  const progress: number[] = [];
  const written = await streamPosteriorCsv(fetch, async (c) => { chunks.push(c); }, { pageSize: 5000, onProgress: (d) => progress.push(d) });
  assert.equal(written, total);
  assert.deepEqual(asked, [[0, 5000], [5000, 5000], [10000, 5000]]);
  assert.deepEqual(progress, [5000, 10000, 12345]);
  const lines = chunks.join('').split('\n');
  assert.equal(lines[0], 'row,P(H=0),P(H=1),label');
  assert.equal(lines.length, total + 2, 'header, rows, and the empty string after the last newline');
  assert.equal(lines[1], '1,0,1,');
  assert.equal(lines[2], `2,${1 / total},${1 - 1 / total},odd`);
  assert.equal(lines[total], `${total},${(total - 1) / total},${1 - (total - 1) / total},even`);
  // cancelled between pages
  let pages = 0;
  await assert.rejects(streamPosteriorCsv(fetch, async () => undefined, { pageSize: 1000, isCancelled: () => ++pages > 2 }), /cancelled/);
  // a source that stops early does not loop forever
  const short = async (offset: number): Promise<PosteriorPage> => ({ columns: ['row'], total: 100, offset, rows: offset === 0 ? [[1], [2]] : [] });
  assert.equal(await streamPosteriorCsv(short, async () => undefined), 2);
});
