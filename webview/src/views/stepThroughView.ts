/**
 * The Step-through tab: a slider and step buttons over the iterations of the best restart.
 * Iteration t shows the tutorial's two steps side by side: the E-step (the posterior table
 * under theta_{t-1}) and the M-step (theta_t, each value's title giving its change from
 * theta_{t-1}), and the lower bound's story for that step.
 */
import type { BayesNetParametersJSON, FitResult } from '../../../src/shared/results';
import { asBayesNetEStep, eStepTable, genericEStepTable } from '../model/eStepTable';
import { formatLogLikelihood } from '../model/numberFormat';
import { isBayesNetParameters, parameterView } from '../model/parameterTables';
import { boundChainHolds, boundLines, clampIteration, stepAt, stepRange, theta, tutorialStops } from '../model/stepThrough';
import { element, heading, note, renderTable } from '../render/tableElement';
import { button, slider } from '../ui/toolkit';
import { parameterBlock } from './parameterBlock';
import type { View, ViewContext } from './viewContext';

export class StepThroughView implements View {
  readonly id = 'steps';
  readonly label = 'Step-through';
  private iteration = 0;
  private content: HTMLElement | undefined;
  private input: HTMLInputElement | undefined;
  private position: HTMLElement | undefined;
  private readonly stopButtons = new Map<number, { setAppearance(a: 'primary' | 'secondary'): void }>();

  constructor(private readonly ctx: ViewContext, private readonly result: FitResult) {}

  mount(container: HTMLElement): void {
    const range = stepRange(this.result);
    container.appendChild(heading('Step through EM'));
    if (!range) {
      container.appendChild(note('This run recorded no per-iteration snapshots (they are kept for small data).'));
      return;
    }
    container.appendChild(note('Iteration t is an E-step under the previous parameters θₜ₋₁ (left: the posterior of the hidden variables for each row) followed by an M-step that re-estimates the parameters θₜ from those posteriors (right). Hover over a value to see how it changed in this step. The slider and the arrow keys move through the iterations.'));
    const saved = this.ctx.state.current?.iteration;
    this.iteration = clampIteration(saved ?? Math.min(1, range.last), range);
    const controls = element('div', 'step-controls');
    controls.setAttribute('role', 'group');
    controls.setAttribute('aria-label', 'Iteration');
    this.input = slider('Iteration', range.first, range.last, this.iteration, (v) => this.go(v));
    this.input.dataset.action = 'iteration-slider';
    this.position = element('span', 'step-position');
    this.position.setAttribute('aria-live', 'polite');
    controls.append(
      button('|◀', () => this.go(range.first), { title: 'First iteration', action: 'step-first' }).element,
      button('◀', () => this.go(this.iteration - 1), { title: 'Previous iteration', action: 'step-previous' }).element,
      this.input,
      button('▶', () => this.go(this.iteration + 1), { title: 'Next iteration', action: 'step-next' }).element,
      button('▶|', () => this.go(range.last), { title: 'Last iteration', action: 'step-last' }).element,
      this.position,
    );
    const stops = tutorialStops(range);
    const jumps = element('div', 'toolbar');
    if (stops.length > 0) {
      jumps.appendChild(element('span', 'label', "The tutorial's iterations:"));
      for (const t of stops) {
        const b = button(String(t), () => this.go(t), { title: `Go to iteration ${t}`, action: `step-to-${t}` });
        this.stopButtons.set(t, b);
        jumps.appendChild(b.element);
      }
    }
    this.content = element('div', 'step-content');
    container.append(controls, jumps, this.content);
    this.show();
  }

  private go(t: number): void {
    const range = stepRange(this.result);
    if (!range) return;
    const next = clampIteration(t, range);
    if (next === this.iteration && this.content?.childElementCount) return;
    this.iteration = next;
    this.ctx.state.update({ iteration: next });
    this.show();
  }

  private show(): void {
    const step = stepAt(this.result, this.iteration);
    if (!step || !this.content || !this.input || !this.position) return;
    const t = step.iteration;
    this.input.value = String(t);
    this.input.setAttribute('aria-valuetext', `iteration ${t} of ${step.lastIteration}`);
    this.position.textContent = `Iteration ${t} of ${step.lastIteration}`;
    for (const [stop, b] of this.stopButtons) b.setAppearance(stop === t ? 'primary' : 'secondary');
    this.content.replaceChildren();
    this.content.dataset.iteration = String(t);
    const r = this.result;

    // the bound: log p(x | θ(t-1)) = L(q_t, θ(t-1)) ≤ L(q_t, θ_t) ≤ log p(x | θ_t)
    const lines = boundLines(step);
    if (lines.length > 0) {
      const box = element('dl', 'bound');
      box.setAttribute('aria-label', 'Log-likelihood and lower bound');
      for (const l of lines) {
        const dt = element('dt', undefined, `${l.relation ? `${l.relation} ` : ''}${l.label}`);
        const dd = element('dd', 'num', formatLogLikelihood(l.value));
        dd.title = `${l.value}: ${l.note}`;
        dd.dataset.bound = l.label;
        box.append(dt, dd);
      }
      this.content.appendChild(box);
      if (!boundChainHolds(lines)) this.content.appendChild(note('These values break the chain of inequalities EM guarantees: a numerical problem.', 'note error'));
    }

    const columns = element('div', 'step-columns');
    if (t === 0) {
      const m = element('section', 'step-m');
      m.append(heading(`Initial parameters ${theta(0)}`, 3));
      m.appendChild(parameterBlock(parameterView(r.kind, step.parameters, undefined, 'initial', r.rows), { keyPrefix: 'step-m' }));
      columns.appendChild(m);
    } else {
      const view = asBayesNetEStep(step.eStep);
      if (view) {
        const e = element('section', 'step-e');
        const prev = isBayesNetParameters(step.previousParameters) ? (step.previousParameters as BayesNetParametersJSON) : undefined;
        e.append(heading(`Iteration ${t}: E-step under ${theta(t - 1)}`, 3));
        e.appendChild(renderTable(eStepTable(view, prev, `P(hidden | row, ${theta(t - 1)})`, 'step-estep')));
        columns.appendChild(e);
      } else {
        const table = genericEStepTable(step.eStep, `Posteriors under ${theta(t - 1)}`, 'step-estep');
        if (table) {
          const e = element('section', 'step-e');
          e.append(heading(`Iteration ${t}: E-step under ${theta(t - 1)}`, 3), renderTable(table));
          columns.appendChild(e);
        }
      }
      const m = element('section', 'step-m');
      m.append(heading(`Iteration ${t}: M-step gives ${theta(t)}`, 3));
      m.appendChild(parameterBlock(parameterView(r.kind, step.parameters, step.previousParameters, theta(t - 1), r.rows), { keyPrefix: 'step-m' }));
      columns.appendChild(m);
    }
    this.content.appendChild(columns);
  }
}
