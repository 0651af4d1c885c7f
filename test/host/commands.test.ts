/** Step EM, Export EM Results..., and the missing-data comparison the inspector asks for. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { BayesNetParametersJSON, FitResult } from '../../src/shared/results';
import type { RunRecord } from '../../src/shared/runs';
import { api, inWorkspace } from './helpers';

const cpts = (r: FitResult): BayesNetParametersJSON['cpts'] => (r.parameters as BayesNetParametersJSON).cpts;

suite('commands', () => {
  const example2 = vscode.Uri.file(inWorkspace('tutorial', 'example2.em.json'));

  test('Step EM: iteration 0 (the initial parameters), then one iteration more per step', async () => {
    const converged = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', example2);
    assert.equal(converged?.result.stopReason, 'tolerance');
    const s0 = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.step', example2);
    assert.equal(s0?.result.iterations, 0);
    assert.equal(s0?.result.logLikelihood.toFixed(4), '-17.0616');
    const s1 = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.step', example2);
    assert.equal(s1?.result.iterations, 1);
    // the tutorial's iteration 1: P(H=1) = 0.4165, log-likelihood -16.1875
    assert.equal(cpts(s1!.result).H.rows[''][1].toFixed(4), '0.4165');
    assert.equal(s1?.result.logLikelihood.toFixed(4), '-16.1875');
    const s2 = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.step', example2);
    assert.equal(s2?.result.iterations, 2);
  });

  test('Export EM Results...: the result as JSON and the posteriors as CSV, where the user says', async () => {
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('emWorkbench.runEM', example2);
    assert.ok(record);
    const jsonPath = inWorkspace('host-generated', 'example2.results.json');
    const csvPath = inWorkspace('host-generated', 'example2.posteriors.csv');
    fs.mkdirSync(inWorkspace('host-generated'), { recursive: true });
    assert.equal(await vscode.commands.executeCommand('emWorkbench.exportResults', example2, { what: 'results-json', outPath: jsonPath }), jsonPath);
    const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as FitResult;
    assert.equal(json.logLikelihood, record.result.logLikelihood);
    assert.equal(json.snapshots, undefined, 'no step-through snapshots in the export');
    assert.equal(await vscode.commands.executeCommand('emWorkbench.exportResults', example2, { what: 'posteriors-csv', outPath: csvPath }), csvPath);
    const lines = fs.readFileSync(csvPath, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'row,P(H=0),P(H=1),label');
    assert.equal(lines.length, 5);
    assert.match(lines[1], /^1,0\.0\d+,0\.9\d+,1$/);
  });

  test('the missing-data comparison: drop, fill-mode and EM, as the tutorial\'s example 1', async () => {
    const a = await api();
    const results = await a.runs.compareMissingData(inWorkspace('tutorial', 'example1.em.json'));
    // P(A=0): 4/7 from the complete rows, 5/8 with every row
    assert.ok(Math.abs(cpts(results.drop).A.rows[''][0] - 4 / 7) < 1e-9);
    assert.ok(Math.abs(cpts(results.em).A.rows[''][0] - 5 / 8) < 1e-9);
    // P(B=0 | A=0): 4/5 with "?" filled by the mode, 0.75 at EM's fixed point
    assert.ok(Math.abs(cpts(results['fill-mode']).B.rows['A=0'][0] - 0.8) < 1e-9);
    assert.ok(Math.abs(cpts(results.em).B.rows['A=0'][0] - 0.75) < 1e-6);
    assert.equal(a.runs.running, undefined);
  });
});
