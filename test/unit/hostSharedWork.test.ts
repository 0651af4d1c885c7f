// Work shared by the requests that wait for it (src/host/sharedWork.ts): the run controller's
// recompute of a stored run's posteriors, joined by every inspector request and cancelled when
// the last one stops waiting (its panel closed); and what Run EM says when it is refused
// because such a recompute holds the worker (src/host/fitBusy.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError } from '../../src/shared/errors';
import { describeRunning, FitBusyError } from '../../src/host/fitBusy';
import { SharedWork, type AbandonableWork, type CancelToken } from '../../src/host/sharedWork';

/** A cancellation token as VS Code's behaves: listeners called once, on cancel. */
class TestToken implements CancelToken {
  isCancellationRequested = false;
  private listeners = new Set<() => unknown>();
  onCancellationRequested(listener: () => unknown): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
  cancel(): void {
    if (this.isCancellationRequested) return;
    this.isCancellationRequested = true;
    for (const l of [...this.listeners]) l();
  }
  get listening(): number {
    return this.listeners.size;
  }
}

/** Work that ends when the test says, and records whether it was abandoned. */
class ControlledWork implements AbandonableWork<string> {
  abandoned = 0;
  readonly done: Promise<string>;
  finish!: (value: string) => void;
  fail!: (e: Error) => void;
  constructor() {
    this.done = new Promise<string>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  }
  abandon(): void {
    this.abandoned++;
  }
}

function starter(): { start: () => ControlledWork; started: ControlledWork[] } {
  const started: ControlledWork[] = [];
  return {
    started,
    start: () => {
      const w = new ControlledWork();
      started.push(w);
      return w;
    },
  };
}

const settled = <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> => p.then((value) => ({ value }), (error: unknown) => ({ error }));
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('requests for the same key wait for one piece of work and all get its outcome', async () => {
  const shared = new SharedWork<string>();
  const { start, started } = starter();
  const a = shared.join('run-1', start, new TestToken());
  const b = shared.join('run-1', start);
  const other = shared.join('run-2', start);
  assert.equal(started.length, 2, 'one start per key');
  assert.deepEqual([...shared.keys].sort(), ['run-1', 'run-2']);
  started[0].finish('posteriors of run-1');
  started[1].finish('posteriors of run-2');
  assert.deepEqual(await Promise.all([a, b, other]), ['posteriors of run-1', 'posteriors of run-1', 'posteriors of run-2']);
  assert.deepEqual(shared.keys, []);
  assert.equal(started[0].abandoned + started[1].abandoned, 0);
});

test('a request whose token fires stops waiting at once; the work goes on while another request waits', async () => {
  const shared = new SharedWork<string>();
  const { start, started } = starter();
  const closing = new TestToken();
  const staying = new TestToken();
  const a = settled(shared.join('run-1', start, closing));
  const b = shared.join('run-1', start, staying);
  closing.cancel();
  const first = await a;
  assert.ok(first.error instanceof CancelledError, 'the closed panel\'s request ends with CancelledError');
  assert.equal(started[0].abandoned, 0, 'not abandoned: a request still waits');
  assert.equal(closing.listening, 0, 'the listener is removed');
  started[0].finish('done');
  assert.equal(await b, 'done');
  assert.equal(staying.listening, 0);
  staying.cancel(); // after the end: nothing to abandon
  assert.equal(started[0].abandoned, 0);
});

test('when the last waiting request stops waiting, the work is abandoned once', async () => {
  const shared = new SharedWork<string>();
  const { start, started } = starter();
  const t1 = new TestToken();
  const t2 = new TestToken();
  const a = settled(shared.join('run-1', start, t1));
  const b = settled(shared.join('run-1', start, t2));
  t1.cancel();
  assert.equal(started[0].abandoned, 0);
  t2.cancel();
  assert.equal(started[0].abandoned, 1);
  assert.ok((await a).error instanceof CancelledError);
  assert.ok((await b).error instanceof CancelledError);
  assert.deepEqual(shared.keys, ['run-1'], 'abandoned work counts until it ends');
  started[0].fail(new CancelledError());
  await tick();
  assert.deepEqual(shared.keys, []);
  assert.equal(started[0].abandoned, 1);
});

test('a request that comes while abandoned work is ending waits for its end, then starts the work again', async () => {
  const shared = new SharedWork<string>();
  const { start, started } = starter();
  const closed = new TestToken();
  const gone = settled(shared.join('run-1', start, closed));
  closed.cancel();
  assert.equal(started[0].abandoned, 1);
  const reopened = shared.join('run-1', start, new TestToken());
  await tick();
  assert.equal(started.length, 1, 'nothing new starts while the abandoned work still holds the worker');
  started[0].fail(new CancelledError());
  await tick();
  assert.equal(started.length, 2, 'started again once the abandoned work ended');
  started[1].finish('recomputed');
  assert.equal(await reopened, 'recomputed');
  assert.ok((await gone).error instanceof CancelledError);
});

test('a token cancelled already starts nothing; a failure reaches every waiting request and the next one starts afresh', async () => {
  const shared = new SharedWork<string>();
  const { start, started } = starter();
  const cancelled = new TestToken();
  cancelled.cancel();
  await assert.rejects(shared.join('run-1', start, cancelled), CancelledError);
  assert.equal(started.length, 0);

  const a = settled(shared.join('run-1', start));
  const b = settled(shared.join('run-1', start, new TestToken()));
  started[0].fail(new Error('the model file or its data changed'));
  assert.match(String(((await a).error as Error).message), /changed/);
  assert.match(String(((await b).error as Error).message), /changed/);
  const again = shared.join('run-1', start);
  assert.equal(started.length, 2);
  started[1].finish('ok');
  assert.equal(await again, 'ok');
});

test('Run EM refused because the inspector recomputes posteriors says so, with the model and the iteration', () => {
  const progress = { modelPath: '/w/mixture.em.json', restart: 0, restarts: 1, iteration: 37, maxIterations: 800, logLikelihood: -1, history: [] };
  const recompute = new FitBusyError({ modelPath: '/w/mixture.em.json', purpose: 'recompute', startedAt: 0, progress });
  assert.match(recompute.message, /^the inspector is recomputing the posteriors of mixture\.em\.json \(a refit of its last run/);
  assert.match(recompute.message, /iteration 37\/800/);
  assert.match(recompute.message, /one fit at a time: cancel it \(EM: Cancel EM\) or wait for it to finish$/);
  assert.equal(describeRunning({ modelPath: '/w/a.em.json', purpose: 'run', startedAt: 0 }), 'a fit of a.em.json is running');
  assert.equal(describeRunning({ modelPath: '/w/a.em.json', purpose: 'compare', startedAt: 0, progress }), 'the missing-data comparison of a.em.json is running (iteration 37/800)');
  assert.doesNotMatch(describeRunning({ modelPath: '/w/a.em.json', purpose: 'recompute', startedAt: 0 }), /iteration/);
});
