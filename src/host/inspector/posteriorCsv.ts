/**
 * The per-row posterior table as CSV (RFC 4180 quoting), streamed page by page from the data
 * source so that a million rows never sit in memory as one string. Numbers keep every digit
 * (JavaScript's shortest round-trip form); empty cells stay empty.
 */
import type { PosteriorPage } from '../../shared/runs';

export function csvField(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly (number | string | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

export type PageFetcher = (offset: number, limit: number) => Promise<PosteriorPage>;

/**
 * Fetch every page in data order and hand CSV text to `write`, a page at a time. Returns the
 * number of data rows written. Stops between pages when `isCancelled` says so (throwing).
 */
export async function streamPosteriorCsv(fetch: PageFetcher, write: (chunk: string) => Promise<void>, options: { pageSize?: number; isCancelled?: () => boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<number> {
  const pageSize = options.pageSize ?? 5000;
  let offset = 0;
  let total = Infinity;
  let written = 0;
  while (offset < total) {
    if (options.isCancelled?.()) throw new Error('export cancelled');
    const page = await fetch(offset, pageSize);
    if (offset === 0) await write(csvLine(page.columns));
    total = page.total;
    if (page.rows.length === 0) break; // a source that returns fewer rows than it announced
    let chunk = '';
    for (const row of page.rows) chunk += csvLine(row);
    await write(chunk);
    written += page.rows.length;
    offset += page.rows.length;
    options.onProgress?.(written, total);
  }
  return written;
}
