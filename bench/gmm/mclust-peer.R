# The best log-likelihood mclust reaches for each covariance model, on one CSV of numbers.
# Usage: Rscript bench/gmm/mclust-peer.R DATA.csv K
# Prints one line per model: <scikit-learn covariance type> <mclust model> <loglik | NA>
# mclust's models with scikit-learn's meaning: VVV = full, VVI = diag, VII = spherical,
# EEE = tied (Scrucca et al., "mclust 5", The R Journal 8/1, 2016, Table 3).
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(args[1], check.names = FALSE))
k <- as.integer(args[2])
models <- c(full = "VVV", diag = "VVI", spherical = "VII", tied = "EEE")
for (type in names(models)) {
  fit <- tryCatch(Mclust(x, G = k, modelNames = models[[type]], verbose = FALSE), error = function(e) NULL)
  ll <- if (is.null(fit)) NA else fit$loglik
  cat(type, models[[type]], format(ll, digits = 17), "\n")
}
