/**
 * Work that several requests wait for, run once per key, and given up when no one waits any
 * more. The run controller recomputes a stored run's posteriors this way (a refit in the
 * worker): every inspector request that needs them waits for the same refit, a request whose
 * panel was closed stops waiting, and when the last one stops the refit is cancelled, so that
 * a fit nobody will see does not hold the worker (one fit at a time) against the user's next
 * Run EM. No vscode import (unit-tested as is; vscode.CancellationToken fits CancelToken).
 */
import { CancelledError } from '../shared/errors';

/** The part of vscode.CancellationToken used here. */
export interface CancelToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/** Started work: its outcome, and a way to give it up (it then ends soon, however it ends). */
export interface AbandonableWork<T> {
  readonly done: Promise<T>;
  abandon(): void;
}

interface Entry<T> {
  readonly work: AbandonableWork<T>;
  /** Requests waiting for it now. */
  waiters: number;
  settled: boolean;
  abandoned: boolean;
}

export class SharedWork<T> {
  private readonly inFlight = new Map<string, Entry<T>>();

  /** Keys whose work has started and not yet ended (abandoned work counts until it ends). */
  get keys(): readonly string[] {
    return [...this.inFlight.keys()];
  }

  /**
   * Wait for the work of `key`, starting it with `start` when none runs. Settles as the work
   * does, or rejects with CancelledError as soon as `token` fires: the work goes on for the
   * other waiters, and is abandoned when none is left. A token cancelled already starts
   * nothing. Work that was abandoned and has not ended yet is not joined: the request waits
   * for it to end, then starts the work again.
   */
  async join(key: string, start: () => AbandonableWork<T>, token?: CancelToken): Promise<T> {
    for (;;) {
      if (token?.isCancellationRequested) throw new CancelledError();
      const current = this.inFlight.get(key);
      if (current === undefined) return this.wait(this.begin(key, start), token);
      if (!current.abandoned) return this.wait(current, token);
      await current.work.done.then(
        () => undefined,
        () => undefined,
      );
    }
  }

  private begin(key: string, start: () => AbandonableWork<T>): Entry<T> {
    const entry: Entry<T> = { work: start(), waiters: 0, settled: false, abandoned: false };
    this.inFlight.set(key, entry);
    const settle = (): void => {
      entry.settled = true;
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    // registered before any waiter's handlers: a request that arrives after the end starts afresh
    entry.work.done.then(settle, settle);
    return entry;
  }

  private wait(entry: Entry<T>, token: CancelToken | undefined): Promise<T> {
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      let left = false;
      let subscription: { dispose(): unknown } | undefined;
      const leave = (): boolean => {
        if (left) return false;
        left = true;
        subscription?.dispose();
        entry.waiters--;
        return true;
      };
      subscription = token?.onCancellationRequested(() => {
        if (!leave()) return;
        if (entry.waiters === 0 && !entry.settled && !entry.abandoned) {
          entry.abandoned = true;
          entry.work.abandon();
        }
        reject(new CancelledError());
      });
      entry.work.done.then(
        (value) => {
          if (leave()) resolve(value);
        },
        (e: unknown) => {
          if (leave()) reject(e);
        },
      );
    });
  }
}
