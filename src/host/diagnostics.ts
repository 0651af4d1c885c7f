/**
 * Problems of model files and of the datasets they read, in the Problems panel at exact ranges.
 *
 * - Model files (the editor's text when open, else the file): every problem of the spec's
 *   checker (unknown keys, cycles, probabilities that do not sum to 1, ...), then, when the
 *   file is valid, a missing data file, and the model against the dataset's header (unknown
 *   columns). Updated on edit (debounced) and on save. Parsing text and reading a header start
 *   nothing, so this also runs in Restricted Mode.
 * - Datasets that a model file reads: the worker reads them as a fit would (ragged rows, a
 *   token that is not a number in a numeric column, a state outside the declared ones); the
 *   reader stops at the first problem. An open dataset with unsaved changes is checked from
 *   the editor's text. This starts the worker, so it runs only in a trusted workspace, only for
 *   datasets whose model file or which themselves are open in an editor (not for every dataset
 *   at activation), and datasets larger than DATASET_CHECK_MAX_BYTES are left to Run EM.
 */
import * as vscode from 'vscode';
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkModelAgainstHeader, checkModelFile, parseModelFile } from '../spec/index';
import type { SpecProblem } from '../spec/index';
import { readHeader } from '../data/csvReader';
import { InputError } from '../shared/errors';
import type { SerializedInputError } from '../shared/errors';
import type { CheckDatasetRequest } from '../shared/protocol';
import { dataPathEscape, describeEscape } from './dataPathGuard';
import type { ModelIndex } from './modelIndex';
import type { WorkerClient } from './workerClient';

/** Datasets up to this size are checked without a run (a read costs about 1 s per 50 MB). */
export const DATASET_CHECK_MAX_BYTES = 16 * 1024 * 1024;
const DEBOUNCE_MS = 300;

const isModelPath = (p: string): boolean => /\.em\.json$/i.test(p);

function toRange(r: { line: number; column: number; endLine?: number; endColumn?: number }): vscode.Range {
  const line = Math.max(0, r.line - 1);
  const col = Math.max(0, r.column - 1);
  const endLine = Math.max(line, (r.endLine ?? r.line) - 1);
  const endCol = Math.max(endLine === line ? col + 1 : 0, (r.endColumn ?? r.column) - 1);
  return new vscode.Range(line, col, endLine, endCol);
}

function specDiagnostic(p: SpecProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'EM Workbench';
  return d;
}

function inputErrorDiagnostic(e: SerializedInputError | InputError): vscode.Diagnostic {
  const line = Math.max(1, e.line);
  const column = Math.max(1, e.column);
  const d = new vscode.Diagnostic(toRange({ line, column, endColumn: Math.max(column + 1, e.endColumn) }), e.message, vscode.DiagnosticSeverity.Error);
  d.source = 'EM Workbench';
  return d;
}

/**
 * True when the file on disk starts with a UTF-16 byte order mark. Run EM reads model files as
 * UTF-8 and refuses UTF-16 (src/worker/fitJob.ts), while the editor decodes UTF-16 and shows
 * the text as if it were fine: the check looks at the bytes.
 */
