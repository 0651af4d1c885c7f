#!/usr/bin/python3
"""The pomegranate 0.14 side of the HMM comparison (Debian's python3-pomegranate; run with
/usr/bin/python3, whose site-packages hold it).

  /usr/bin/python3 bench/hmm/pomegranate_hmm.py fixtures
      writes test/fixtures/hmm/pomegranate-histories.json: the true models, the initial
      parameters, and pomegranate's log-likelihood at the initial parameters and after each of
      the first ITERATIONS Baum-Welch iterations, for every case in CASES.
  /usr/bin/python3 bench/hmm/pomegranate_hmm.py time CASE ITERATIONS
      prints one JSON line {"case", "secondsPerIteration", "cpuSecondsPerIteration", "history"}
      (used by hmmBench.ts).

pomegranate's conventions, set to match ours (see its hmm.pyx / distributions/*.pyx):
- HiddenMarkovModel.from_matrix without `ends`: no explicit end state, so log p(x) sums the
  last forward column, as in a plain HMM.
- fit(): transition_pseudocount = emission_pseudocount = 0 (the default), use_pseudocount =
  False, edge_inertia = distribution_inertia = 0 (the defaults), so the M-step is plain
  Baum-Welch; our model has "prior": 0 and "fit.regularization": 0 to match. The
  "-pseudocount1" cases set transition_pseudocount = emission_pseudocount = 1, which pomegranate
  adds to every existing edge (the start state's edges included) and to every symbol of a
  DiscreteDistribution: our "prior": 1 on start, transition and categorical emission rows
  (the matrices are dense, so every edge exists).
- MultivariateGaussianDistribution.from_summaries: the maximum-likelihood covariance with no
  floor (min_covar is only used when a Cholesky factorization fails, which does not happen here).
- fit() updates the parameters at the top of each epoch and then summarizes, so
  history.log_probabilities[t-1] is the log-likelihood after t updates and
  initial_log_probability is at the initial parameters. min_iterations = max_iterations = N
  forces N iterations whatever the improvement.
"""
import json
import os
import sys
import time

# One thread, like our side (numpy's BLAS would otherwise use every core in the Gaussian summaries).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy
import pomegranate
from pomegranate import DiscreteDistribution, HiddenMarkovModel, MultivariateGaussianDistribution
from pomegranate.callbacks import Callback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_data import generate  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "test", "fixtures", "hmm", "pomegranate-histories.json")
ITERATIONS = 10

TRANSITIONS = [[0.90, 0.06, 0.04], [0.08, 0.85, 0.07], [0.05, 0.10, 0.85]]
MODELS = {
    "gaussian": {
        "truth": {
            "start": [0.5, 0.3, 0.2],
            "transitions": TRANSITIONS,
            "means": [[-2.0, 0.0], [1.0, 2.0], [3.0, -1.0]],
            "choleskyFactors": [[[1.0, 0.0], [0.3, 0.8]], [[0.7, 0.0], [-0.2, 0.9]], [[1.2, 0.0], [0.5, 0.6]]],
        },
        # The model file's "init" shape (DESIGN.md hmm parameters), covariance "full".
        "init": {
            "startProbabilities": [0.4, 0.3, 0.3],
            "transitions": [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]],
            "emission": {
                "means": [[-1.0, 0.5], [0.5, 1.0], [2.0, 0.0]],
                "covariances": [[[1.5, 0.0], [0.0, 1.5]], [[1.5, 0.2], [0.2, 1.5]], [[2.0, 0.0], [0.0, 1.0]]],
            },
        },
    },
    "categorical": {
        "truth": {
            "start": [0.5, 0.3, 0.2],
            "transitions": TRANSITIONS,
            "symbols": ["a", "b", "c", "d"],
            "probabilities": [[0.6, 0.2, 0.1, 0.1], [0.1, 0.6, 0.2, 0.1], [0.15, 0.15, 0.2, 0.5]],
        },
        "init": {
            "startProbabilities": [0.4, 0.3, 0.3],
            "transitions": [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]],
            "emission": {"probabilities": [[0.4, 0.3, 0.2, 0.1], [0.2, 0.4, 0.2, 0.2], [0.2, 0.2, 0.3, 0.3]]},
        },
    },
}

