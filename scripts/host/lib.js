// The VS Code host for tests and `npm start`: code-server (the real workbench and Node extension
// host, from .vscode-test/runtime/, see install.sh) on 127.0.0.1, and Debian's Chromium through
// playwright-core as the workbench client (code-server starts an extension host only when a
// workbench connects). Only loopback traffic: code-server binds 127.0.0.1 with the marketplace
// off, and the browser resolves nothing else and aborts any other request.
//
// Used by run-host-tests.js (through code-server-launcher.js), start.js and e2e.js.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RUNTIME = path.join(ROOT, '.vscode-test', 'runtime');

/** Node 24 for code-server: $NODE24, else the runtime's node package. */
function node24() {
  const p = process.env.NODE24 || path.join(RUNTIME, 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(p)) throw new Error(`Node 24 not found at ${p}: run bash scripts/host/install.sh`);
  return p;
}

/** code-server's entry point: $CS_ENTRY, else the runtime's code-server package. */
function codeServerEntry() {
  const p = process.env.CS_ENTRY || path.join(RUNTIME, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(p)) throw new Error(`code-server not found at ${p}: run bash scripts/host/install.sh`);
  return p;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function statusOf(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** User settings of a test or demo workbench: quiet, no network features, fast hovers. */
const WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 100,
  'security.workspace.trust.enabled': false,
};

/**
 * Start code-server with its own throwaway folders (config, user data, extensions) unless given.
 * options: { vsix: path to install first, settings: {}, smokeTestDriver: bool (extension tests),
 *            userDataDir, extensionsDir, port, env: {}, trust: bool (keep workspace trust on) }
 * Returns { url, authority, tmp, proc, logPath, stop() }.
 */
async function startCodeServer(options = {}) {
  const node = node24();
  const entry = codeServerEntry();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emw-host-'));
  const userDataDir = options.userDataDir || path.join(tmp, 'user-data');
  const extensionsDir = options.extensionsDir || path.join(tmp, 'extensions');
  // --config: else code-server writes ~/.config/code-server/config.yaml
  const common = ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const env = { ...process.env, ...(options.env || {}), EXTENSIONS_GALLERY: '{}' }; // '{}': no marketplace
  if (options.vsix) {
    execFileSync(node, [entry, ...common, '--install-extension', options.vsix, '--force'], { env, stdio: ['ignore', 'pipe', 'inherit'], timeout: 120000 });
  }
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  const settings = { ...WORKBENCH_SETTINGS, ...(options.trust ? { 'security.workspace.trust.enabled': true } : {}), ...(options.settings || {}) };
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 1));
  const port = options.port || (await freePort());
  const authority = `127.0.0.1:${port}`;
  const args = [entry, ...common, '--auth', 'none', '--bind-addr', authority, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened'];
  if (!options.trust) args.push('--disable-workspace-trust');
  // The browser workbench honours the extensionDevelopmentPath/extensionTestsPath payload only
  // when the server runs VS Code's smoke-test driver.
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logPath = path.join(tmp, 'code-server.log');
  const logFd = fs.openSync(logPath, 'a');
  const proc = spawn(node, args, { env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          if (proc.exitCode === null) proc.kill('SIGKILL');
          resolve();
        }, 5000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  const deadline = Date.now() + 90000;
  while ((await statusOf(`http://${authority}/healthz`)) !== 200) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not come up on ${authority}:\n${fs.readFileSync(logPath, 'utf8').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `http://${authority}/`, authority, tmp, proc, logPath, stop };
}

/** Headless Debian Chromium with a fresh profile that can reach 127.0.0.1 only. Returns { context, page, blocked }. */
async function launchBrowser(profileDir, viewport = { width: 1400, height: 900 }) {
  const { chromium } = require('playwright-core');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  return { context, page, blocked };
}

/** The vscode-remote URI of a server-side path, as the browser workbench's payload wants it. */
function remoteUri(authority, p) {
  return `vscode-remote://${authority}${path.resolve(p).split(path.sep).join('/')}`;
}

/** The workbench URL for a folder, with an optional extension-test payload ([[key, value], ...]). */
function workbenchUrl(base, folder, payload) {
  let url = `${base}?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Copy a folder tree (the examples workspace into a temp folder that tests may write to). */
function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** Package the extension at ROOT as a .vsix (dist/ must be built). Returns its path. */
function packageVsix(outFile) {
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [ROOT] });
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--readme-path', 'media/README.md', '-o', outFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120000 });
  return outFile;
}

module.exports = { ROOT, RUNTIME, node24, codeServerEntry, startCodeServer, launchBrowser, remoteUri, workbenchUrl, copyTree, packageVsix, WORKBENCH_SETTINGS };
