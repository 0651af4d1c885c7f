/**
 * "New EM Model from Dataset...": pick a kind, get a valid model file prefilled from the
 * dataset's columns: an unsaved (untitled) document beside the dataset, which the user saves,
 * or a file the user names in a save dialog. Nothing is written unless the user chose a file.
 */
import * as vscode from 'vscode';
import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseDataset } from '../data/csvReader';
import { InputError } from '../shared/errors';
import { DEFAULT_MISSING_TOKENS } from '../shared/modelSpec';
import type { ModelKind } from '../shared/modelSpec';
import { kindAvailability, modelTemplate, profileColumns, suggestKind } from './modelTemplate';

/** Bytes of the dataset's head that the columns are profiled from. */
const PROFILE_BYTES = 1 << 20;

const KIND_LABELS: Readonly<Record<ModelKind, string>> = {
  'latent-class': 'Latent classes',
  bayesnet: 'Bayesian network with a hidden variable',
  'gaussian-mixture': 'Gaussian mixture',
  hmm: 'Hidden Markov model',
};
const KIND_DETAILS: Readonly<Record<ModelKind, string>> = {
  'latent-class': 'a hidden class explains the categorical columns (poLCA-style)',
  bayesnet: 'a DAG of categorical variables; the template: hidden H -> every column',
  'gaussian-mixture': 'clusters of the numeric columns (scikit-learn GaussianMixture-style)',
  hmm: 'rows in file order as a sequence of hidden states (hmmlearn-style)',
};

export interface NewModelOptions {
  readonly kind?: ModelKind;
  /** "untitled" (default without a dialog) or an absolute path to write. */
  readonly target?: 'untitled' | string;
}

/** The head of a file, cut after its last complete line. */
async function readHead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(PROFILE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, PROFILE_BYTES, 0);
    let text = buf.subarray(0, bytesRead).toString('utf8');
    if (bytesRead === PROFILE_BYTES) text = text.slice(0, Math.max(0, text.lastIndexOf('\n') + 1));
    return text;
  } finally {
    await fh.close();
  }
}

/** A model file name beside the dataset that does not exist yet. */
function freshModelPath(datasetPath: string): string {
  const stem = basename(datasetPath).replace(/\.(csv|tsv)$/i, '');
  for (let i = 1; ; i++) {
    const p = join(dirname(datasetPath), `${stem}${i === 1 ? '' : `-${i}`}.em.json`);
    if (!existsSync(p)) return p;
  }
}

/** Create the model: returns the new document's URI (untitled or a file). */
export async function newModelFromDataset(datasetPath: string, options: NewModelOptions = {}): Promise<vscode.Uri | undefined> {
  let dataset;
  try {
    dataset = parseDataset(await readHead(datasetPath), datasetPath, { missing: DEFAULT_MISSING_TOKENS });
  } catch (e) {
    const text = e instanceof InputError ? e.format() : e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`EM: cannot read ${basename(datasetPath)}: ${text}`);
    return undefined;
  }
  const profiles = profileColumns(dataset);
  const availability = kindAvailability(profiles);
  let kind = options.kind;
  if (!kind) {
    const suggested = suggestKind(profiles);
    const order: ModelKind[] = [suggested, ...(['latent-class', 'gaussian-mixture', 'hmm', 'bayesnet'] as ModelKind[]).filter((k) => k !== suggested)];
    const pick = await vscode.window.showQuickPick(
      order.map((k) => ({
        label: `${availability[k] ? '$(circle-slash) ' : ''}${KIND_LABELS[k]}`,
        description: k === suggested ? 'suggested for these columns' : (availability[k] ?? ''),
        detail: KIND_DETAILS[k],
        modelKind: k,
      })),
      { title: `New EM model from ${basename(datasetPath)}`, placeHolder: `Columns: ${profiles.map((p) => `${p.name} (${p.numeric ? 'number' : 'category'})`).join(', ')}` },
    );
    if (!pick) return undefined;
    kind = pick.modelKind;
  }
  if (availability[kind]) {
    void vscode.window.showWarningMessage(`EM: a ${KIND_LABELS[kind].toLowerCase()} ${availability[kind]}; ${basename(datasetPath)} has none.`);
    return undefined;
  }
  let target = options.target;
  if (!target) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Open as an unsaved model file', description: 'beside the dataset; save it to keep it', target: 'untitled' },
        { label: 'Save as...', description: 'choose where to write the model file', target: 'dialog' },
      ],
      { title: 'Where should the model file go?' },
    );
    if (!choice) return undefined;
    if (choice.target === 'dialog') {
      const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(freshModelPath(datasetPath)), filters: { 'EM model': ['em.json', 'json'] } });
      if (!uri) return undefined;
      target = uri.fsPath;
    } else target = 'untitled';
  }
  const modelPath = target === 'untitled' ? freshModelPath(datasetPath) : target;
  const rel = relative(dirname(modelPath), datasetPath).split('\\').join('/');
  const text = modelTemplate(kind, profiles, rel, basename(datasetPath));
  let uri: vscode.Uri;
  if (target === 'untitled') {
    uri = vscode.Uri.file(modelPath).with({ scheme: 'untitled' });
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
  } else {
    uri = vscode.Uri.file(target);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  }
  await vscode.window.showTextDocument(uri);
  return uri;
}

export function registerNewModel(): vscode.Disposable {
  return vscode.commands.registerCommand('emWorkbench.newModelFromDataset', async (arg?: unknown, options?: NewModelOptions) => {
    let path: string | undefined = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (!path && active?.scheme === 'file' && /\.(csv|tsv)$/i.test(active.fsPath)) path = active.fsPath;
    if (!path) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Datasets: ['csv', 'tsv'] }, title: 'Dataset for the new EM model' });
      path = picked?.[0]?.fsPath;
    }
    if (!path) return undefined;
    return newModelFromDataset(path, options ?? {});
  });
}
