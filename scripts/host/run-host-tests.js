#!/usr/bin/env node
// The in-host tier of `npm test`: test/host (built by scripts/build.mjs into out/test/host; this
// script builds nothing) runs with mocha inside a real VS Code extension host, against a copy of
// examples/ in a temp folder (the tests may write there).
//
// The entry point is @vscode/test-electron's runTests, as for any extension. Its
// vscodeExecutablePath is code-server-launcher.js, which runs the tests in code-server's
// extension host (this machine has no desktop VS Code and cannot download one); with
// EMW_HOST=desktop runTests downloads desktop VS Code and runs the same suite there.
//
// Last line: mocha's `N passed, N failed`. Exit code 0 only when every test passed.
// Env: EMW_EXTENSION_PATH (default: the repository), EMW_OUT (default out: where the tests are
//      built), EMW_HOST=desktop, and the launcher's EMW_HOST_TIMEOUT_MS / EMW_HOST_VERBOSE / EMW_HOST_KEEP.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { ROOT, copyTree } = require('./lib');

async function main() {
  const t0 = Date.now();
  const extensionDevelopmentPath = path.resolve(process.env.EMW_EXTENSION_PATH || ROOT);
  const extensionTestsPath = path.join(ROOT, process.env.EMW_OUT || 'out', 'test', 'host', 'index.js');
  if (!fs.existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: build first (node scripts/build.mjs)`);
  if (!fs.existsSync(path.join(extensionDevelopmentPath, 'dist', 'extension.js'))) throw new Error(`${extensionDevelopmentPath}/dist/extension.js is missing: build first`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emw-host-tests-'));
  const workspace = copyTree(path.join(ROOT, 'examples'), path.join(tmp, 'workspace'));
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'host');
  if (fs.existsSync(fixtures)) copyTree(fixtures, path.join(workspace, 'host-fixtures'));
  const resultFile = path.join(tmp, 'result.json');

  const desktop = process.env.EMW_HOST === 'desktop';
  let failedToRun;
  try {
    await runTests({
      ...(desktop ? {} : { vscodeExecutablePath: path.join(__dirname, 'code-server-launcher.js') }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: { EMW_HOST_RESULT: resultFile },
    });
  } catch (e) {
    failedToRun = e;
  }
  let counts;
  try {
    counts = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {
    counts = undefined;
  }
  if (process.env.EMW_HOST_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`host tests: ${((Date.now() - t0) / 1000).toFixed(1)} s${desktop ? ' (desktop VS Code)' : ' (code-server)'}`);
  if (!counts) {
    console.log(`the host tests did not report a result${failedToRun ? `: ${failedToRun.message}` : ''}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  // a host that died after some tests had reported still failed the run
  const failed = counts.failed + (failedToRun && counts.failed === 0 ? 1 : 0);
  if (failedToRun) console.log(`the test host exited abnormally: ${failedToRun.message}`);
  console.log(`${counts.passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
