/** Running mocha inside the extension host, for both in-host runs (test/host, test/host-restricted). */
import Mocha from 'mocha';

export interface Counts {
  passed: number;
  failed: number;
  failures: string[];
}

/** Run the files' suites in order; EMW_HOST_GREP runs only the tests whose full title matches (local iteration). */
export function runMocha(files: string[], timeout: number): Promise<Counts> {
  const grep = process.env.EMW_HOST_GREP;
  const mocha = new Mocha({ ui: 'tdd', timeout, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve) => {
    const failures: string[] = [];
    let passed = 0;
    // counted from the events: a failed "before all" hook fails once and skips its tests
    const runner = mocha.run(() => resolve({ passed, failed: failures.length, failures }));
    runner.on('pass', () => passed++);
    runner.on('fail', (test, err: Error) => failures.push(`${test.fullTitle()}: ${err.message}`));
  });
}
