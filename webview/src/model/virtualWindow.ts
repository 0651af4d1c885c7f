/**
 * Window arithmetic of the virtualized posterior table: which rows a scroll position shows
 * and where they go. Only those rows exist in the DOM, so a million rows cost what forty do.
 *
 * Browsers cap an element's height (Chromium near 33.5 million px, Firefox near 17.9 million),
 * and a million 24 px rows need 24 million. Beyond MAX_SCROLL_HEIGHT the scroll range is
 * scaled: the scrollbar spans contentHeight px, and a scroll position s stands for the virtual
 * position p = s * (virtualHeight - viewport) / (contentHeight - viewport). Rows are placed
 * relative to s so that scrolling by a few pixels still moves them by the same few pixels.
 */

export const MAX_SCROLL_HEIGHT = 4_000_000;

export interface ScrollGeometry {
  /** Number of rows. */
  readonly total: number;
  /** Height of one row in px. */
  readonly rowHeight: number;
  /** Height of the visible area in px. */
  readonly viewportHeight: number;
  /** Cap on the scrollable height (defaults to MAX_SCROLL_HEIGHT). */
  readonly maxScrollHeight?: number;
}

/** Height of the element that makes the scrollbar. */
export function contentHeight(g: ScrollGeometry): number {
  return Math.min(g.total * g.rowHeight, g.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
}

/** Virtual px per scroll px (1 when the table fits under the cap). */
export function scrollScale(g: ScrollGeometry): number {
  const real = contentHeight(g) - g.viewportHeight;
  const virtual = g.total * g.rowHeight - g.viewportHeight;
  return real > 0 && virtual > real ? virtual / real : 1;
}

/** The virtual position (px from the first row's top) shown at the top for scrollTop. */
export function virtualPosition(scrollTop: number, g: ScrollGeometry): number {
  const maxVirtual = Math.max(0, g.total * g.rowHeight - g.viewportHeight);
  return Math.min(maxVirtual, Math.max(0, scrollTop * scrollScale(g)));
}

export interface RowWindow {
  /** First row to render (0-based, includes overscan). */
  readonly first: number;
  /** One past the last row to render. */
  readonly end: number;
  /** Top of row `first` in the content element's coordinates (px). */
  readonly top: number;
  /** First row at least partly visible (no overscan). */
  readonly firstVisible: number;
}

/** The rows to render for `scrollTop`, with `overscan` extra rows on each side. */
export function visibleWindow(scrollTop: number, g: ScrollGeometry, overscan = 4): RowWindow {
  if (g.total <= 0 || g.rowHeight <= 0) return { first: 0, end: 0, top: 0, firstVisible: 0 };
  const clampedTop = Math.max(0, Math.min(scrollTop, Math.max(0, contentHeight(g) - g.viewportHeight)));
  const p = virtualPosition(clampedTop, g);
  // + 1e-7 rows: p went through a division and a multiplication by the scale, which may leave
  // it a hair below a row's top; that must not show the row before
  const firstVisible = Math.min(g.total - 1, Math.floor(p / g.rowHeight + 1e-7));
  const lastVisible = Math.min(g.total - 1, Math.max(firstVisible, Math.ceil((p + g.viewportHeight) / g.rowHeight - 1e-7) - 1));
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(g.total, lastVisible + 1 + overscan);
  // row i's top in content coordinates: (i * rowHeight - p) relative to the viewport, plus scrollTop
  const top = first * g.rowHeight - p + clampedTop;
  return { first, end, top, firstVisible };
}

/** The scrollTop that puts `row` at the top of the view. */
export function scrollTopForRow(row: number, g: ScrollGeometry): number {
  const p = Math.max(0, Math.min(row, g.total - 1)) * g.rowHeight;
  const maxVirtual = Math.max(0, g.total * g.rowHeight - g.viewportHeight);
  return Math.min(p, maxVirtual) / scrollScale(g);
}

/**
 * The scrollTop that brings `row` into view with the least movement (keyboard navigation):
 * unchanged when it is already fully visible.
 */
export function scrollTopToReveal(row: number, scrollTop: number, g: ScrollGeometry): number {
  const p = virtualPosition(scrollTop, g);
  const rowTop = row * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  const scale = scrollScale(g);
  if (rowTop < p) return rowTop / scale;
  if (rowBottom > p + g.viewportHeight) return Math.max(0, rowBottom - g.viewportHeight) / scale;
  return scrollTop;
}

/** The row a keyboard key moves the active row to (arrows, page keys, Home/End). */
export function rowAfterKey(key: string, row: number, g: ScrollGeometry): number | undefined {
  const perPage = Math.max(1, Math.floor(g.viewportHeight / g.rowHeight) - 1);
  const last = g.total - 1;
  const clamp = (r: number): number => Math.max(0, Math.min(last, r));
  switch (key) {
    case 'ArrowDown': return clamp(row + 1);
    case 'ArrowUp': return clamp(row - 1);
    case 'PageDown': return clamp(row + perPage);
    case 'PageUp': return clamp(row - perPage);
    case 'Home': return 0;
    case 'End': return Math.max(0, last);
    default: return undefined;
  }
}
