/**
 * The extension's settings (`emWorkbench.*`) as an immutable snapshot. How they combine with a
 * model file is in fitOverrides.ts.
 */
import * as vscode from 'vscode';

export const SECTION = 'emWorkbench';

export class EmSettings {
  constructor(
    readonly maxIterations: number,
    readonly tolerance: number,
    readonly restarts: number,
    /** 0 = every available core. */
    readonly threads: number,
    /** Heap limit of the fit worker, MB. */
    readonly workerMemoryMb: number,
    /** Record per-iteration snapshots for the inspector's step-through (small models only). */
    readonly snapshots: boolean,
  ) {}

  static read(): EmSettings {
    const c = vscode.workspace.getConfiguration(SECTION);
    return new EmSettings(
      c.get<number>('maxIterations', 100),
      c.get<number>('tolerance', 1e-8),
      c.get<number>('restarts', 1),
      c.get<number>('threads', 0),
      c.get<number>('workerMemoryMb', 4096),
      c.get<boolean>('snapshots', true),
    );
  }

  isEqualTo(other: EmSettings): boolean {
    return (
      this.maxIterations === other.maxIterations &&
      this.tolerance === other.tolerance &&
      this.restarts === other.restarts &&
      this.threads === other.threads &&
      this.workerMemoryMb === other.workerMemoryMb &&
      this.snapshots === other.snapshots
    );
  }
}
