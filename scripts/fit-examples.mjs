#!/usr/bin/env node
// `npm run examples`: fit every bundled example from the terminal with the CLI, the tutorial's
// two examples in the tutorial's layout (example 1's three ways of handling the missing cell,
// example 2's iterations 1, 2, 5 and 10).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const special = {
  'examples/tutorial/example1.em.json': [['--compare-missing-data']],
  'examples/tutorial/example2.em.json': [['--iterations-table=1,2,5,10']],
};
function models(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...models(p));
    else if (name.endsWith('.em.json')) out.push(p);
  }
  return out;
}
let failed = 0;
for (const model of models(join(root, 'examples'))) {
  const rel = relative(root, model);
  for (const extra of special[rel] ?? [[]]) {
    const args = ['fit', rel, ...extra];
    console.log(`\n$ node dist/cli.js ${args.join(' ')}\n`);
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
