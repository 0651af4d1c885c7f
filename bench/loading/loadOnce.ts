/**
 * One timed load in a fresh process (the loading benchmark runs this as a child, under
 * /usr/bin/time when present): reads FILE with the named reader and prints one JSON line with
 * the CPU and wall seconds of the read call alone, the process's peak RSS, and a checksum of
 * the values (so that every reader is seen to read the same numbers).
 *
 *   node out/bench/loading/loadOnce.js READER FILE
 *   READER: fast (readDataset: the byte scanner) | csv-parse (the csv-parse path it replaced)
 */
import { readDataset, readDatasetWithCsvParse } from '../../src/data/csvReader';
import type { Dataset } from '../../src/data/dataset';

type Reader = (path: string) => Promise<Dataset>;

// Every column inferred (no kinds declared), as a model file that names no categorical columns reads it.
const readers: Record<string, Reader> = {
  fast: (path) => readDataset(path, { missing: ['', 'NA'] }),
  'csv-parse': (path) => readDatasetWithCsvParse(path, { missing: ['', 'NA'] }),
};

function checksum(ds: Dataset): number {
  let s = 0;
  for (const c of ds.columns) {
    if (c.kind === 'numeric') for (let i = 0; i < c.values.length; i++) s += c.values[i];
    else for (let i = 0; i < c.codes.length; i++) s += c.codes[i];
  }
  return s;
}

async function main(): Promise<void> {
  const [name, path] = process.argv.slice(2);
  const read = readers[name];
  if (!read || !path) throw new Error(`usage: loadOnce.js (${Object.keys(readers).join('|')}) FILE`);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const ds = await read(path);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const usage = process.resourceUsage();
  const result = {
    reader: name,
    rows: ds.rowCount,
    columns: ds.columns.length,
    checksum: checksum(ds),
    readCpuSeconds: (cpu.user + cpu.system) / 1e6,
    readWallSeconds: wall,
    peakRssMb: usage.maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
