// The inspector shows the tutorial's tables: example 2's parameters in its notation, its E-step
// table at iterations 1, 2, 5 and 10, the bound after each step, and example 1's three
// strategies as joint tables with the tutorial's fractions. Results come from the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BayesNetParametersJSON } from '../../src/shared/results';
import { tutorialNotation, jointTable } from '../../webview/src/model/cptTables';
import { asBayesNetEStep, eStepTable, hasMissingCells } from '../../webview/src/model/eStepTable';
import { parameterView } from '../../webview/src/model/parameterTables';
import { boundChainHolds, boundLines, stepAt, stepRange, tutorialStops } from '../../webview/src/model/stepThrough';
import { availableTabs, hasMissingData } from '../../webview/src/model/tabs';
import { fitExample1, fitExample2, tutorialFixture } from './webviewTestRuns';

const printed = tutorialFixture().example2.tutorial_printed;

/** The tutorial prints two decimals (three at iteration 10) from rounded intermediate values: within 0.01. */
function closeToPrinted(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 0.0100001, `${what}: ${actual} vs the tutorial's ${expected}`);
}

test("example 2: the fitted parameters read like the tutorial (P(H), P(A | H), P(A | ¬H), ...)", async () => {
  const result = await fitExample2();
  const lines = tutorialNotation(result.parameters as BayesNetParametersJSON, result.initialParameters as BayesNetParametersJSON);
  assert.ok(lines);
  assert.deepEqual(lines.map((l) => l.label), ['P(H)', 'P(A | H)', 'P(A | ¬H)', 'P(B | H)', 'P(B | ¬H)']);
  // converged values of the fixture: 0.517, 0.030, 0.830, 0.030, 0.830
  assert.deepEqual(lines.map((l) => l.text), ['P(H) = 0.517', 'P(A | H) = 0.030', 'P(A | ¬H) = 0.830', 'P(B | H) = 0.030', 'P(B | ¬H) = 0.830']);
  // the title tells how far each value moved from the tutorial's initial value
  assert.match(lines[0].title, /initial 0\.4 → 0\.51\d+ \(\+0\.11\d\)/);
  assert.match(lines[2].title, /initial 0\.61 → 0\.83\d+ \(\+0\.22\d\)/);
});

test('example 2: the step-through replays iterations 1, 2, 5 and 10 as the tutorial prints them', async () => {
  const result = await fitExample2(10, 0);
  const range = stepRange(result);
  assert.deepEqual(range, { first: 0, last: 10 });
  assert.deepEqual(tutorialStops(range), [1, 2, 5, 10]);
  for (const t of [1, 2, 5, 10]) {
    const step = stepAt(result, t);
    assert.ok(step);
    assert.equal(step.iteration, t);
    // E-step under theta_{t-1}: the tutorial's Pr(H | D) column, patterns 00, 01, 10, 11
    const view = asBayesNetEStep(step.eStep);
    assert.ok(view, `iteration ${t} has a bayesnet E-step view`);
    const table = eStepTable(view, step.previousParameters as BayesNetParametersJSON, 'E-step');
    assert.deepEqual(table.header, ['A', 'B', '#', 'P(H | A, B)']);
    assert.deepEqual(table.rows.map((r) => r.slice(0, 3).map((c) => c.text)), [['0', '0', '6'], ['0', '1', '1'], ['1', '0', '1'], ['1', '1', '4']]);
    table.rows.forEach((r, i) => closeToPrinted(Number(r[3].text), printed[String(t)].e[i], `iteration ${t} E-step row ${i}`));
    // M-step theta_t in the tutorial's order
    const lines = tutorialNotation(step.parameters as BayesNetParametersJSON, step.previousParameters as BayesNetParametersJSON, 'θ');
    assert.ok(lines);
    lines.forEach((l, i) => closeToPrinted(l.value, printed[String(t)].m[i], `iteration ${t} ${l.label}`));
    // the bound: log p(x | θ_{t-1}) = L(q_t, θ_{t-1}) ≤ L(q_t, θ_t) ≤ log p(x | θ_t)
    const bound = boundLines(step);
    assert.equal(bound[0].value, result.history[t - 1]);
    assert.equal(bound[bound.length - 1].value, result.history[t]);
    assert.ok(boundChainHolds(bound), `the bound's chain holds at iteration ${t}`);
  }
  // iteration 10 prints three decimals in the tutorial: .971 .183 .183 .001
  const t10 = stepAt(result, 10);
  const view10 = asBayesNetEStep(t10?.eStep);
  assert.ok(view10);
  assert.deepEqual(eStepTable(view10, undefined, '').rows.map((r) => r[3].text), ['0.971', '0.183', '0.183', '0.001']);
  // iteration 0 shows theta_0 and log p(x | theta_0)
  const t0 = stepAt(result, 0);
  assert.ok(t0 && t0.eStep === undefined);
  assert.equal(boundLines(t0)[0].value, result.history[0]);
});

