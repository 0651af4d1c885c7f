#!/usr/bin/python3
"""Peer numbers for the Gaussian mixture (issue 5), written into test/fixtures/gmm/.

Run with Debian's python (it has scikit-learn) from the repository root:
    /usr/bin/python3 bench/gmm/make-peer-fixtures.py

For each public data set shipped with Debian's scikit-learn (iris, wine, breast_cancer: bundled
files read by sklearn.datasets.load_*, no download) and R (faithful, from the datasets package):
  1. the data as <name>.csv (header row, numbers written with repr: they read back exactly);
  2. for every covariance type, from GIVEN initial parameters (K rows of the data as means,
     the data's covariance in the layout of the type, equal weights), scikit-learn's
     log-likelihood after each of the first 20 EM iterations: history[t] = score(X) * n at the
     parameters after t M-steps (history[0] at the initial parameters), by fitting one
     iteration at a time with warm_start; each fit's lower_bound_ (the E-step value before its
     M-step) is checked against history[t - 1]. Also the parameters after 20 iterations;
  3. the best final log-likelihood of scikit-learn with n_init=10 (its default k-means init,
     tol=1e-10 per sample, max_iter=10000) and of mclust (bench/gmm/mclust-peer.R).
Everything goes into <name>.json; test/unit/gmmPeers.test.ts reads it.
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "gmm")
ITERATIONS = 20
REG = 1e-6
TYPES = ["full", "diag", "spherical", "tied"]


def load_faithful():
    text = subprocess.run(["Rscript", "-e", "write.csv(faithful, stdout(), row.names=FALSE)"], check=True, capture_output=True, text=True).stdout
    lines = text.strip().splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    rows = [[float(v) for v in line.split(",")] for line in lines[1:]]
    return header, np.array(rows)


def sets():
    iris = datasets.load_iris()
    wine = datasets.load_wine()
    cancer = datasets.load_breast_cancer()
    faithful_header, faithful = load_faithful()
    clean = lambda names: [str(n).replace(" (cm)", "").replace(" ", "_").replace("/", "_") for n in names]
    return [
        ("iris", clean(iris.feature_names), iris.data, 3, "sklearn.datasets.load_iris (Fisher 1936)"),
        ("wine", clean(wine.feature_names), wine.data, 3, "sklearn.datasets.load_wine (UCI wine recognition)"),
        ("breast_cancer", clean(cancer.feature_names), cancer.data, 2, "sklearn.datasets.load_breast_cancer (UCI Wisconsin diagnostic)"),
        ("faithful", faithful_header, faithful, 2, "R datasets::faithful (Old Faithful geyser)"),
    ]


def write_csv(path, header, x):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def initial_parameters(x, k, cov_type):
    """K distinct rows as means, the data's (biased) covariance in the layout of the type, equal weights."""
    rng = np.random.RandomState(0)
    rows = rng.choice(x.shape[0], size=k, replace=False)
    means = x[rows].copy()
    weights = np.full(k, 1.0 / k)
    full = np.cov(x.T, bias=True)
    if cov_type == "full":
        covariances = np.array([full] * k)
        precisions = np.array([np.linalg.inv(full)] * k)
    elif cov_type == "tied":
        covariances = full
        precisions = np.linalg.inv(full)
    elif cov_type == "diag":
        covariances = np.array([np.diag(full)] * k)
        precisions = 1.0 / covariances
    else:
        covariances = np.full(k, np.diag(full).mean())
        precisions = 1.0 / covariances
    return weights, means, covariances, precisions


def history_from(x, k, cov_type, weights, means, precisions):
    n = x.shape[0]
    gm = GaussianMixture(n_components=k, covariance_type=cov_type, weights_init=weights, means_init=means, precisions_init=precisions,
                         reg_covar=REG, tol=0.0, max_iter=1, warm_start=True, init_params="random", random_state=0)
    history = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for t in range(1, ITERATIONS + 1):
            gm.fit(x)
            before = gm.lower_bound_ * n  # E-step value under the parameters after t - 1 M-steps
            if t == 1:
                history.append(before)
            elif not np.isclose(before, history[t - 1], rtol=1e-12, atol=0):
                sys.exit(f"lower_bound_ {before} != history[{t - 1}] {history[t - 1]}")
            history.append(gm.score(x) * n)
    final = {"weights": gm.weights_.tolist(), "means": gm.means_.tolist(), "covariances": gm.covariances_.tolist()}
    return history, final


def best_sklearn(x, k, cov_type):
    gm = GaussianMixture(n_components=k, covariance_type=cov_type, reg_covar=REG, n_init=10, tol=1e-10, max_iter=10000, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)
    return gm.score(x) * x.shape[0]


def mclust(csv, k):
    out = subprocess.run(["Rscript", os.path.join(ROOT, "bench", "gmm", "mclust-peer.R"), csv, str(k)], check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.strip().splitlines():
        cov_type, model, ll = line.split()
        result[cov_type] = {"model": model, "logLikelihood": None if ll == "NA" else float(ll)}
    return result


def main():
    os.makedirs(OUT, exist_ok=True)
    mclust_version = subprocess.run(["Rscript", "-e", "cat(as.character(packageVersion('mclust')))"], check=True, capture_output=True, text=True).stdout.strip()
    for name, header, x, k, source in sets():
        csv = os.path.join(OUT, f"{name}.csv")
        write_csv(csv, header, x)
        peers = mclust(csv, k)
        doc = {
            "dataset": name, "source": source, "csv": f"{name}.csv", "columns": header, "rows": int(x.shape[0]), "components": k,
            "regularization": REG, "iterations": ITERATIONS,
            "generatedBy": "bench/gmm/make-peer-fixtures.py", "sklearn": sklearn.__version__, "numpy": np.__version__, "mclust": mclust_version,
            "covariance": {},
        }
        for cov_type in TYPES:
            weights, means, covariances, precisions = initial_parameters(x, k, cov_type)
            history, final = history_from(x, k, cov_type, weights, means, precisions)
            doc["covariance"][cov_type] = {
                "init": {"weights": weights.tolist(), "means": means.tolist(), "covariances": covariances.tolist()},
                "history": history,
                "final": final,
                "best": {"sklearnNInit10": best_sklearn(x, k, cov_type), "mclust": peers[cov_type]["logLikelihood"], "mclustModel": peers[cov_type]["model"]},
            }
            print(f"{name:14s} {cov_type:9s} LL0 {history[0]:.10g} LL20 {history[-1]:.10g}  best sklearn {doc['covariance'][cov_type]['best']['sklearnNInit10']:.10g} mclust {peers[cov_type]['logLikelihood']}")
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
