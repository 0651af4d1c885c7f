#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): it takes
// the arguments runTests gives a desktop VS Code (the workspace folder, --extensionDevelopmentPath=,
// --extensionTestsPath=, and flags it ignores), runs the extension tests inside code-server's real
// extension host, and exits with the tests' exit code (0 passed, 1 failed, 2 timeout, 3 the host
// died). The extension host's console output is printed here.
//
// How: code-server with VS Code's smoke-test driver on, one headless Chromium tab that opens the
// workbench with the extension-test payload (the form VS Code's own browser test runner uses);
// when the tests end, the workbench calls window.codeAutomationExit(code), exposed to this
// script, and the extension host's console arrives through window.codeAutomationLog.
//
// Env: EMW_HOST_TIMEOUT_MS (default 900000), EMW_HOST_VERBOSE=1 (workbench chatter too),
//      EMW_HOST_KEEP=1 (keep the temp folder with code-server's and the extension host's logs),
//      EMW_HOST_RESTRICTED=1 (workspace trust on and the folder not trusted: Restricted Mode, for
//      test/host-restricted), EMW_HOST_USER_DATA_DIR (code-server's user data there, so that the
//      tests can look at the extension's storage).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { startCodeServer, launchBrowser, remoteUri, workbenchUrl } = require('./lib');

/**
 * Restricted Mode as a user meets it, minus the startup question: trust is on, the folder was
 * never trusted, and nothing asks at startup (the tests check workspace.isTrusted === false).
 */
const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

const t0 = Date.now();
const say = (...a) => console.log(`[host ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

function parseArgs(argv) {
  let extensionDevelopmentPath;
  let extensionTestsPath;
  const folders = [];
  for (const a of argv) {
    if (a.startsWith('--extensionDevelopmentPath=')) extensionDevelopmentPath = a.slice(a.indexOf('=') + 1);
    else if (a.startsWith('--extensionTestsPath=')) extensionTestsPath = a.slice(a.indexOf('=') + 1);
    else if (!a.startsWith('-')) folders.push(a);
  }
  if (!extensionDevelopmentPath || !extensionTestsPath) throw new Error('usage: code-server-launcher.js [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=PATH');
  return { extensionDevelopmentPath, extensionTestsPath, folder: folders[0] };
}

// Workbench messages that arrive on the same channel as the extension host's console.
const CHATTER = /^(\[AgentHost|\[ChatModelSelection\]|\[AccountPolicyGate\]|\[Service Worker\]|\[reconnection-grace-time\]|Ignoring fetching additional builtin|Updating additional builtin|Creating a socket|Resolving connection token|Resolved connection token|Started initializing default profile|Completed initializing default profile|Creation of workbench contribution|\[Extension Host\] (Debugger|debugger) )/;

async function main() {
  const { extensionDevelopmentPath, extensionTestsPath, folder } = parseArgs(process.argv.slice(2));
  const timeoutMs = Number(process.env.EMW_HOST_TIMEOUT_MS || 900000);
  const verbose = process.env.EMW_HOST_VERBOSE === '1';
  let server;
  let browser;
  let done = false;
  const finish = async (code, why) => {
    if (done) return;
    done = true;
    if (why) say(why);
    try {
      await browser?.close();
    } catch {
      // the browser is gone already
    }
    if (server) {
      await server.stop();
      if (code !== 0) console.log(`--- code-server log (last lines) ---\n${fs.readFileSync(server.logPath, 'utf8').split('\n').slice(-25).join('\n')}`);
      if (process.env.EMW_HOST_KEEP === '1') say('kept', server.tmp);
      else fs.rmSync(server.tmp, { recursive: true, force: true });
    }
    process.exit(code);
  };
  const timer = setTimeout(() => void finish(2, `timeout: the tests did not finish in ${timeoutMs} ms`), timeoutMs);
  process.on('SIGINT', () => void finish(130, 'interrupted'));
  process.on('SIGTERM', () => void finish(143, 'terminated'));

  const restricted = process.env.EMW_HOST_RESTRICTED === '1';
  server = await startCodeServer({
    smokeTestDriver: true,
    ...(restricted ? { trust: true, settings: RESTRICTED_SETTINGS } : {}),
    ...(process.env.EMW_HOST_USER_DATA_DIR ? { userDataDir: process.env.EMW_HOST_USER_DATA_DIR } : {}),
  });
  server.proc.on('exit', (c, s) => void finish(3, `code-server exited (${c ?? s})`));
  say('code-server', server.url);
  const launched = await launchBrowser(path.join(server.tmp, 'browser-profile'));
  browser = launched.context;
  const page = launched.page;
  await page.exposeFunction('codeAutomationExit', (code) => {
    clearTimeout(timer);
    void finish(code === 0 ? 0 : 1, `the extension host finished the tests with code ${code}`);
  });
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...[].concat(args));
    if (verbose || !CHATTER.test(line)) console.log(line);
  });
  page.on('pageerror', (e) => verbose && say('page error', String(e)));
  if (verbose) page.on('console', (m) => say('console', m.type(), m.text()));
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.authority, extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(server.authority, extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  say(`workbench on ${folder ?? '(no folder)'}${restricted ? ' (Restricted Mode)' : ''}`);
  await page.goto(workbenchUrl(server.url, folder ?? process.cwd(), payload), { timeout: 90000 });
}

main().catch((e) => {
  console.error(e);
  process.exit(3);
});
