/**
 * Which tabs a run gets: parameters, posteriors and convergence always; the step-through
 * when snapshots were recorded; missing data when a Bayesian network's data have missing
 * cells; model selection when a list of K was fitted. Only convergence while a first fit runs.
 */
import type { FitResult } from '../../../src/shared/results';
import { asBayesNetEStep, hasMissingCells } from './eStepTable';

export type TabId = 'parameters' | 'posteriors' | 'convergence' | 'steps' | 'missing' | 'selection';

export const TAB_LABELS: Readonly<Record<TabId, string>> = {
  parameters: 'Parameters',
  posteriors: 'Posteriors',
  convergence: 'Convergence',
  steps: 'Step-through',
  missing: 'Missing data',
  selection: 'Model selection',
};

/** True when the run's data have missing cells (seen in an E-step view), or a strategy other than EM was chosen for them. */
export function hasMissingData(result: FitResult): boolean {
  if (result.kind !== 'bayesnet' && result.kind !== 'latent-class') return false;
  if (result.missingData === 'drop' || result.missingData === 'fill-mode') return true;
  const views = [result.finalEStep, ...(result.snapshots ?? []).slice(0, 1).map((s) => s.eStep)];
  return views.some((v) => {
    const view = asBayesNetEStep(v);
    return view !== undefined && hasMissingCells(view);
  });
}

export function availableTabs(result: FitResult | undefined): TabId[] {
  if (!result) return ['convergence'];
  const tabs: TabId[] = ['parameters', 'posteriors', 'convergence'];
  if ((result.snapshots?.length ?? 0) > 0) tabs.push('steps');
  if (hasMissingData(result)) tabs.push('missing');
  if (result.modelSelection && result.modelSelection.length > 0) tabs.push('selection');
  return tabs;
}
