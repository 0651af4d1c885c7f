/**
 * Which field of a CSV/TSV record a character offset is in, with the same quoting rules as the
 * reader (RFC 4180: a field that starts with `"` runs to the closing quote, `""` is a quote
 * inside it, and may hold delimiters and line breaks). For dataset hovers: the text given
 * starts at the first line of the record, so a record with quoted line breaks is handled.
 */

export interface FieldAt {
  /** 0-based field index in the record. */
  readonly index: number;
  /** Offsets of the field's raw text in the given text, [start, end). */
  readonly start: number;
  readonly end: number;
  /** The field's value: unquoted, `""` turned into `"`. */
  readonly value: string;
}

/** The field of the record starting at text[0] that contains `offset`; undefined past the record's end. */
export function fieldAt(text: string, offset: number, delimiter: string): FieldAt | undefined {
  let index = 0;
  let i = 0;
  for (;;) {
    const start = i;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      // characters after the closing quote up to the delimiter belong to the field (lenient)
      while (i < text.length && !text.startsWith(delimiter, i) && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    } else {
      while (i < text.length && !text.startsWith(delimiter, i) && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    const end = i;
    if (offset >= start && offset <= end) return { index, start, end, value };
    if (i >= text.length || text[i] === '\n' || text[i] === '\r') return undefined;
    i += delimiter.length;
    index++;
  }
}

/** Header names of a one-line header (quoted names unquoted). */
export function fieldNames(line: string, delimiter: string): string[] {
  const names: string[] = [];
  let offset = 0;
  for (;;) {
    const f = fieldAt(line, offset, delimiter);
    if (!f) break;
    names.push(f.value);
    if (f.end >= line.length) break;
    offset = f.end + delimiter.length;
  }
  return names;
}
