/**
 * The facts a benchmark table needs beside it: the machine (cores, CPU model, memory, load
 * average at the start), Node's version, and each peer's version as installed (which also says
 * whether it is installed), with the BLAS kernel numpy's OpenBLAS picks in the peers' environment.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** Debian's python holds the peers (the pyenv python on PATH does not); EMW_PYTHON points elsewhere. */
export const PYTHON = process.env.EMW_PYTHON ?? '/usr/bin/python3';
export const RSCRIPT = process.env.EMW_RSCRIPT ?? 'Rscript';

/**
 * The peers' environment: one BLAS/OpenMP thread (as PERFORMANCE.md measures them), and
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset together: set on some processors for older
 * OpenBLAS builds, they slow a current numpy. Only these child processes lose them.
 */
export function peerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export interface PythonPeers {
  readonly python?: string;
  readonly numpy?: string;
  readonly pandas?: string;
  readonly sklearn?: string;
  readonly pomegranate?: string;
  /** threadpoolctl's view of the BLAS numpy loads: "openblas 0.3.21 Zen, 1 thread". */
  readonly blas?: string;
}

export interface RPeers {
  readonly r?: string;
  readonly mclust?: string;
  readonly reader?: string;
}

export interface MachineFacts {
  readonly date: string;
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAverageAtStart: readonly number[];
  readonly node: string;
  readonly python: PythonPeers;
  readonly r: RPeers;
  /** OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE as found (unset for the peers). */
  readonly openBlasOverrides: string;
}

const PYTHON_PROBE = `
import json, platform
out = {"python": platform.python_version()}
for name in ("numpy", "pandas", "sklearn", "pomegranate"):
    try:
        out[name] = __import__(name).__version__
    except Exception:
        pass
try:
    import numpy, threadpoolctl
    infos = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    out["blas"] = "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture', '')}, {i.get('num_threads')} thread(s)" for i in infos)
except Exception:
    pass
print(json.dumps(out))
`;

const R_PROBE = `cat(R.version$major, ".", R.version$minor, "\\n", sep = "")
cat(if (requireNamespace("mclust", quietly = TRUE) && requireNamespace("jsonlite", quietly = TRUE)) as.character(packageVersion("mclust")) else "", "\\n", sep = "")
cat(if (requireNamespace("data.table", quietly = TRUE)) paste("data.table::fread", packageVersion("data.table")) else "read.csv", "\\n", sep = "")`;

function probePython(): PythonPeers {
  const r = spawnSync(PYTHON, ['-c', PYTHON_PROBE], { encoding: 'utf8', env: peerEnvironment(), timeout: 120_000 });
  if (r.status !== 0) return {};
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as PythonPeers;
  } catch {
    return {};
  }
}

function probeR(): RPeers {
  const r = spawnSync(RSCRIPT, ['-e', R_PROBE], { encoding: 'utf8', env: peerEnvironment(), timeout: 120_000 });
  if (r.status !== 0 || r.error) return {};
  const [version, mclust, reader] = r.stdout.split('\n').map((s) => s.trim());
  return { r: version, ...(mclust ? { mclust } : {}), ...(reader ? { reader } : {}) };
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineFacts(): MachineFacts {
  const overrides = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'].filter((v) => process.env[v] !== undefined).map((v) => `${v}=${process.env[v]}`);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    python: probePython(),
    r: probeR(),
    openBlasOverrides: overrides.length ? `${overrides.join(', ')} (unset for the peers)` : 'none set',
  };
}

/** The facts as markdown lines. */
export function factsMarkdown(f: MachineFacts, loadAtEnd: readonly number[]): string[] {
  const p = f.python;
  const peer = (name: string, v: string | undefined): string => `${name} ${v ?? 'not installed'}`;
  return [
    `- date: ${f.date}`,
    `- machine: ${f.cores} cores (${f.cpuModel}), ${f.memoryGiB} GiB; load average at start ${f.loadAverageAtStart.join(' / ')} (1/5/15 min), at the end ${loadAtEnd.map((x) => x.toFixed(2)).join(' / ')}`,
    `- ours: node ${f.node}`,
    `- peers (one thread each): ${peer('scikit-learn', p.sklearn)}, ${peer('pomegranate', p.pomegranate)}, ${peer('mclust', f.r.mclust)} (R ${f.r.r ?? 'not installed'}, reading with ${f.r.reader ?? '-'}); python ${p.python ?? 'not found'} (${PYTHON}), numpy ${p.numpy ?? '-'}, pandas ${p.pandas ?? '-'}`,
    `- BLAS under numpy: ${p.blas ?? 'unknown (threadpoolctl missing)'}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE: ${f.openBlasOverrides}`,
  ];
}
