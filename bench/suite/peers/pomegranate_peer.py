#!/usr/bin/python3
"""pomegranate 0.14 in the benchmark suite (bench/suite): Gaussian mixtures (complete or with
blank cells), the latent-class model, and the HMM's converged and end-to-end runs (the HMM's
seconds per iteration come from bench/hmm/pomegranate_hmm.py, called as it is).

    gmm-time DATA.csv INIT.json COVARIANCE LO HI     seconds per iteration from the shared start
    gmm-converge DATA.csv INIT.json COVARIANCE TOL CAP
    gmm-e2e DATA.csv K|INIT.json COVARIANCE ITERATIONS SEED TOL
                                                     read_csv, then from_samples (k-means++ start) or the shared start, fit
    lc-time DATA.csv INIT.json LO HI
    lc-converge DATA.csv INIT.json TOL CAP
    lc-e2e DATA.csv INIT.json ITERATIONS TOL
    hmm-converge CASE TOL CAP                        a case of bench/hmm/pomegranate_hmm.py
    hmm-e2e DATA.csv ITERATIONS TOL                  read_csv, split by seq, fit from the shared start

End-to-end runs do at most ITERATIONS iterations and stop earlier only when the gain per row is
below TOL (the suite passes 1e-12: nothing changes but rounding, where our CLI stops too).

The models (pomegranate's own classes, no Bayesian network):
- Gaussian mixture, full covariances: GeneralMixtureModel of MultivariateGaussianDistribution;
  diagonal: of IndependentComponentsDistribution of NormalDistribution (one per column). Blank
  cells are NaN: pomegranate 0.14 leaves them out of the density (marginalizes them) and out of
  the sufficient statistics.
- Latent class: GeneralMixtureModel of IndependentComponentsDistribution of DiscreteDistribution
  (one per column: the classes' profiles), on the level codes 0, 1, ... (levels in sorted order).
- fit(): inertia 0, pseudocount 0, n_jobs=1; stop_threshold=-inf forces max_iterations
  iterations; for a converged run stop_threshold = TOL x rows (pomegranate compares the gain of
  the summed log-likelihood, ours the gain per row). Epoch t = from_summaries (M-step) +
  summarize (E-step), so epoch t's log-probability is the log-likelihood after t M-steps.
Seconds per iteration = (clock at the end of epoch HI - at the end of epoch LO) / (HI - LO),
wall (perf_counter) and CPU (process_time). One thread (OMP/OPENBLAS/MKL_NUM_THREADS=1).
Prints one JSON line; {"error": "not installed ..."} when pomegranate cannot be imported.
"""
import json
import os
import resource
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
HMM_DIR = os.path.join(HERE, "..", "..", "hmm")


