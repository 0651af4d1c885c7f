/**
 * A model file against its dataset's header (which comes from the data file, so it is a
 * separate step from parsing): every column the model names must be in the header. Problems
 * point into the model file, at the name that is wrong.
 */
import { basename } from 'node:path';
import { headerLooksLikeData } from '../data/datasetAssembler';
import { quoteList, quoteText } from '../data/quotedText';
import type { JsonPath, ParsedModelFile } from './modelFile';
import { type SourceRange, type SpecProblem, sortProblems } from './specProblem';

/** Problems with the columns `parsed` names, given the data file's header (in file order). */
export function checkModelAgainstHeader(parsed: ParsedModelFile, header: readonly string[]): SpecProblem[] {
  const { model } = parsed;
  const available = new Set(header);
  const dataFile = basename(model.data.path);
  const listing = quoteList(header) + headerHint(header, model.data.delimiter);
  const problems: SpecProblem[] = [];
  const wholeFile: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 2 };
  const report = (range: SourceRange | undefined, message: string, severity: 'error' | 'warning' = 'error'): void => {
    problems.push({ severity, message, range: range ?? wholeFile });
  };
  const requireColumn = (column: string, path: JsonPath, role: string): void => {
    if (!available.has(column)) report(parsed.locate(path), `${role}${quoteText(column)} is not a column of ${dataFile}; its columns are: ${listing}`);
  };

  const data = model.data;
  data.columns?.forEach((col, i) => requireColumn(col, ['data', 'columns', i], 'column '));
  if (data.weight !== undefined) requireColumn(data.weight, ['data', 'weight'], 'the weight column ');
  if (data.sequence !== undefined) requireColumn(data.sequence, ['data', 'sequence'], 'the sequence column ');

  const spec = model.model;
  switch (spec.kind) {
    case 'bayesnet':
      for (const [name, v] of Object.entries(spec.variables)) {
        if (v.hidden) {
          if (available.has(name)) report(parsed.locateKey(['model', 'variables', name]), `${name} is hidden, so column ${JSON.stringify(name)} of ${dataFile} is not used`, 'warning');
          continue;
        }
        const column = v.column ?? name;
        if (available.has(column)) continue;
        if (v.column !== undefined) requireColumn(column, ['model', 'variables', name, 'column'], `column `);
        else report(parsed.locateKey(['model', 'variables', name]), `variable ${name} reads column ${JSON.stringify(name)}, which is not in ${dataFile} (give "column" to read another; its columns are: ${listing})`);
      }
      break;
    case 'latent-class':
      spec.columns.forEach((col, i) => requireColumn(col, ['model', 'columns', i], 'column '));
      break;
    case 'gaussian-mixture':
    case 'hmm':
      break;
    default: {
      const never: never = spec;
      throw new Error(`unknown model kind ${String(never)}`);
    }
  }
  return sortProblems(problems);
}

/**
 * Why a header may not hold the names the model expects, when its shape says so: a first row
 * of numbers (no header row), one column holding another delimiter, or binary text.
 */
function headerHint(header: readonly string[], delimiter: string | undefined): string {
  if (header.some((h) => /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(h))) {
    return ' (the header holds control characters or bytes that are not UTF-8: is this a text CSV/TSV file, not a compressed or binary one?)';
  }
  if (headerLooksLikeData(header)) return ' (the first row holds only numbers: the file seems to have no header row; add a first line with the column names)';
  if (header.length === 1) {
    const other = [';', '\t', '|', ','].find((d) => d !== delimiter && header[0].includes(d));
    if (other !== undefined) return ` (the header is one column that holds ${JSON.stringify(other)}: if that separates the columns, set "data.delimiter": ${JSON.stringify(other)})`;
  }
  return '';
}
