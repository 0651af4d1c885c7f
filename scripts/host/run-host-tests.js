#!/usr/bin/env node
// The in-host tier of `npm test`: mocha inside a real VS Code extension host, in two runs, each
// with its own code-server, user data and copy of the workspace (the tests may write there).
// This script builds nothing: scripts/build.mjs builds the tests into out/test/.
//   trusted:    test/host against a copy of examples/ (plus test/fixtures/host/ when present),
//               workspace trust off, as the extension's everyday tests want it.
//   restricted: test/host-restricted against a copy of examples/ with test/fixtures/host-restricted/ on top,
//               workspace trust on and the folder not trusted (Restricted Mode): what the
//               extension registers there and what it refuses to run. The tests get a manifest of
//               the workspace as copied (EMW_HOST_WORKSPACE_MANIFEST) and the user-data folder
//               (EMW_HOST_USER_DATA_DIR) to prove that nothing was written to either.
//
// The entry point is @vscode/test-electron's runTests, as for any extension. Its
// vscodeExecutablePath is code-server-launcher.js, which runs the tests in code-server's
// extension host (this machine has no desktop VS Code and cannot download one); with
// EMW_HOST=desktop runTests downloads desktop VS Code and runs the trusted suite there (the
// restricted run needs the launcher's trust settings: code-server only).
//
// Last line: `N passed, N failed` over both runs. Exit code 0 only when every test passed.
// Env: EMW_EXTENSION_PATH (default: the repository), EMW_OUT (default out: where the tests are
//      built), EMW_HOST=desktop, EMW_HOST_RUNS (default trusted,restricted: which runs), and the
//      launcher's EMW_HOST_TIMEOUT_MS / EMW_HOST_VERBOSE / EMW_HOST_KEEP; EMW_HOST_GREP selects
//      tests in both runs.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { ROOT, copyTree } = require('./lib');

/** Every file under `dir`: relative path -> { size, mtimeMs, sha256 } (the tests compare it to the workspace after their run). */
function manifestOf(dir) {
  const out = {};
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else {
        const p = path.join(dir, r);
        const st = fs.statSync(p);
        out[r] = { size: st.size, mtimeMs: st.mtimeMs, sha256: crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') };
      }
    }
  };
  walk('');
  return out;
}

/**
 * One run in a fresh code-server: `suite` is the folder under out/test/ with index.js,
 * `fixtures` the folder under test/fixtures/ copied into the workspace (as `fixturesAs`).
 * Returns { passed, failed } (a host that did not report counts as one failure).
 */
async function hostRun({ label, suite, fixtures, fixturesAs, restricted, desktop, extensionDevelopmentPath }) {
  const t0 = Date.now();
  const extensionTestsPath = path.join(ROOT, process.env.EMW_OUT || 'out', 'test', suite, 'index.js');
  if (!fs.existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: build first (node scripts/build.mjs)`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `emw-host-tests-${suite}-`));
  const workspace = copyTree(path.join(ROOT, 'examples'), path.join(tmp, 'workspace'));
  const fixtureDir = path.join(ROOT, 'test', 'fixtures', fixtures);
  if (fs.existsSync(fixtureDir)) copyTree(fixtureDir, path.join(workspace, fixturesAs));
  const resultFile = path.join(tmp, 'result.json');
  const env = { EMW_HOST_RESULT: resultFile };
  if (restricted) {
    const manifest = path.join(tmp, 'workspace-manifest.json');
    fs.writeFileSync(manifest, JSON.stringify(manifestOf(workspace)));
    Object.assign(env, {
      EMW_HOST_RESTRICTED: '1',
      EMW_HOST_USER_DATA_DIR: path.join(tmp, 'user-data'),
      EMW_HOST_WORKSPACE_MANIFEST: manifest,
    });
  }

  let failedToRun;
  try {
    await runTests({
      ...(desktop ? {} : { vscodeExecutablePath: path.join(__dirname, 'code-server-launcher.js') }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: env,
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
  console.log(`host tests, ${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s${desktop ? ' (desktop VS Code)' : ' (code-server)'}`);
  if (!counts) {
    console.log(`the host tests (${label}) did not report a result${failedToRun ? `: ${failedToRun.message}` : ''}`);
    return { passed: 0, failed: 1 };
  }
  // a host that died after some tests had reported still failed the run
  const failed = counts.failed + (failedToRun && counts.failed === 0 ? 1 : 0);
  if (failedToRun) console.log(`the test host (${label}) exited abnormally: ${failedToRun.message}`);
  return { passed: counts.passed, failed };
}

async function main() {
  const t0 = Date.now();
  const extensionDevelopmentPath = path.resolve(process.env.EMW_EXTENSION_PATH || ROOT);
  if (!fs.existsSync(path.join(extensionDevelopmentPath, 'dist', 'extension.js'))) throw new Error(`${extensionDevelopmentPath}/dist/extension.js is missing: build first`);
  const desktop = process.env.EMW_HOST === 'desktop';
  const wanted = (process.env.EMW_HOST_RUNS || 'trusted,restricted').split(',').map((s) => s.trim());
  const runs = [
    { name: 'trusted', label: 'trusted workspace', suite: 'host', fixtures: 'host', fixturesAs: 'host-fixtures', restricted: false },
    { name: 'restricted', label: 'Restricted Mode', suite: 'host-restricted', fixtures: 'host-restricted', fixturesAs: '.', restricted: true },
  ].filter((r) => wanted.includes(r.name));
  if (runs.length === 0) throw new Error(`EMW_HOST_RUNS=${process.env.EMW_HOST_RUNS}: name trusted and/or restricted`);

  const lines = [];
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    if (run.restricted && desktop) {
      lines.push(`${run.label}: skipped (Restricted Mode is set up by the code-server launcher)`);
      continue;
    }
    const c = await hostRun({ ...run, desktop, extensionDevelopmentPath });
    lines.push(`${run.label}: ${c.passed} passed, ${c.failed} failed`);
    passed += c.passed;
    failed += c.failed;
  }
  for (const line of lines) console.log(`host tests, ${line}`);
  console.log(`host tests: ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
