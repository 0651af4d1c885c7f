/** Shared helpers of the in-host tests: the extension's API, the workspace, waiting. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EmWorkbenchApi } from '../../src/extension';

export const EXTENSION_ID = 'em-workbench.em-workbench';

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host tests need a workspace folder (a copy of examples/)');
  return folder.uri.fsPath;
}

export function inWorkspace(...parts: string[]): string {
  return path.join(workspaceRoot(), ...parts);
}

/** The activated extension's API, once its stored runs and model index are loaded. */
export async function api(): Promise<EmWorkbenchApi> {
  const ext = vscode.extensions.getExtension<EmWorkbenchApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const exports = ext.isActive ? ext.exports : await ext.activate();
  await exports.ready;
  return exports;
}

/** Poll `probe` until it returns something truthy (or throw after `timeoutMs`). */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Write a file into the workspace (tests may: it is a temp copy), creating folders. */
export function writeWorkspaceFile(rel: string, text: string): string {
  const p = inWorkspace(rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** The text of every hover at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n---\n');
}

/** The position of the first occurrence of `needle` in a document (at `offsetInNeedle` into it). */
export function positionOf(doc: vscode.TextDocument, needle: string, offsetInNeedle = 0, from = 0): vscode.Position {
  const at = doc.getText().indexOf(needle, from);
  if (at < 0) throw new Error(`"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(at + offsetInNeedle);
}

/**
 * A Gaussian-mixture dataset of `rows` rows (two columns, three clusters whose centres are
 * `separation` times apart: 1 = well separated, 0.25 = overlapping, so EM creeps), from a
 * fixed-seed generator (a linear congruential generator with Box-Muller normals).
 */
export function gaussianMixtureCsv(rows: number, seed = 7, separation = 1): string {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centers = [
    [0, 0],
    [6, 1],
    [2, 7],
  ];
  const parts: string[] = ['x,y\n'];
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const c = centers[Math.floor(uniform() * 3)];
    chunk += `${(c[0] * separation + normal()).toFixed(4)},${(c[1] * separation + normal()).toFixed(4)}\n`;
    if (chunk.length > 1 << 16) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** A model file for gaussianMixtureCsv data. */
export function gaussianMixtureModel(dataFile: string, fit: Record<string, unknown>): string {
  return JSON.stringify({ name: `mixture on ${dataFile}`, data: { path: dataFile, columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 3, covariance: 'full' }, fit: { seed: 1, restarts: 1, ...fit } }, null, 2);
}