test('example 2: the Posteriors tab has the E-step table at the fitted parameters; tabs offered', async () => {
  const result = await fitExample2();
  const view = asBayesNetEStep(result.finalEStep);
  assert.ok(view, 'the engine recorded the E-step at the returned parameters');
  assert.equal(hasMissingCells(view), false);
  const table = eStepTable(view, result.parameters as BayesNetParametersJSON, 'final');
  // at convergence: P(H=1 | A=0, B=0) = 0.972 ... (the fixture's converged parameters)
  assert.deepEqual(table.rows.map((r) => r[3].text), ['0.972', '0.182', '0.182', '0.001']);
  assert.equal(hasMissingData(result), false);
  assert.deepEqual(availableTabs(result), ['parameters', 'posteriors', 'convergence', 'steps']);
  assert.deepEqual(availableTabs(undefined), ['convergence']);
});

test("example 1: the three strategies give the tutorial's joint tables, with its fractions", async () => {
  const drop = await fitExample1('drop');
  const fill = await fitExample1('fill-mode');
  const em = await fitExample1('em');
  const cells = (r: typeof drop): string[] => {
    const t = jointTable(r.parameters as BayesNetParametersJSON, r.rows);
    assert.ok(t);
    assert.deepEqual(t.header, ['', '¬A', 'A']);
    assert.deepEqual(t.rows.map((row) => row[0].text), ['¬B', 'B']);
    return t.rows.flatMap((row) => row.slice(1).map((c) => c.text));
  };
  // rows: ¬B, B; columns: ¬A, A (the tutorial's layout)
  assert.deepEqual(cells(drop), ['0.429 = 3/7', '0.143 = 1/7', '0.143 = 1/7', '0.286 = 2/7']);
  assert.deepEqual(cells(fill), ['0.500 = 4/8', '0.125 = 1/8', '0.125 = 1/8', '0.250 = 2/8']);
  // soft EM's fixed point: 0.46875, 0.125, 0.15625, 0.25
  assert.deepEqual(cells(em), ['0.469', '0.125 = 1/8', '0.156', '0.250 = 2/8']);
  // EM's first step fills the missing cell half and half: 3.5/8 and 1.5/8
  const first = em.snapshots?.[0];
  assert.ok(first);
  const t1 = jointTable(first.parameters as BayesNetParametersJSON, em.rows);
  assert.ok(t1);
  assert.deepEqual(t1.rows.flatMap((row) => row.slice(1).map((c) => c.text)), ['0.438 = 3.5/8', '0.125 = 1/8', '0.188 = 1.5/8', '0.250 = 2/8']);
  // the missing cell appears as "?" with the distribution it is filled with
  const view = asBayesNetEStep(first.eStep);
  assert.ok(view && hasMissingCells(view));
  const missingRow = eStepTable(view, undefined, '').rows.find((r) => r[1].text.startsWith('?'));
  assert.ok(missingRow);
  assert.equal(missingRow[1].text, '? (0: 0.500, 1: 0.500)');
  assert.equal(hasMissingData(em), true);
  assert.ok(availableTabs(em).includes('missing'));
  // the parameters view of a two-variable network carries the joint table
  assert.ok(parameterView('bayesnet', em.parameters, undefined, 'initial', em.rows).joint);
});
