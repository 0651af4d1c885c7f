/**
 * The extensionTestsPath of the Restricted Mode run (scripts/host/run-host-tests.js): VS Code
 * loads this inside the extension host of a window whose folder is not trusted and calls run().
 * Mocha (tdd) runs the suites in the order below, because the last one makes a run (past the
 * gate) and the ones before it check that nothing has run; any other *.test.js beside this file
 * runs after them. Counts go to EMW_HOST_RESULT as in test/host/index.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMocha } from '../host/mochaRun';

/** Suites in the order they must run: nothing may have run before the last one. */
const ORDER = ['mode', 'problems', 'hovers', 'gate', 'storedRun'];


export async function run(): Promise<void> {
  const rank = (f: string): number => {
    const i = ORDER.indexOf(path.basename(f, '.test.js'));
    return i < 0 ? ORDER.length : i;
  };
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((f) => path.join(__dirname, f));
  const counts = await runMocha(files, 60000);
  const resultFile = process.env.EMW_HOST_RESULT;
  if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(counts));
  for (const f of counts.failures) console.log(`FAILED ${f}`);
  console.log(`Restricted Mode: ${counts.passed} passed, ${counts.failed} failed`);
  if (counts.failed > 0) throw new Error(`${counts.failed} Restricted Mode host tests failed`);
}
