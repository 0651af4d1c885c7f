/**
 * What every tab of the inspector gets: the host bridge, the saved view state, the run it
 * shows, and a way to tell the user something. A view fills its panel when first shown.
 */
import type { InspectorCapabilities } from '../../../src/shared/inspectorProtocol';
import type { RunRecord } from '../../../src/shared/runs';
import type { HostBridge } from '../hostBridge';
import type { LiveFit } from '../model/convergenceSeries';
import type { ViewStateStore } from '../viewState';

export interface ViewContext {
  readonly bridge: HostBridge;
  readonly state: ViewStateStore;
  readonly modelPath: string;
  readonly run: RunRecord | undefined;
  readonly capabilities: InspectorCapabilities;
  /** The running fit of this model, if any. */
  live(): LiveFit | undefined;
  /** A short message in the status line (announced to screen readers). */
  notify(text: string, kind?: 'info' | 'error'): void;
}

export interface View {
  readonly id: string;
  readonly label: string;
  /** Fill `container` (called once, when the tab is first shown, so charts have a width). */
  mount(container: HTMLElement): void;
  /** The theme changed: redraw canvases. */
  themeChanged?(): void;
  /** A progress message arrived for a running fit. */
  progress?(): void;
  dispose?(): void;
}
