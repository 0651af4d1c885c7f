/**
 * Problems found in a model file, each at a source range, for the editor's diagnostics and the
 * CLI's `file:line:col: message`. Lines and columns are 1-based; columns count UTF-16 code
 * units (as VS Code's positions do, plus one); `endColumn` is exclusive.
 */
import { InputError } from '../shared/errors';

export interface SourceRange {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Exclusive. */
  readonly endColumn: number;
}

export type SpecSeverity = 'error' | 'warning';

export interface SpecProblem {
  readonly message: string;
  readonly severity: SpecSeverity;
  readonly range: SourceRange;
}

/** Offsets in a text to 1-based lines and columns (line breaks: \r\n, \n, \r). */
export class LineMap {
  /** Offset where each line starts; lineStarts[0] = 0. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    offset = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** The range of [offset, offset + length). */
  range(offset: number, length: number): SourceRange {
    const start = this.position(offset);
    const end = this.position(offset + Math.max(0, length));
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  /** Exclusive end column of 1-based `line` (its length + 1, line break excluded). */
  lineEndColumn(line: number): number {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    let end = start;
    while (end < this.text.length && this.text.charCodeAt(end) !== 10 && this.text.charCodeAt(end) !== 13) end++;
    return end - start + 1;
  }
}

/** Problems in reading order: by position, then in the order they were found. */
export function sortProblems(problems: readonly SpecProblem[]): SpecProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.range.line - b.p.range.line || a.p.range.column - b.p.range.column || a.i - b.i)
    .map(({ p }) => p);
}

/** A problem as an InputError (its span clipped to its first line, as InputError has one line). */
export function problemToInputError(problem: SpecProblem, file: string, lines?: LineMap): InputError {
  const { range } = problem;
  const endColumn = range.endLine === range.line ? range.endColumn : (lines?.lineEndColumn(range.line) ?? range.column);
  return new InputError(problem.message, { file, line: range.line, column: range.column, endColumn });
}
