/**
 * A table as plain data: what the DOM renderer (render/tableElement.ts) turns into a <table>
 * with textContent only, and what the unit tests read. Building tables as data keeps the
 * formatting rules testable without a browser.
 */

export interface Cell {
  /** What the cell shows (always rendered as text, never as HTML). */
  readonly text: string;
  /** Hover text: the exact value and how it changed. */
  readonly title?: string;
  /** Numbers align right; labels left. */
  readonly numeric?: boolean;
  /** Highlight (the best row, a marked value). */
  readonly emphasis?: boolean;
  /** A stable hook for tests and the e2e run (`data-cell`). */
  readonly key?: string;
}

export interface TableModel {
  /** Heading shown above the table. */
  readonly caption: string;
  /** Column headers. */
  readonly header: readonly string[];
  /** The first cell of each row is a row header (<th scope="row">). */
  readonly rowHeaders: boolean;
  readonly rows: readonly (readonly Cell[])[];
  /** A stable hook for tests and the e2e run (`data-table`). */
  readonly key?: string;
}

export function textCell(text: string, extra: Omit<Cell, 'text'> = {}): Cell {
  return { text, ...extra };
}
