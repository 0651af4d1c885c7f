/**
 * The view state kept with the webview API's setState, so that a panel hidden and shown
 * again, or restored by the serializer after a reload, comes back as it was.
 */
import { parseViewState, type InspectorViewState } from '../../src/shared/inspectorProtocol';
import type { VsCodeApi } from './hostBridge';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ViewStateStore {
  private state: Mutable<InspectorViewState> | undefined;

  constructor(private readonly api: VsCodeApi) {
    this.state = parseViewState(api.getState());
  }

  get current(): InspectorViewState | undefined {
    return this.state;
  }

  /** Start over for another model file, or keep the saved state when it is the same one. */
  attach(modelPath: string): void {
    if (this.state?.modelPath !== modelPath) this.state = { modelPath };
    this.api.setState(this.state);
  }

  update(patch: Partial<Omit<InspectorViewState, 'modelPath'>>): void {
    if (!this.state) return;
    this.state = { ...this.state, ...patch };
    this.api.setState(this.state);
  }
}
