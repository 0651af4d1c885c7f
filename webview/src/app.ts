/**
 * The inspector app: a header with the run's facts, a status line, and tabs whose views are
 * built when first shown. `init` and `runChanged` rebuild everything (keeping the saved view
 * state); `progress` only updates the header and the convergence chart; `fitEnded` ends the
 * "running" state (fitStatus.ts) and says in the status line why a fit failed.
 */
import type { InspectorCapabilities } from '../../src/shared/inspectorProtocol';
import type { RunRecord } from '../../src/shared/runs';
import type { HostBridge, PushMessage } from './hostBridge';
import { describeStopReason, type LiveFit } from './model/convergenceSeries';
import { foldFitStatus } from './model/fitStatus';
import { formatCount, formatLogLikelihood } from './model/numberFormat';
import { availableTabs, TAB_LABELS, type TabId } from './model/tabs';
import { element, note } from './render/tableElement';
import { onThemeChange } from './render/themeColors';
import { tabs } from './ui/toolkit';
import type { ViewStateStore } from './viewState';
import { ConvergenceView } from './views/convergenceView';
import { MissingDataView } from './views/missingDataView';
import { ModelSelectionView } from './views/modelSelectionView';
import { ParametersView } from './views/parametersView';
import { PosteriorsView } from './views/posteriorsView';
import { StepThroughView } from './views/stepThroughView';
import type { View, ViewContext } from './views/viewContext';

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export class InspectorApp {
  private modelPath = '';
  private run: RunRecord | undefined;
  private live: LiveFit | undefined;
  /** Why the last fit failed (fitStatus.ts), shown in the status line. */
  private failure: string | undefined;
  private capabilities: InspectorCapabilities = { dataSample: false };
  private views: View[] = [];
  private readonly mounted = new Set<string>();
  private readonly header = element('header', 'run-header');
  private readonly status = element('div', 'status');
  private readonly main = element('main', 'tabs-host');
  private bridge: HostBridge | undefined;

  constructor(root: HTMLElement, private readonly state: ViewStateStore) {
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    root.append(this.header, this.status, this.main);
    onThemeChange(() => {
      for (const v of this.views) if (this.mounted.has(v.id)) v.themeChanged?.();
    });
  }

  connect(bridge: HostBridge): void {
    this.bridge = bridge;
  }

  handle(message: PushMessage): void {
    const hadLive = this.live !== undefined;
    const hadFailure = this.failure !== undefined;
    const next = foldFitStatus({ ...(this.run ? { run: this.run } : {}), ...(this.live ? { live: this.live } : {}), ...(hadFailure ? { failure: this.failure } : {}) }, message);
    this.run = next.run;
    this.live = next.live;
    this.failure = next.failure;
    switch (message.type) {
      case 'init':
        this.modelPath = message.modelPath;
        this.capabilities = message.capabilities;
        this.state.attach(message.modelPath);
        this.rebuild();
        if (this.failure !== undefined) this.notify(this.failure, 'error');
        return;
      case 'runChanged':
        this.rebuild();
        this.notify(`Run finished: ${describeStopReason(message.run.result.stopReason)}.`);
        return;
      case 'progress': {
        if (!hadLive && !this.run) this.rebuild();
        this.renderHeader();
        for (const v of this.views) if (this.mounted.has(v.id)) v.progress?.();
        if (hadFailure) this.notify('');
        return;
      }
      case 'fitEnded':
        // the live curve goes from the convergence chart, the "running" fact from the header
        if (hadLive) this.rebuild();
        else this.renderHeader();
        if (this.failure !== undefined) this.notify(this.failure, message.outcome === 'cancelled' ? 'info' : 'error');
        return;
      default: {
        const never: never = message;
        throw new Error(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  notify(text: string, kind: 'info' | 'error' = 'info'): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', kind === 'error');
  }

  private context(): ViewContext {
    const bridge = this.bridge;
    if (!bridge) throw new Error('the inspector is not connected to the host');
    return {
      bridge,
      state: this.state,
      modelPath: this.modelPath,
      run: this.run,
      capabilities: this.capabilities,
      live: () => this.live,
      notify: (t, k) => this.notify(t, k),
    };
  }

  private makeView(id: TabId, ctx: ViewContext): View {
    const run = this.run;
    switch (id) {
      case 'parameters': return run ? new ParametersView(ctx, run.result, run.id) : this.placeholder(id);
      case 'posteriors': return run ? new PosteriorsView(ctx, run.result, run.id) : this.placeholder(id);
      case 'convergence': return new ConvergenceView(ctx, run?.result);
      case 'steps': return run ? new StepThroughView(ctx, run.result) : this.placeholder(id);
      case 'missing': return run ? new MissingDataView(ctx, run.result) : this.placeholder(id);
      case 'selection': return run?.result.modelSelection ? new ModelSelectionView(ctx, run.result.modelSelection) : this.placeholder(id);
      default: {
        const never: never = id;
        throw new Error(`unknown tab ${String(never)}`);
      }
    }
  }

  private placeholder(id: TabId): View {
    return { id, label: TAB_LABELS[id], mount: (c) => c.appendChild(note('Nothing to show yet.')) };
  }

  private rebuild(): void {
    for (const v of this.views) v.dispose?.();
    this.views = [];
    this.mounted.clear();
    this.renderHeader();
    this.main.replaceChildren();
    if (!this.run && !this.live) {
      this.main.appendChild(note(`No run of ${baseName(this.modelPath)} yet. Run EM on it (command palette: "Run EM") and the results appear here.`, 'note empty'));
      return;
    }
    const ctx = this.context();
    const ids = availableTabs(this.run?.result);
    this.views = ids.map((id) => this.makeView(id, ctx));
    const saved = this.state.current?.tab;
    const selected = ids.find((id) => id === saved) ?? ids[0];
    const handle = tabs(this.views.map((v) => ({ id: v.id, label: v.label })), selected, (id) => this.show(id));
    for (const v of this.views) handle.panel(v.id).dataset.view = v.id;
    this.main.appendChild(handle.element);
    this.panelOf = (id) => handle.panel(id);
    this.show(selected);
  }

  private panelOf: (id: string) => HTMLElement = () => {
    throw new Error('no tabs');
  };

  private show(id: string): void {
    const view = this.views.find((v) => v.id === id);
    if (!view) return;
    this.state.update({ tab: id });
    if (this.mounted.has(id)) return;
    this.mounted.add(id);
    try {
      view.mount(this.panelOf(id));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.panelOf(id).appendChild(note(`This view failed: ${message}`, 'note error'));
      this.bridge?.log('error', `inspector view ${id} failed: ${e instanceof Error ? e.stack ?? message : message}`);
    }
  }

  private renderHeader(): void {
    this.header.replaceChildren();
    const r = this.run?.result;
    const title = element('h1', undefined, r?.name ?? baseName(this.modelPath));
    title.title = this.modelPath;
    this.header.appendChild(title);
    const facts = element('dl', 'facts');
    const fact = (label: string, value: string, key?: string): void => {
      const dd = element('dd', undefined, value);
      if (key) dd.dataset.fact = key;
      const pair = element('div', 'fact');
      pair.append(element('dt', undefined, label), dd);
      facts.appendChild(pair);
    };
    if (r) {
      fact('model', r.kind, 'kind');
      fact('rows', formatCount(r.rows), 'rows');
      fact('log-likelihood', formatLogLikelihood(r.logLikelihood), 'log-likelihood');
      fact('iterations', String(r.iterations), 'iterations');
      fact('stopped', describeStopReason(r.stopReason), 'stop-reason');
      if (r.restarts.length > 1) fact('restarts', String(r.restarts.length), 'restarts');
      fact('BIC', formatLogLikelihood(r.bic), 'bic');
      fact('AIC', formatLogLikelihood(r.aic), 'aic');
      fact('time', `${r.seconds < 1 ? `${(r.seconds * 1000).toFixed(0)} ms` : `${r.seconds.toFixed(2)} s`}`, 'seconds');
    }
    if (this.live) fact('running', `restart ${this.live.current + 1}/${this.live.restarts}, iteration ${this.live.iteration}/${this.live.maxIterations}`, 'running');
    this.header.appendChild(facts);
    if (r?.warnings && r.warnings.length > 0) {
      const list = element('ul', 'warnings');
      for (const w of r.warnings) list.appendChild(element('li', undefined, w));
      this.header.appendChild(list);
    }
  }
}
