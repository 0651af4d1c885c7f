/**
 * The engine from a terminal: `node dist/cli.js fit MODEL.em.json [options]` (DESIGN.md).
 * Exit 0 on success; 1 on bad input or a failed fit, with one line `file:line:col: message`
 * on stderr; 2 on a usage error. Never a stack trace for the user's mistakes.
 */
import { isAbsolute, relative } from 'node:path';
import { parseArgs, UsageError, USAGE } from './cli/args';
import type { FitCommand } from './cli/args';
import { formatIterations, formatMissingDataComparison, formatResult } from './cli/format';
import { runFitJob, writePosteriorsCsv } from './worker/fitJob';
import { InputError, CancelledError } from './shared/errors';
import type { FitResult } from './shared/results';

declare const EMW_VERSION: string | undefined;

async function fit(cmd: FitCommand): Promise<void> {
  if (cmd.compareMissingData) {
    const results = {} as Record<'drop' | 'fill-mode' | 'em', FitResult>;
    for (const strategy of ['drop', 'fill-mode', 'em'] as const) {
      results[strategy] = (await runFitJob(cmd.model, { ...cmd.overrides, missingData: strategy })).result;
    }
    process.stdout.write(cmd.json ? JSON.stringify(results, null, 2) + '\n' : formatMissingDataComparison(results) + '\n');
    return;
  }
  const job = await runFitJob(cmd.model, { ...cmd.overrides, ...(cmd.iterationsTable ? { snapshots: true } : {}) });
  if (cmd.posteriors) await writePosteriorsCsv(job.posteriors, cmd.posteriors);
  if (cmd.json) {
    process.stdout.write(JSON.stringify(job.result, null, 2) + '\n');
    return;
  }
  let text = formatResult(job.result, relative(process.cwd(), job.model.data.path) || job.model.data.path);
  if (cmd.iterationsTable) text = formatIterations(job.result, cmd.iterationsTable) + '\n\n' + '='.repeat(72) + '\n' + text;
  if (cmd.posteriors) text += `\n\nposteriors written to ${cmd.posteriors} (${job.posteriors.rowCount} rows)`;
  process.stdout.write(text + '\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        process.stdout.write((typeof EMW_VERSION === 'string' ? EMW_VERSION : 'dev') + '\n');
        return 0;
      case 'fit':
        await fit(cmd);
        return 0;
      default: {
        const never: never = cmd;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`em-workbench: ${e.message}\n${USAGE.split('\n')[0]}\n`);
      return 2;
    }
    if (e instanceof InputError) {
      // name files as the user would type them: relative to the working folder when inside it
      const rel = e.file && isAbsolute(e.file) ? relative(process.cwd(), e.file) : e.file;
      const shown = rel && !rel.startsWith('..') ? new InputError(e.message, { file: rel, line: e.line, column: e.column, endColumn: e.endColumn }) : e;
      process.stderr.write(shown.format() + '\n');
      return 1;
    }
    if (e instanceof CancelledError) {
      process.stderr.write('cancelled\n');
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`em-workbench: the fit failed: ${err && err.message ? err.message : String(e)}\n`);
    if (process.env.EMW_DEBUG) process.stderr.write(String(err && err.stack) + '\n');
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
