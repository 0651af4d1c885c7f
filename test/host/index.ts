/**
 * The extensionTestsPath of the in-host tests: VS Code loads this inside the extension host and
 * calls run(). Mocha (tdd) runs every *.test.js beside it, in two phases around a real window
 * reload, so the results store is tested across a deactivate/activate:
 *   phase 1: every suite except afterReload; writes its counts to `${EMW_HOST_RESULT}.phase1.json`,
 *            then reloads the window (the extension host is restarted and this run never returns);
 *   phase 2: the workbench loads the tests again; this file sees phase 1's counts and runs only
 *            afterReload.test.js, then writes the total to EMW_HOST_RESULT for run-host-tests.js.
 * Without EMW_HOST_RESULT (a plain runTests elsewhere) there is one phase and no reload suite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Counts, runMocha } from './mochaRun';
import type { EmWorkbenchApi } from '../../src/extension';
import { EXTENSION_ID } from './helpers';


/**
 * The window is reloaded while a fit runs: start a long fit of a model that already has a run
 * (run.test.ts leaves one for host-generated/long.em.json), wait for its first iteration, and
 * note it, so that afterReload.test.js can check that the earlier run is still the model's run.
 */
async function reloadDuringAFit(api: EmWorkbenchApi, resultFile: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const modelPath = folder ? path.join(folder, 'host-generated', 'long.em.json') : undefined;
  const stored = modelPath ? api.runs.getRun(modelPath) : undefined;
  if (!modelPath || !stored || api.runs.running) return;
  let started = false;
  const sub = api.runs.onProgress((p) => {
    if (p.modelPath === modelPath) started = true;
  });
  void api.runs.run(modelPath).catch(() => undefined); // ended by the reload
  const deadline = Date.now() + 60000;
  while (!started && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  sub.dispose();
  if (started) fs.writeFileSync(`${resultFile}.midfit.json`, JSON.stringify({ modelPath, runId: stored.id, logLikelihood: stored.result.logLikelihood }));
}

export async function run(): Promise<void> {
  const resultFile = process.env.EMW_HOST_RESULT;
  const phase1File = resultFile ? `${resultFile}.phase1.json` : undefined;
  const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(__dirname, f));
  const afterReload = all.filter((f) => path.basename(f) === 'afterReload.test.js');
  const before = all.filter((f) => !afterReload.includes(f));

  if (phase1File && fs.existsSync(phase1File)) {
    const first = JSON.parse(fs.readFileSync(phase1File, 'utf8')) as Counts;
    const second = await runMocha(afterReload, 120000);
    const total = { passed: first.passed + second.passed, failed: first.failed + second.failed, failures: [...first.failures, ...second.failures] };
    fs.writeFileSync(resultFile as string, JSON.stringify(total));
    for (const f of total.failures) console.log(`FAILED ${f}`);
    console.log(`${total.passed} passed, ${total.failed} failed`);
    if (total.failed > 0) throw new Error(`${total.failed} host tests failed`);
    return;
  }

  const counts = await runMocha(before, 120000);
  if (!phase1File || afterReload.length === 0) {
    if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(counts));
    console.log(`${counts.passed} passed, ${counts.failed} failed`);
    if (counts.failed > 0) throw new Error(`${counts.failed} host tests failed`);
    return;
  }
  fs.writeFileSync(phase1File, JSON.stringify(counts));
  // what afterReload.test.js must find: the last run of every model file as phase 1 left it
  const api = vscode.extensions.getExtension<EmWorkbenchApi>(EXTENSION_ID)?.exports;
  if (api) await reloadDuringAFit(api, resultFile as string);
  const runs: Record<string, { id: string; logLikelihood: number }> = {};
  for (const r of api?.runs.listRuns() ?? []) runs[r.modelPath] = { id: r.id, logLikelihood: r.result.logLikelihood };
  fs.writeFileSync(`${resultFile}.runs.json`, JSON.stringify(runs));
  console.log(`phase 1: ${counts.passed} passed, ${counts.failed} failed; reloading the window for the results-store suite`);
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  // the reload ends this extension host; phase 2 reports the result
  await new Promise(() => undefined);
}
