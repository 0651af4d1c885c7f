/**
 * Cell text and column names as messages quote them. A message is one line on a terminal or
 * in a diagnostic: a 100 MB cell or a header of 10,000 names must not become a 100 MB line, so
 * long text is cut (with its length said) and long lists name the first few and count the rest.
 */

/** Longest text quoted whole; longer text shows its first QUOTED_PREFIX characters. */
const QUOTED_MAX = 80;
const QUOTED_PREFIX = 40;
/** Names listed before "... and N more". */
const LISTED_MAX = 20;

/** `"text"` (JSON-quoted, so that control characters show), cut when long: `"abc…" (1,048,576 characters)`. */
export function quoteText(text: string): string {
  if (text.length <= QUOTED_MAX) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, QUOTED_PREFIX) + '…')} (${text.length.toLocaleString('en-US')} characters)`;
}

/** `"a", "b", "c"`, or the first 20 and `... and 9,980 more` for a long list. */
export function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_MAX).map(quoteText).join(', ');
  return names.length <= LISTED_MAX ? shown : `${shown}, ... and ${(names.length - LISTED_MAX).toLocaleString('en-US')} more`;
}
