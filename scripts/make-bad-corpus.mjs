#!/usr/bin/env node
// The bad inputs too large to commit (test/fixtures/bad holds the rest), written at test time:
//   node scripts/make-bad-corpus.mjs OUT_DIR
// writes the data and model files into OUT_DIR and OUT_DIR/cases.json, a manifest in the
// format of test/fixtures/bad/cases.json (see test/unit/badInputSupport.ts), with paths
// relative to OUT_DIR. Run by test/unit/badInputGenerated.test.ts.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/make-bad-corpus.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const cases = [];
const json = (o) => JSON.stringify(o, null, 2) + '\n';
const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---- 10,000 columns ------------------------------------------------------------------------
// 20 rows of c0 .. c9999; the values are small multiples of 0.1 so that every column varies.
const WIDE = 10000;
const names = Array.from({ length: WIDE }, (_, j) => `c${j}`);
const wideRow = (r) => names.map((_, j) => ((r * 7 + j * 3) % 11) / 10).join(',');
const wideRows = Array.from({ length: 20 }, (_, r) => wideRow(r));
writeFileSync(join(out, 'wide.csv'), [names.join(','), ...wideRows].join('\n') + '\n');

writeFileSync(join(out, 'wide-two-columns.em.json'), json({ data: { path: 'wide.csv', columns: ['c0', 'c9999'] }, model: { kind: 'gaussian-mixture', components: 2 }, fit: { maxIterations: 50 } }));
cases.push({ id: 'generated-wide-two-columns', about: '10,000 columns, two of them modelled: reads fine', model: 'wide-two-columns.em.json', exit: 0 });

writeFileSync(join(out, 'wide-latent-class.em.json'), json({ data: 'wide.csv', model: { kind: 'latent-class', classes: 2, columns: ['c1', 'c5000', 'c9998'] }, fit: { maxIterations: 50 } }));
cases.push({ id: 'generated-wide-latent-class', about: '10,000 columns, three of them as categorical latent-class items: reads fine', model: 'wide-latent-class.em.json', exit: 0 });

writeFileSync(join(out, 'wide-unknown-column.em.json'), json({ data: { path: 'wide.csv', columns: ['c0', 'c10000'] }, model: { kind: 'gaussian-mixture', components: 2 } }));
cases.push({ id: 'generated-wide-unknown-column', about: '10,000 columns and a model naming one more: the message lists a few names, not 10,000', model: 'wide-unknown-column.em.json', exit: 1, where: '^wide-unknown-column\\.em\\.json:6:7$', message: '... and 9,980 more', maxStderrBytes: 2000 });

writeFileSync(join(out, 'wide-every-column.em.json'), json({ data: 'wide.csv', model: { kind: 'gaussian-mixture', components: 2, covariance: 'full' }, fit: { maxIterations: 5 } }));
cases.push({ id: 'generated-wide-every-column', about: 'a full-covariance mixture over all 10,000 columns: refused before allocating gigabytes', model: 'wide-every-column.em.json', exit: 1, where: '^wide-every-column\\.em\\.json$', message: 'choose the columns to model with data.columns' });

// the last field of a 10,000-field row is one too many: reported at its column far to the right
const ragged = [names.join(','), ...wideRows.slice(0, 5), wideRows[5] + ',0.5', ...wideRows.slice(6)];
writeFileSync(join(out, 'wide-ragged.csv'), ragged.join('\n') + '\n');
writeFileSync(join(out, 'wide-ragged.em.json'), json({ data: { path: 'wide-ragged.csv', columns: ['c0', 'c1'] }, model: { kind: 'gaussian-mixture', components: 2 } }));
cases.push({ id: 'generated-wide-ragged', about: 'a row with 10,001 fields under a 10,000-column header', model: 'wide-ragged.em.json', exit: 1, where: `^${escape(`wide-ragged.csv:7:${wideRows[5].length + 2}`)}$`, message: 'field 10001 is one too many' });

// duplicate name in the last of 10,000 columns
writeFileSync(join(out, 'wide-duplicate.csv'), [[...names.slice(0, WIDE - 1), 'c17'].join(','), ...wideRows].join('\n') + '\n');
writeFileSync(join(out, 'wide-duplicate.em.json'), json({ data: { path: 'wide-duplicate.csv', columns: ['c0', 'c1'] }, model: { kind: 'gaussian-mixture', components: 2 } }));
cases.push({ id: 'generated-wide-duplicate', about: 'the 10,000th column repeats the name of the 18th', model: 'wide-duplicate.em.json', exit: 1, where: `^${escape(`wide-duplicate.csv:1:${names.slice(0, WIDE - 1).join(',').length + 2}`)}$`, message: 'duplicate column name "c17" (also column 18)' });

// ---- a 100 MB line ----------------------------------------------------------------------------
// Line 3 holds one cell of 100 MiB of letters in a numeric column: an error at line 3, column 1,
// whose message quotes the start of the cell, not all of it.
const MB = 1 << 20;
const fd = openSync(join(out, 'long-line.csv'), 'w');
writeSync(fd, 'x,y\n1.5,2\n');
const chunk = Buffer.alloc(MB, 'ab');
for (let i = 0; i < 100; i++) writeSync(fd, chunk);
writeSync(fd, ',3\n4.5,5\n');
closeSync(fd);
writeFileSync(join(out, 'long-line.em.json'), json({ data: { path: 'long-line.csv', columns: ['x', 'y'] }, model: { kind: 'gaussian-mixture', components: 1 } }));
cases.push({ id: 'generated-100-mb-line', about: 'a 100 MiB cell on one line in a numeric column', model: 'long-line.em.json', exit: 1, where: '^long-line\\.csv:3:1$', message: '(104,857,600 characters) in column "x" is not a number', maxStderrBytes: 1000 });

writeFileSync(join(out, 'cases.json'), JSON.stringify(cases, null, 1) + '\n');
