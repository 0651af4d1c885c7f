// The posterior table's window arithmetic and page cache: which rows a scroll position shows
// (also past the browsers' element-height limit, where the scroll range is scaled), keyboard
// moves, and the LRU cache of pages with generations for re-sorting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PageCache } from '../../webview/src/model/pageCache';
import { contentHeight, rowAfterKey, scrollScale, scrollTopForRow, scrollTopToReveal, visibleWindow, MAX_SCROLL_HEIGHT, type ScrollGeometry } from '../../webview/src/model/virtualWindow';

const small: ScrollGeometry = { total: 100, rowHeight: 24, viewportHeight: 240 };
const million: ScrollGeometry = { total: 1_000_000, rowHeight: 24, viewportHeight: 420 };

test('a table that fits under the cap scrolls 1:1', () => {
  assert.equal(contentHeight(small), 2400);
  assert.equal(scrollScale(small), 1);
  assert.deepEqual(visibleWindow(0, small, 0), { first: 0, end: 10, top: 0, firstVisible: 0 });
  // half a row scrolled: rows 0..10 partly visible, row 0 placed at its own top
  assert.deepEqual(visibleWindow(12, small, 0), { first: 0, end: 11, top: 0, firstVisible: 0 });
  assert.deepEqual(visibleWindow(240, small, 2), { first: 8, end: 22, top: 8 * 24, firstVisible: 10 });
  // the end: scrollTop clamped to the last full view
  const end = visibleWindow(1e9, small, 0);
  assert.equal(end.end, 100);
  assert.equal(end.firstVisible, 90);
});

test('a million rows: the scroll range is capped and scaled, and every row is reachable', () => {
  assert.equal(contentHeight(million), MAX_SCROLL_HEIGHT);
  const scale = scrollScale(million);
  assert.ok(scale > 5 && scale < 7, `scale ${scale}`);
  const bottom = MAX_SCROLL_HEIGHT - million.viewportHeight;
  const last = visibleWindow(bottom, million, 0);
  assert.equal(last.end, 1_000_000);
  // 420 px show 17.5 rows: the last view starts half way into row 1,000,000 - 18
  assert.equal(last.firstVisible, 1_000_000 - 18);
  // the rows of the last view are placed inside the spacer, ending at its bottom
  assert.ok(Math.abs(last.top + (last.end - last.first) * 24 - MAX_SCROLL_HEIGHT) < 1e-6, `${last.top}`);
  // only a window's worth of rows is ever rendered
  const mid = visibleWindow(2_000_000, million, 4);
  assert.ok(mid.end - mid.first <= Math.ceil(420 / 24) + 1 + 8);
});

test('scrollTopForRow puts the row at the top, for small and scaled tables (property)', () => {
  for (const g of [small, million, { total: 12_345, rowHeight: 22, viewportHeight: 300, maxScrollHeight: 50_000 }]) {
    const lastTop = g.total - Math.floor(g.viewportHeight / g.rowHeight);
    fc.assert(fc.property(fc.integer({ min: 0, max: Math.max(0, lastTop - 1) }), (row) => {
      const w = visibleWindow(scrollTopForRow(row, g), g, 0);
      return w.firstVisible === row;
    }), { numRuns: 300 });
  }
});

test('the rendered window always covers the viewport (property)', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 50, max: 1200 }), fc.double({ min: 0, max: 1, noNaN: true }),
    (total, rowHeight, viewportHeight, at) => {
      const g = { total, rowHeight, viewportHeight };
      const scrollTop = at * Math.max(0, contentHeight(g) - viewportHeight);
      const w = visibleWindow(scrollTop, g, 0);
      const rowsTop = w.top - scrollTop; // first rendered row's top, relative to the viewport
      const rowsBottom = rowsTop + (w.end - w.first) * rowHeight;
      const needed = Math.min(viewportHeight, total * rowHeight);
      return w.first >= 0 && w.end <= total && rowsTop <= 1e-6 && rowsBottom >= needed - 1e-6;
    },
  ), { numRuns: 500 });
});

test('keys move the active row; reveal scrolls only as far as needed', () => {
  assert.equal(rowAfterKey('ArrowDown', 5, small), 6);
  assert.equal(rowAfterKey('ArrowUp', 0, small), 0);
  assert.equal(rowAfterKey('PageDown', 0, small), 9);
  assert.equal(rowAfterKey('End', 3, small), 99);
  assert.equal(rowAfterKey('Home', 50, small), 0);
  assert.equal(rowAfterKey('a', 3, small), undefined);
  // row 12 is below a view that starts at 0 (rows 0..9): scroll so it is the last visible
  assert.equal(scrollTopToReveal(12, 0, small), 13 * 24 - 240);
  // already visible: unchanged
  assert.equal(scrollTopToReveal(5, 0, small), 0);
  // above the view: to its top
  assert.equal(scrollTopToReveal(2, 240, small), 48);
  // scaled: revealing the last row reaches the bottom of the scroll range
  const top = scrollTopToReveal(999_999, 0, million);
  assert.equal(visibleWindow(top, million, 0).end, 1_000_000);
});

test('the page cache: pages for a window, pending requests, LRU eviction', () => {
  const cache = new PageCache<number>(200, 3);
  assert.deepEqual(cache.pagesFor(150, 450), [0, 1, 2]);
  assert.deepEqual(cache.missing(150, 450), [0, 1, 2]);
  cache.markPending(1);
  assert.deepEqual(cache.missing(150, 450), [0, 2]);
  const g = cache.generation;
  for (const p of [0, 1, 2]) assert.equal(cache.put(p, Array.from({ length: 200 }, (_, i) => p * 200 + i), g), true);
  assert.equal(cache.row(399), 399);
  assert.equal(cache.row(0), 0); // page 0 becomes the most recent
  cache.put(3, Array.from({ length: 200 }, (_, i) => 600 + i), g);
  assert.equal(cache.cachedPages, 3);
  assert.equal(cache.row(450), undefined, 'page 2 was the least recently used and was evicted');
  assert.equal(cache.row(10), 10);
});

test('the page cache drops answers of an older sort order', () => {
  const cache = new PageCache<string>(10, 4);
  const before = cache.generation;
  cache.markPending(0);
  cache.reset();
  assert.equal(cache.put(0, ['stale'], before), false);
  assert.equal(cache.row(0), undefined);
  assert.deepEqual(cache.missing(0, 10), [0], 'the pending mark went with the reset');
  cache.markPending(0);
  cache.fail(0, cache.generation);
  assert.deepEqual(cache.missing(0, 10), [0], 'a failed page can be asked again');
  assert.throws(() => new PageCache(0, 1), RangeError);
});
