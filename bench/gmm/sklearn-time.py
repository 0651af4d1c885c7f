#!/usr/bin/python3
"""scikit-learn's side of bench/gmm/bench-gmm.ts: seconds per EM iteration of GaussianMixture
on one CSV from given initial parameters, in one thread.

    /usr/bin/python3 bench/gmm/sklearn-time.py DATA.csv INIT.json COVARIANCE LO HI

INIT.json holds {"weights", "means", "covariances"} in the layout of COVARIANCE. The fit runs
twice from the same start, with max_iter=LO and max_iter=HI (tol=0: every iteration runs); the
difference of the two wall times over HI - LO iterations is the time of one E-step + M-step,
without the fixed costs of validation, initialization and the final E-step that fit() adds.
Prints one JSON line: {"secondsPerIteration", "cpuSecondsPerIteration", "logLikelihood"
(score * n after HI iterations), "coretype"}.
"""
import json
import os
import sys
import time

# one thread, like our side
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import ctypes
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def precisions(cov_type, covariances):
    c = np.asarray(covariances, dtype=float)
    if cov_type == "full":
        return np.array([np.linalg.inv(m) for m in c])
    if cov_type == "tied":
        return np.linalg.inv(c)
    return 1.0 / c


def coretype():
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except OSError:
        return "unknown"


def main():
    csv, init_path, cov_type, lo, hi = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    x = np.ascontiguousarray(pd.read_csv(csv, float_precision="round_trip").to_numpy(dtype=float))
    with open(init_path) as f:
        init = json.load(f)
    k = len(init["weights"])
    prec = precisions(cov_type, init["covariances"])

    def run(iterations):
        gm = GaussianMixture(n_components=k, covariance_type=cov_type, weights_init=np.array(init["weights"]), means_init=np.array(init["means"]),
                             precisions_init=prec, init_params="random", max_iter=iterations, tol=0.0, reg_covar=1e-6, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            w0, c0 = time.perf_counter(), time.process_time()
            gm.fit(x)
            return gm, time.perf_counter() - w0, time.process_time() - c0

    _, wall_lo, cpu_lo = run(lo)
    gm, wall_hi, cpu_hi = run(hi)
    print(json.dumps({
        "secondsPerIteration": (wall_hi - wall_lo) / (hi - lo),
        "cpuSecondsPerIteration": (cpu_hi - cpu_lo) / (hi - lo),
        "logLikelihood": gm.score(x) * x.shape[0],
        "coretype": coretype(),
    }))


if __name__ == "__main__":
    main()
