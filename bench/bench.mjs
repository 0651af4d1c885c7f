#!/usr/bin/env node
// `npm run bench -- [options]`: build every entry (scripts/build.mjs; EMW_OUT / EMW_DIST move the
// output folders, as for every build here), then run the benchmark suite
// (bench/suite/benchSuite.ts) with the options. `--no-build` runs the build that is there.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const suite = join(root, process.env.EMW_OUT || 'out', 'bench', 'suite', 'benchSuite.js');
const run = spawnSync(process.execPath, [suite, ...args], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
