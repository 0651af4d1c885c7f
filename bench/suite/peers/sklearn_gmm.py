#!/usr/bin/python3
"""scikit-learn's GaussianMixture in the benchmark suite (bench/suite), beside
bench/gmm/sklearn-time.py, which times seconds per iteration and is called as it is.

    /usr/bin/python3 sklearn_gmm.py converge DATA.csv INIT.json COVARIANCE TOL CAP
        from the shared start, until the change of the mean log-likelihood per row falls
        below TOL (sklearn's own criterion, the same as ours: gain per row), at most CAP
        iterations; prints {"iterations", "converged", "logLikelihood"}.
    /usr/bin/python3 sklearn_gmm.py e2e DATA.csv K COVARIANCE ITERATIONS SEED TOL
        what a user waits for: pandas.read_csv, then GaussianMixture with a k-means++ start
        (init_params="k-means++", one start), at most ITERATIONS iterations, stopping earlier
        only when the change per row is below TOL (the suite passes 1e-12: nothing changes any
        more but rounding, where our CLI with tolerance 0 stops too); prints the seconds of the
        read and of the fit, the iterations and the log-likelihood.
    /usr/bin/python3 sklearn_gmm.py missing DATA.csv K COVARIANCE
        fits data with blank cells; scikit-learn refuses them: prints {"error": ...} with its
        message (exit 0: a refusal is a result).

One thread (OMP/OPENBLAS/MKL_NUM_THREADS=1), as PERFORMANCE.md measures the peers. Prints one
JSON line; {"error": "scikit-learn not installed"} when it cannot be imported.
"""
import importlib.util
import json
import os
import resource
import sys
import time
import warnings

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

HERE = os.path.dirname(os.path.abspath(__file__))
SKLEARN_TIME = os.path.join(HERE, "..", "..", "gmm", "sklearn-time.py")


def emit(obj):
    obj["peakRssMb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(obj))


def sklearn_time_module():
    """bench/gmm/sklearn-time.py as a module (its precisions() turns a start into sklearn's precisions_init)."""
    spec = importlib.util.spec_from_file_location("sklearn_time", SKLEARN_TIME)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def converge(csv, init_path, cov_type, tol, cap):
    import numpy as np
    import pandas as pd
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture

    st = sklearn_time_module()
    x = np.ascontiguousarray(pd.read_csv(csv, float_precision="round_trip").to_numpy(dtype=float))
    with open(init_path) as f:
        init = json.load(f)
    gm = GaussianMixture(n_components=len(init["weights"]), covariance_type=cov_type, weights_init=np.array(init["weights"]),
                         means_init=np.array(init["means"]), precisions_init=st.precisions(cov_type, init["covariances"]),
                         init_params="random", max_iter=cap, tol=tol, reg_covar=1e-6, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)
    emit({"iterations": int(gm.n_iter_), "converged": bool(gm.converged_), "logLikelihood": float(gm.score(x) * x.shape[0])})


def e2e(csv, k, cov_type, iterations, seed, tol):
    w0 = time.perf_counter()
    import numpy as np
    import pandas as pd
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture

    w1 = time.perf_counter()
    x = pd.read_csv(csv).to_numpy(dtype=float)
    w2 = time.perf_counter()
    gm = GaussianMixture(n_components=k, covariance_type=cov_type, init_params="k-means++", n_init=1, max_iter=iterations, tol=tol,
                         reg_covar=1e-6, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)
    w3 = time.perf_counter()
    emit({"importSeconds": w1 - w0, "readSeconds": w2 - w1, "fitSeconds": w3 - w2, "iterations": int(gm.n_iter_),
          "logLikelihood": float(gm.score(x) * x.shape[0]), "reader": "pandas.read_csv"})


def missing(csv, k, cov_type):
    import numpy as np
    import pandas as pd
    from sklearn.mixture import GaussianMixture

    x = pd.read_csv(csv).to_numpy(dtype=float)
    blank = int(np.isnan(x).sum())
    try:
        GaussianMixture(n_components=k, covariance_type=cov_type, max_iter=5, random_state=0).fit(x)
    except Exception as e:  # noqa: BLE001 - the refusal is the result
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        emit({"error": f"refuses missing values ({blank} blank cells): {type(e).__name__}: {first}"})
        return
    emit({"error": f"accepted {blank} blank cells without complaint (unexpected)"})


def main():
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print(json.dumps({"error": "not installed (python3-sklearn)"}))
        return
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "converge":
        converge(args[0], args[1], args[2], float(args[3]), int(args[4]))
    elif mode == "e2e":
        e2e(args[0], int(args[1]), args[2], int(args[3]), int(args[4]), float(args[5]))
    elif mode == "missing":
        missing(args[0], int(args[1]), args[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
