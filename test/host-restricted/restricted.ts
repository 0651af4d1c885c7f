/**
 * Helpers of the Restricted Mode run (scripts/host/run-host-tests.js starts it with workspace
 * trust on and the folder untrusted): the guard that the window really is restricted, the
 * question a modal would ask, and the two places nothing may be written to: the workspace
 * (against the manifest taken when it was copied) and the extension's storage under
 * code-server's user data.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmWorkbenchApi } from '../../src/extension';
import { EXTENSION_ID, workspaceRoot } from '../host/helpers';

function envPath(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with scripts/host/run-host-tests.js (the restricted run)`);
  return value;
}

/** Fail unless this window is in Restricted Mode: every suite's first check, so no test here can pass in a trusted window. */
export function assertRestricted(): void {
  assert.equal(vscode.workspace.isTrusted, false, 'the workspace must be untrusted (Restricted Mode) for these tests');
}

/** What VS Code's workbench throws instead of showing a modal dialog while extension tests run (its DialogService.prompt). */
const DIALOG_REFUSED_IN_TESTS = /^DialogService: refused to show dialog in tests\. Contents: ([\s\S]*)$/;

/**
 * The modal question `action` asks, when asking is where it stops. While extension tests run,
 * the workbench shows no modal dialog: it throws an error carrying the dialog's message (the
 * test cannot click it, nor can the user), so the action ends at the question as when the user
 * dismisses it, and the test reads the very text the user would read. Fails when the action
 * finishes without asking, or fails for another reason.
 */
export async function questionAsked(action: () => Thenable<unknown>): Promise<string> {
  const outcome = await Promise.resolve(action()).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) assert.fail(`no question was asked; the action returned ${JSON.stringify(outcome.value)}`);
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  const asked = DIALOG_REFUSED_IN_TESTS.exec(message);
  assert.ok(asked, `not a question: ${message}`);
  return asked[1];
}

/** Every file under `dir`: relative path -> size, mtime and hash (the shape run-host-tests.js writes). */
function manifestOf(dir: string): Record<string, { size: number; mtimeMs: number; sha256: string }> {
  const out: Record<string, { size: number; mtimeMs: number; sha256: string }> = {};
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else {
        const p = path.join(dir, r);
        const st = fs.statSync(p);
        out[r] = { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(fs.readFileSync(p)).digest('hex') };
      }
    }
  };
  walk('');
  return out;
}

/** The workspace is file for file, byte for byte and mtime for mtime what run-host-tests.js copied. */
export function assertWorkspaceUntouched(): void {
  const copied = JSON.parse(fs.readFileSync(envPath('EMW_HOST_WORKSPACE_MANIFEST'), 'utf8')) as ReturnType<typeof manifestOf>;
  assert.deepEqual(manifestOf(workspaceRoot()), copied, 'the workspace was written');
}

/**
 * The files in the extension's storage: its folders (named by the extension id) under the
 * user data's workspaceStorage/* and globalStorage (the logs folder, also named by the id,
 * is not storage).
 */
export function extensionStorageFiles(): string[] {
  const user = path.join(envPath('EMW_HOST_USER_DATA_DIR'), 'User');
  const folders: string[] = [path.join(user, 'globalStorage', EXTENSION_ID)];
  const workspaceStorage = path.join(user, 'workspaceStorage');
  if (fs.existsSync(workspaceStorage)) for (const w of fs.readdirSync(workspaceStorage)) folders.push(path.join(workspaceStorage, w, EXTENSION_ID));
  const files: string[] = [];
  const walk = (p: string): void => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else files.push(path.relative(user, p));
  };
  for (const f of folders) walk(f);
  return files.sort();
}

/** Fits started or ended, and progress, from the moment of the call (the run controller's events). */
export function watchFits(a: EmWorkbenchApi): { readonly events: string[]; dispose(): void } {
  const events: string[] = [];
  const subs = [a.runs.onProgress((p) => events.push(`progress ${p.modelPath}`)), a.runs.onDidEndFit((e) => events.push(`end ${e.purpose} ${e.outcome} ${e.modelPath}`))];
  return { events, dispose: () => subs.forEach((s) => s.dispose()) };
}

/** No worker thread was ever started, no fit runs, no run is stored. */
export function assertNothingRan(a: EmWorkbenchApi): void {
  assert.equal(a.worker.starts, 0, 'no fit worker was started');
  assert.equal(a.worker.liveThreads, 0, 'no fit worker thread is alive');
  assert.equal(a.runs.running, undefined, 'no fit is running');
  assert.deepEqual(a.runs.listRuns(), [], 'no run was stored');
  assert.deepEqual(extensionStorageFiles(), [], 'nothing in the extension storage');
}