# name -> (emission, sequences, length, seed, pseudocount); the same data for the same seed.
CASES = {
    "gaussian-1x100000": ("gaussian", 1, 100000, 101, 0),
    "gaussian-100x1000": ("gaussian", 100, 1000, 102, 0),
    "gaussian-1x10000": ("gaussian", 1, 10000, 103, 0),
    "gaussian-100x1000-pseudocount1": ("gaussian", 100, 1000, 102, 1),
    "categorical-1x100000": ("categorical", 1, 100000, 201, 0),
    "categorical-100x1000": ("categorical", 100, 1000, 202, 0),
    "categorical-1x10000": ("categorical", 1, 10000, 203, 0),
    "categorical-100x1000-pseudocount1": ("categorical", 100, 1000, 202, 1),
}


def build_model(emission):
    init = MODELS[emission]["init"]
    if emission == "gaussian":
        e = init["emission"]
        dists = [MultivariateGaussianDistribution(numpy.array(m), numpy.array(c)) for m, c in zip(e["means"], e["covariances"])]
    else:
        symbols = MODELS[emission]["truth"]["symbols"]
        dists = [DiscreteDistribution(dict(zip(symbols, row))) for row in init["emission"]["probabilities"]]
    return HiddenMarkovModel.from_matrix(numpy.array(init["transitions"]), dists, numpy.array(init["startProbabilities"]))


def sequences_of(case):
    emission, count, length, seed, _ = CASES[case]
    seqs, checksum = generate(MODELS[emission]["truth"], emission, count, length, seed)
    if emission == "gaussian":
        arrays = [numpy.array(s, dtype=numpy.float64) for s in seqs]
    else:
        symbols = MODELS[emission]["truth"]["symbols"]
        arrays = [numpy.array([symbols[c] for c in s]) for s in seqs]
    return arrays, checksum


class CpuClock(Callback):
    """CPU seconds of this process at the end of every epoch (wall time is noisy on a shared machine)."""

    def on_training_begin(self):
        self.marks = []

    def on_epoch_end(self, logs):
        self.marks.append(time.process_time())


def fit(case, iterations):
    emission, pseudocount = CASES[case][0], CASES[case][4]
    seqs, checksum = sequences_of(case)
    model = build_model(emission)
    clock = CpuClock()
    model, history = model.fit(
        seqs,
        max_iterations=iterations,
        min_iterations=iterations,
        stop_threshold=-numpy.inf,
        transition_pseudocount=pseudocount,
        emission_pseudocount=pseudocount,
        use_pseudocount=False,
        edge_inertia=0.0,
        distribution_inertia=0.0,
        return_history=True,
        multiple_check_input=False,
        n_jobs=1,
        callbacks=[clock],
    )
    lls = [history.initial_log_probability] + list(history.log_probabilities)
    cpu = [b - a for a, b in zip(clock.marks, clock.marks[1:])]
    return lls, list(history.epoch_durations), cpu, checksum


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "fixtures":
        cases = []
        for name, (emission, count, length, seed, pseudocount) in CASES.items():
            lls, _, _, checksum = fit(name, ITERATIONS)
            cases.append({"name": name, "emission": emission, "sequences": count, "length": length, "seed": seed, "pseudocount": pseudocount, "checksum": checksum, "history": lls})
            print(f"{name}: {lls[0]:.6f} -> {lls[-1]:.6f}", file=sys.stderr)
        out = {
            "pomegranate": pomegranate.__version__,
            "iterations": ITERATIONS,
            "note": "written by bench/hmm/pomegranate_hmm.py fixtures; history[t] = log-likelihood after t Baum-Welch iterations from init",
            "gaussian": MODELS["gaussian"],
            "categorical": MODELS["categorical"],
            "cases": cases,
        }
        os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
        with open(FIXTURE, "w") as f:
            json.dump(out, f, indent=None)
            f.write("\n")
    elif len(sys.argv) == 4 and sys.argv[1] == "time":
        case, iterations = sys.argv[2], int(sys.argv[3])
        lls, durations, cpu, checksum = fit(case, iterations)
        # epoch t = one M-step (from_summaries) + one E-step (summarize) over all sequences;
        # CPU seconds from epoch end to epoch end (iterations 2..N), wall seconds from History (1..N)
        print(json.dumps({
            "case": case,
            "secondsPerIteration": sum(durations) / len(durations),
            "cpuSecondsPerIteration": sum(cpu) / len(cpu),
            "durations": durations,
            "cpu": cpu,
            "history": lls,
            "checksum": checksum,
        }))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