async function isUtf16OnDisk(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return bytesRead === 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

export class Diagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('emWorkbench');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private checkAllTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Dataset path -> (model path -> its problem), so that several models' findings merge. */
  private readonly datasetProblems = new Map<string, Map<string, vscode.Diagnostic[]>>();
  /** `dataPath\0modelPath` of the entries above that are a problem of the dataset's header (found with the model file's check). */
  private readonly headerProblems = new Set<string>();

  constructor(
    private readonly index: ModelIndex,
    private readonly client: WorkerClient,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d.uri.fsPath, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document.uri.fsPath, DEBOUNCE_MS)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d.uri.fsPath, 0)),
      // once per burst of changes (a checkout or a copy of many model files), not once per file:
      // each check of all reads every model file
      index.onDidChange(() => this.scheduleCheckAll()),
      index.onDidDelete((p) => this.collection.delete(vscode.Uri.file(p))),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.checkAll()),
    );
  }

  /** Check every model file of the workspace and the datasets they read. */
  async checkAll(): Promise<void> {
    await this.index.scan();
    await Promise.all(this.index.list().map((m) => this.checkModel(m)));
  }

  /** Problems of `uri` now (tests wait on this after an edit instead of sleeping). */
  async refresh(path: string): Promise<readonly vscode.Diagnostic[]> {
    await this.check(path);
    return this.collection.get(vscode.Uri.file(path)) ?? [];
  }

  private scheduleCheckAll(): void {
    clearTimeout(this.checkAllTimer);
    this.checkAllTimer = setTimeout(() => {
      this.checkAllTimer = undefined;
      void this.checkAll();
    }, DEBOUNCE_MS);
  }

  private schedule(path: string, delay: number): void {
    if (!isModelPath(path) && this.index.modelsOf(path).length === 0) return;
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.check(path);
      }, delay),
    );
  }

  private async check(path: string): Promise<void> {
    if (isModelPath(path)) return this.checkModel(path);
    await Promise.all(this.index.modelsOf(path).map((m) => this.checkDataset(m, path)));
  }

  private text(path: string): string | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)?.getText();
  }

  /** True when the user has the model file or its dataset open: only then is the dataset read. */
  private isOpen(path: string): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  }

  private async checkModel(modelPath: string): Promise<void> {
    let text = this.text(modelPath);
    if (text === undefined) {
      try {
        text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(modelPath))).toString('utf8');
      } catch {
        this.collection.delete(vscode.Uri.file(modelPath));
        return;
      }
    }
    if (await isUtf16OnDisk(modelPath)) {
      const message = 'this model file is UTF-16 encoded; save it as UTF-8 to read it (Run EM reads UTF-8 only)';
      this.collection.set(vscode.Uri.file(modelPath), [specDiagnostic({ message, severity: 'error', range: { line: 1, column: 1, endLine: 1, endColumn: 2 } })]);
      return;
    }
    const problems = checkModelFile(text, modelPath);
    const diagnostics = problems.map(specDiagnostic);
    if (!problems.some((p) => p.severity === 'error')) {
      let dataPath: string | undefined;
      try {
        const parsed = parseModelFile(text, modelPath);
        dataPath = parsed.model.data.path;
        const where = parsed.locate(['data', 'path']) ?? parsed.locate(['data']);
        const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(modelPath))?.uri.fsPath ?? dirname(modelPath);
        const escape = await dataPathEscape(dataPath, folder);
        const kind = escape ? undefined : await stat(dataPath).then((s) => (s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other'), () => 'missing');
        if (escape) {
          // a file outside the folder is not read here (not even its header): Run EM asks first
          diagnostics.push(specDiagnostic({ message: `${describeEscape(escape)}: Run EM will ask before reading it`, severity: 'warning', range: where ?? { line: 1, column: 1, endLine: 1, endColumn: 2 } }));
        } else if (kind !== 'file') {
          const what = kind === 'folder' ? 'is a folder: "data.path" must name a CSV/TSV file' : 'does not exist';
          diagnostics.push(specDiagnostic({ message: `the data file ${dataPath} ${what}`, severity: 'error', range: where ?? { line: 1, column: 1, endLine: 1, endColumn: 2 } }));
        } else {
          const header = await readHeader(dataPath, parsed.model.data.delimiter !== undefined ? { delimiter: parsed.model.data.delimiter } : {});
          if (this.headerProblems.delete(`${dataPath}\0${modelPath}`)) this.setDatasetProblems(modelPath, dataPath, []);
          diagnostics.push(...checkModelAgainstHeader(parsed, header).map(specDiagnostic));
          // the worker starts lazily: a dataset is read when its model or itself is open, not at activation
          if (this.isOpen(modelPath) || this.isOpen(dataPath)) void this.checkDataset(modelPath, dataPath);
        }
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        if (dataPath !== undefined && e.file === dataPath) {
          // a problem of the dataset's header (empty, duplicate names, UTF-16): at its place in the dataset
          this.headerProblems.add(`${dataPath}\0${modelPath}`);
          this.setDatasetProblems(modelPath, dataPath, [inputErrorDiagnostic(e)]);
        } else diagnostics.push(inputErrorDiagnostic(e));
      }
    }
    this.collection.set(vscode.Uri.file(modelPath), diagnostics);
  }

  private async checkDataset(modelPath: string, dataPath: string): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === dataPath);
    const text = doc?.isDirty ? doc.getText() : undefined;
    if (text === undefined) {
      const size = await stat(dataPath).then((s) => s.size, () => -1);
      if (size < 0 || size > DATASET_CHECK_MAX_BYTES) return;
    } else if (text.length > DATASET_CHECK_MAX_BYTES) return;
    let diagnostics: vscode.Diagnostic[] = [];
    let fromHeader = false;
    try {
      const reply = await this.client.request<CheckDatasetRequest>({ type: 'checkDataset', modelPath, ...(text !== undefined ? { text } : {}) });
      if (reply.problem && reply.problem.file === reply.dataPath) diagnostics = [inputErrorDiagnostic(reply.problem)];
    } catch (e) {
      // the dataset's header is bad (the worker checks it before the rows): at its place there;
      // else the model file itself is bad (its own diagnostics say so) or the worker stopped: no finding
      if (e instanceof InputError && e.file === dataPath) diagnostics = [inputErrorDiagnostic(e)];
      fromHeader = diagnostics.length > 0;
    }
    if (fromHeader) this.headerProblems.add(`${dataPath}\0${modelPath}`);
    else this.headerProblems.delete(`${dataPath}\0${modelPath}`);
    this.setDatasetProblems(modelPath, dataPath, diagnostics);
  }

  /** The problems `modelPath`'s reading finds in `dataPath`, merged with other models' findings there. */
  private setDatasetProblems(modelPath: string, dataPath: string, diagnostics: vscode.Diagnostic[]): void {
    const byModel = this.datasetProblems.get(dataPath) ?? new Map<string, vscode.Diagnostic[]>();
    byModel.set(modelPath, diagnostics);
    this.datasetProblems.set(dataPath, byModel);
    const merged = new Map<string, vscode.Diagnostic>();
    for (const list of byModel.values()) for (const d of list) merged.set(`${d.range.start.line}:${d.range.start.character}:${d.message}`, d);
    this.collection.set(vscode.Uri.file(dataPath), [...merged.values()]);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    clearTimeout(this.checkAllTimer);
    for (const d of this.disposables) d.dispose();
  }
}
