#!/usr/bin/env node
// `npm start`: build the extension, package it as a .vsix, install it into a real VS Code
// (code-server, from .vscode-test/runtime/, installed by install.sh on first use), serve it on
// 127.0.0.1 with examples/ open, and print the URL. Ctrl-C stops it.
//
// The server's user data (settings, the extension's stored runs) lives in .vscode-test/start/, so
// results survive a restart; the examples folder itself is only written by Export.
// Options: --port N (default 8080, or a free port when 8080 is taken), --no-build, --folder DIR.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { ROOT, RUNTIME, startCodeServer, packageVsix, workbenchUrl } = require('./lib');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function main() {
  const folder = path.resolve(option('--folder', path.join(ROOT, 'examples')));
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  if (!fs.existsSync(path.join(RUNTIME, '.installed'))) {
    console.log('installing the VS Code host runtime (code-server and Node 24) into .vscode-test/runtime ...');
    const r = spawnSync('bash', [path.join(__dirname, 'install.sh')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const state = path.join(ROOT, '.vscode-test', 'start');
  fs.mkdirSync(state, { recursive: true });
  const vsix = packageVsix(path.join(state, 'em-workbench.vsix'));
  const wanted = Number(option('--port', '8080'));
  const port = (await portIsFree(wanted)) ? wanted : undefined;
  const server = await startCodeServer({
    vsix,
    port,
    trust: true, // the product as a user gets it: Restricted Mode until the folder is trusted
    userDataDir: path.join(state, 'user-data'),
    extensionsDir: path.join(state, 'extensions'),
    settings: { 'workbench.startupEditor': 'none' },
  });
  const url = workbenchUrl(server.url, folder);
  console.log(`\nEM Workbench is running in VS Code (code-server) with ${path.relative(process.cwd(), folder) || folder} open:\n\n  ${url}\n\nOpen a model file (*.em.json) and run "EM: Run EM" from the command palette. Ctrl-C stops the server.`);
  const stop = async () => {
    await server.stop();
    fs.rmSync(server.tmp, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.proc.on('exit', (code) => {
    console.log(`code-server exited (${code}); its log: ${server.logPath}`);
    process.exit(code ?? 1);
  });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
