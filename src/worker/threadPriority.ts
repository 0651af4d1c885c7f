/**
 * Lower the scheduling priority of this thread (the fit worker), so that when the machine's
 * cores are all busy the editor's threads (the extension host, the renderer) run first and VS
 * Code stays responsive while a long fit runs. Linux only: setpriority(2) with a thread id
 * changes that one thread, and /proc/thread-self names it; elsewhere (or when refused) the
 * thread keeps its priority, which only costs responsiveness on a saturated machine.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value for the worker: 10 (of 19) leaves the fit most of an idle core. */
export const WORKER_NICE = 10;

/** Returns the thread id whose priority was lowered, or undefined when it could not be. */
export function lowerThreadPriority(nice = WORKER_NICE): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, nice);
    return tid;
  } catch {
    return undefined;
  }
}
