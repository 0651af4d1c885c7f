/**
 * A user-facing input error: a bad model file, a bad dataset, an impossible model.
 * It names where the problem is (file, 1-based line and column) so that the CLI can print
 * `file:line:col: message` and the extension can put a diagnostic at that spot.
 * Internal bugs are plain `Error`s and are never shown as input errors.
 */
export class InputError extends Error {
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  /** 1-based end (exclusive) of the offending span on `line`, when known (for diagnostics). */
  readonly endColumn: number;
  /**
   * For an error about the model file found after parsing (by the engine, which sees no text):
   * the JSON path of the offending value, e.g. ["init", "A", "H=0"]. The fit job turns it into
   * a line and column of the model file.
   */
  readonly jsonPath?: readonly (string | number)[];

  constructor(message: string, where: { file?: string; line?: number; column?: number; endColumn?: number; jsonPath?: readonly (string | number)[] } = {}) {
    super(message);
    this.name = 'InputError';
    this.file = where.file ?? '';
    this.line = where.line ?? 0;
    this.column = where.column ?? 0;
    this.endColumn = where.endColumn ?? (where.column ?? 0);
    if (where.jsonPath) this.jsonPath = where.jsonPath;
  }

  /** `file:line:col: message`, leaving out the parts that are unknown. */
  format(): string {
    let at = this.file;
    if (this.line > 0) at += `:${this.line}`;
    if (this.line > 0 && this.column > 0) at += `:${this.column}`;
    return at ? `${at}: ${this.message}` : this.message;
  }

  toJSON(): SerializedInputError {
    return { name: 'InputError', message: this.message, file: this.file, line: this.line, column: this.column, endColumn: this.endColumn };
  }

  static fromJSON(e: SerializedInputError): InputError {
    return new InputError(e.message, e);
  }
}

/** The plain-data form of an InputError, as it crosses a thread or a process boundary. */
export interface SerializedInputError {
  readonly name: 'InputError';
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** Thrown by the driver when a fit is cancelled; the partial result travels with it. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
