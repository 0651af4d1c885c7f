# mclust in the benchmark suite (bench/suite): Gaussian mixtures, full (VVV) and diagonal (VVI)
# covariances (mclust's names for scikit-learn's types: Scrucca et al., "mclust 5", The R Journal
# 8/1, 2016, Table 3).
#
#   Rscript mclust_gmm.R time DATA.csv INIT.json COVARIANCE LO HI
#       em() from the shared start with itmax = LO and then itmax = HI (tol = 0: every iteration
#       runs); seconds per iteration = (time of the second - time of the first) / (HI - LO), so
#       reading and the initial E-step do not count. Log-likelihood after HI iterations.
#   Rscript mclust_gmm.R converge DATA.csv INIT.json COVARIANCE TOL CAP
#       em() from the shared start until mclust's relative change |l - l_old| / (1 + |l|) falls
#       below TOL (the caller converts our per-row tolerance), at most CAP iterations.
#   Rscript mclust_gmm.R e2e DATA.csv K COVARIANCE ITERATIONS SEED TOL
#       what a user runs: read the file (data.table::fread when installed, else read.csv), then
#       Mclust(G = K) with its own start (model-based hierarchical clustering on a subset of
#       mclust.options("subset") rows) and at most ITERATIONS EM iterations, stopping earlier
#       when mclust's relative change falls below TOL (the suite converts 1e-12 per row).
#   Rscript mclust_gmm.R missing DATA.csv K COVARIANCE
#       Mclust on data with blank cells: mclust has no missing-value EM and fails; prints its error.
# Prints one JSON line; {"error": "not installed ..."} without mclust or jsonlite. R's own BLAS runs
# in one thread here (OPENBLAS_NUM_THREADS=1 is set by the caller before R starts).
suppressPackageStartupMessages({
  ok <- requireNamespace("mclust", quietly = TRUE) && requireNamespace("jsonlite", quietly = TRUE)
})
emit <- function(x) {
  status <- tryCatch(readLines("/proc/self/status"), error = function(e) character())
  hwm <- grep("^VmHWM:", status, value = TRUE)
  if (length(hwm) == 1) x$peakRssMb <- as.numeric(gsub("[^0-9]", "", hwm)) / 1024
  cat(jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA), "\n", sep = "")
}
if (!ok) {
  cat('{"error": "not installed (r-cran-mclust, r-cran-jsonlite)"}\n')
  quit(status = 0)
}
suppressPackageStartupMessages(library(mclust))

args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]
MODELS <- c(full = "VVV", diag = "VVI")

read_numbers <- function(path) {
  if (requireNamespace("data.table", quietly = TRUE)) {
    list(x = as.matrix(data.table::fread(path, showProgress = FALSE)), reader = "data.table::fread")
  } else {
    list(x = as.matrix(read.csv(path, check.names = FALSE)), reader = "read.csv")
  }
}

# The shared start (INIT.json: weights [K], means [K][D], covariances diag [K][D] | full [K][D][D])
# as mclust's parameters: pro, mean (D x K), variance (sigma D x D x K, and VVI's scale and shape).
start_parameters <- function(init_path, type) {
  init <- jsonlite::fromJSON(init_path, simplifyVector = TRUE)
  means <- init$means # K x D
  k <- nrow(means)
  d <- ncol(means)
  sigma <- array(0, c(d, d, k))
  if (type == "full") {
    for (g in 1:k) sigma[, , g] <- init$covariances[g, , ]
    variance <- list(modelName = "VVV", d = d, G = k, sigma = sigma, cholsigma = array(apply(sigma, 3, chol), c(d, d, k)))
  } else {
    v <- init$covariances # K x D
    for (g in 1:k) sigma[, , g] <- diag(v[g, ], d)
    scale <- apply(v, 1, function(r) prod(r)^(1 / d)) # VVI: Sigma_k = scale_k diag(shape_k), det(shape_k) = 1
    shape <- t(v / scale)
    variance <- list(modelName = "VVI", d = d, G = k, sigma = sigma, scale = scale, shape = shape)
  }
  list(pro = init$weights, mean = t(means), variance = variance)
}

timed_em <- function(x, type, parameters, iterations, tol = 0) {
  t0 <- proc.time()
  fit <- suppressWarnings(em(x, MODELS[[type]], parameters, control = emControl(tol = c(tol, 0), itmax = c(iterations, iterations))))
  t <- proc.time() - t0
  list(fit = fit, wall = t[["elapsed"]], cpu = t[["user.self"]] + t[["sys.self"]])
}

if (mode == "time") {
  x <- read_numbers(args[2])$x
  parameters <- start_parameters(args[3], args[4])
  lo <- as.integer(args[5])
  hi <- as.integer(args[6])
  a <- timed_em(x, args[4], parameters, lo)
  b <- timed_em(x, args[4], parameters, hi)
  emit(list(secondsPerIteration = (b$wall - a$wall) / (hi - lo), cpuSecondsPerIteration = (b$cpu - a$cpu) / (hi - lo),
            logLikelihood = b$fit$loglik, iterations = abs(attr(b$fit, "info")[["iterations"]])))
} else if (mode == "converge") {
  x <- read_numbers(args[2])$x
  parameters <- start_parameters(args[3], args[4])
  cap <- as.integer(args[6])
  r <- timed_em(x, args[4], parameters, cap, tol = as.numeric(args[5]))
  it <- attr(r$fit, "info")[["iterations"]] # negative: the iteration limit was reached
  emit(list(iterations = abs(it), converged = it > 0, logLikelihood = r$fit$loglik))
} else if (mode == "e2e") {
  w0 <- proc.time()[["elapsed"]]
  data <- read_numbers(args[2])
  w1 <- proc.time()[["elapsed"]]
  set.seed(as.integer(args[6]))
  fit <- suppressWarnings(Mclust(data$x, G = as.integer(args[3]), modelNames = MODELS[[args[4]]], verbose = FALSE,
                                 control = emControl(tol = c(as.numeric(args[7]), 0), itmax = c(as.integer(args[5]), as.integer(args[5])))))
  w2 <- proc.time()[["elapsed"]]
  if (is.null(fit)) {
    emit(list(error = "Mclust returned no model"))
  } else {
    emit(list(readSeconds = w1 - w0, fitSeconds = w2 - w1, logLikelihood = fit$loglik, reader = data$reader))
  }
} else if (mode == "missing") {
  data <- read_numbers(args[2])
  blank <- sum(is.na(data$x))
  r <- tryCatch(Mclust(data$x, G = as.integer(args[3]), modelNames = MODELS[[args[4]]], verbose = FALSE), error = function(e) e)
  if (inherits(r, "error")) {
    emit(list(error = sprintf("fails on missing values (%d blank cells): %s", blank, conditionMessage(r))))
  } else if (is.null(r)) {
    emit(list(error = sprintf("returns no model on data with %d blank cells", blank)))
  } else {
    emit(list(error = sprintf("accepted %d blank cells (unexpected): log-likelihood %g", blank, r$loglik)))
  }
} else {
  cat("usage: Rscript mclust_gmm.R time|converge|e2e|missing ...\n", file = stderr())
  quit(status = 2)
}
