#!/bin/sh
# The peers of `npm run bench` (bench/README.md), from Debian's packages, for Debian's python
# (/usr/bin/python3) and R: scikit-learn, pomegranate 0.14, mclust, pandas (the peers' CSV
# reader), threadpoolctl (which BLAS kernel numpy runs), R's jsonlite (the shared start) and
# data.table (fread), and GNU time (wall, CPU and peak memory of every benchmarked process).
# Every peer is optional: a missing one shows "not installed" in its rows.
set -eu
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y python3-sklearn python3-pomegranate r-cran-mclust python3-pandas \
  python3-threadpoolctl r-cran-jsonlite r-cran-data.table time