def emit(obj):
    obj["peakRssMb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(obj))


def clock_callback():
    from pomegranate.callbacks import Callback

    class Clock(Callback):
        """Wall and CPU seconds at the end of every epoch."""

        def on_training_begin(self):
            self.wall = []
            self.cpu = []

        def on_epoch_end(self, logs):
            self.wall.append(time.perf_counter())
            self.cpu.append(time.process_time())

    return Clock()


def fit(model, x, iterations, stop_threshold, clock=None):
    import numpy

    return model.fit(x, max_iterations=iterations, stop_threshold=stop_threshold if stop_threshold is not None else -numpy.inf,
                     inertia=0.0, pseudocount=0.0, return_history=True, n_jobs=1, callbacks=[clock] if clock else [])


def timing(history, clock, lo, hi):
    """Per-iteration figures between the ends of epochs LO and HI (clock[i] = end of epoch i + 1)."""
    return {
        "secondsPerIteration": (clock.wall[hi - 1] - clock.wall[lo - 1]) / (hi - lo),
        "cpuSecondsPerIteration": (clock.cpu[hi - 1] - clock.cpu[lo - 1]) / (hi - lo),
        "logLikelihood": float(history.log_probabilities[hi - 1]),
        "iterations": len(history.log_probabilities),
    }


# ---- Gaussian mixture ----

def read_numbers(csv, round_trip=True):
    import pandas as pd

    kwargs = {"float_precision": "round_trip"} if round_trip else {}
    return pd.read_csv(csv, **kwargs).to_numpy(dtype=float)


def gmm_from_start(init, cov_type):
    import numpy
    from pomegranate import GeneralMixtureModel, IndependentComponentsDistribution, MultivariateGaussianDistribution, NormalDistribution

    if cov_type == "full":
        components = [MultivariateGaussianDistribution(numpy.array(m), numpy.array(c)) for m, c in zip(init["means"], init["covariances"])]
    elif cov_type == "diag":
        components = [IndependentComponentsDistribution([NormalDistribution(mu, var ** 0.5) for mu, var in zip(m, c)]) for m, c in zip(init["means"], init["covariances"])]
    else:
        raise ValueError(f"covariance {cov_type}: only diag and full are benchmarked")
    return GeneralMixtureModel(components, weights=numpy.array(init["weights"]))


def gmm_time(csv, init_path, cov_type, lo, hi):
    x = read_numbers(csv)
    with open(init_path) as f:
        model = gmm_from_start(json.load(f), cov_type)
    clock = clock_callback()
    _, history = fit(model, x, hi, None, clock)
    emit({**timing(history, clock, lo, hi), "blankCells": int((x != x).sum())})


def gmm_converge(csv, init_path, cov_type, tol, cap):
    x = read_numbers(csv)
    with open(init_path) as f:
        model = gmm_from_start(json.load(f), cov_type)
    _, history = fit(model, x, cap, tol * x.shape[0])
    n = len(history.log_probabilities)
    emit({"iterations": n, "converged": n < cap, "logLikelihood": float(history.log_probabilities[-1])})


def gmm_e2e(csv, start, cov_type, iterations, seed, tol):
    """START: K (from_samples: k-means++ and one k-means step) or INIT.json (the shared start)."""
    w0 = time.perf_counter()
    import numpy
    from pomegranate import GeneralMixtureModel, MultivariateGaussianDistribution, NormalDistribution

    w1 = time.perf_counter()
    x = read_numbers(csv, round_trip=False)
    w2 = time.perf_counter()
    if start.endswith(".json"):
        with open(start) as f:
            model = gmm_from_start(json.load(f), cov_type)
        _, history = fit(model, x, iterations, tol * x.shape[0])
    else:
        numpy.random.seed(seed)
        distribution = MultivariateGaussianDistribution if cov_type == "full" else NormalDistribution
        _, history = GeneralMixtureModel.from_samples(distribution, int(start), x, init="kmeans++", n_init=1, max_kmeans_iterations=1,
                                                      max_iterations=iterations, stop_threshold=tol * x.shape[0], return_history=True, n_jobs=1)
    w3 = time.perf_counter()
    emit({"importSeconds": w1 - w0, "readSeconds": w2 - w1, "fitSeconds": w3 - w2, "iterations": len(history.log_probabilities),
          "logLikelihood": float(history.log_probabilities[-1]), "reader": "pandas.read_csv"})


# ---- latent class ----

def read_codes(csv, levels):
    """The level codes (0, 1, ... in the levels' order) of every column, as floats."""
    import numpy
    import pandas as pd

    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    columns = []
    for j, name in enumerate(frame.columns):
        codes = pd.Categorical(frame[name], categories=levels[j]).codes
        if (codes < 0).any():
            raise ValueError(f"column {name} has a value outside {levels[j]}")
        columns.append(codes.astype(numpy.float64))
    return numpy.column_stack(columns)


def lc_from_start(start):
    import numpy
    from pomegranate import DiscreteDistribution, GeneralMixtureModel, IndependentComponentsDistribution

    classes = len(start["classWeights"])
    components = [IndependentComponentsDistribution([DiscreteDistribution({float(s): p for s, p in enumerate(start["profiles"][j][k])})
                                                     for j in range(len(start["profiles"]))]) for k in range(classes)]
    return GeneralMixtureModel(components, weights=numpy.array(start["classWeights"]))


def lc_time(csv, init_path, lo, hi):
    with open(init_path) as f:
        start = json.load(f)
    x = read_codes(csv, start["levels"])
    clock = clock_callback()
    _, history = fit(lc_from_start(start), x, hi, None, clock)
    emit(timing(history, clock, lo, hi))


def lc_converge(csv, init_path, tol, cap):
    with open(init_path) as f:
        start = json.load(f)
    x = read_codes(csv, start["levels"])
    _, history = fit(lc_from_start(start), x, cap, tol * x.shape[0])
    n = len(history.log_probabilities)
    emit({"iterations": n, "converged": n < cap, "logLikelihood": float(history.log_probabilities[-1])})


def lc_e2e(csv, init_path, iterations, tol):
    w0 = time.perf_counter()
    import pomegranate  # noqa: F401

    w1 = time.perf_counter()
    with open(init_path) as f:
        start = json.load(f)
    x = read_codes(csv, start["levels"])
    w2 = time.perf_counter()
    _, history = fit(lc_from_start(start), x, iterations, tol * x.shape[0])
    w3 = time.perf_counter()
    emit({"importSeconds": w1 - w0, "readSeconds": w2 - w1, "fitSeconds": w3 - w2, "iterations": len(history.log_probabilities),
          "logLikelihood": float(history.log_probabilities[-1]), "reader": "pandas.read_csv"})


# ---- HMM (bench/hmm/pomegranate_hmm.py's models and data) ----

def hmm_module():
    sys.path.insert(0, HMM_DIR)
    import pomegranate_hmm

    return pomegranate_hmm


def hmm_fit(model, seqs, iterations, stop_threshold):
    import numpy

    return model.fit(seqs, max_iterations=iterations, min_iterations=0 if stop_threshold is not None else iterations,
                     stop_threshold=stop_threshold if stop_threshold is not None else -numpy.inf, transition_pseudocount=0,
                     emission_pseudocount=0, use_pseudocount=False, edge_inertia=0.0, distribution_inertia=0.0, return_history=True,
                     multiple_check_input=False, n_jobs=1)


def hmm_converge(case, tol, cap):
    ph = hmm_module()
    seqs, _ = ph.sequences_of(case)
    steps = sum(len(s) for s in seqs)
    _, history = hmm_fit(ph.build_model(ph.CASES[case][0]), seqs, cap, tol * steps)
    n = len(history.log_probabilities)
    emit({"iterations": n, "converged": n < cap, "logLikelihood": float(history.log_probabilities[-1])})


def hmm_e2e(csv, iterations, tol):
    w0 = time.perf_counter()
    import numpy
    import pandas as pd

    ph = hmm_module()
    w1 = time.perf_counter()
    frame = pd.read_csv(csv)
    values = frame[["x1", "x2"]].to_numpy(dtype=float)
    # rows in file order within a sequence; sequences in order of first appearance
    ids = frame["seq"].to_numpy()
    starts = numpy.flatnonzero(numpy.r_[True, ids[1:] != ids[:-1]])
    seqs = numpy.split(values, starts[1:])
    w2 = time.perf_counter()
    _, history = hmm_fit(ph.build_model("gaussian"), seqs, iterations, tol * values.shape[0])
    w3 = time.perf_counter()
    emit({"importSeconds": w1 - w0, "readSeconds": w2 - w1, "fitSeconds": w3 - w2, "iterations": len(history.log_probabilities),
          "logLikelihood": float(history.log_probabilities[-1]), "reader": "pandas.read_csv"})


def main():
    try:
        import pomegranate  # noqa: F401
    except ImportError:
        print(json.dumps({"error": "not installed (python3-pomegranate)"}))
        return
    mode, a = sys.argv[1], sys.argv[2:]
    if mode == "gmm-time":
        gmm_time(a[0], a[1], a[2], int(a[3]), int(a[4]))
    elif mode == "gmm-converge":
        gmm_converge(a[0], a[1], a[2], float(a[3]), int(a[4]))
    elif mode == "gmm-e2e":
        gmm_e2e(a[0], a[1], a[2], int(a[3]), int(a[4]), float(a[5]))
    elif mode == "lc-time":
        lc_time(a[0], a[1], int(a[2]), int(a[3]))
    elif mode == "lc-converge":
        lc_converge(a[0], a[1], float(a[2]), int(a[3]))
    elif mode == "lc-e2e":
        lc_e2e(a[0], a[1], int(a[2]), float(a[3]))
    elif mode == "hmm-converge":
        hmm_converge(a[0], float(a[1]), int(a[2]))
    elif mode == "hmm-e2e":
        hmm_e2e(a[0], int(a[1]), float(a[2]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
