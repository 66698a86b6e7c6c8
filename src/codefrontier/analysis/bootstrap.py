"""Percentile bootstrap over problems, paired across checkpoints.

We resample *problems* (never the samples inside a problem): replicate b draws
P problem indices with replacement; the statistic of every checkpoint is then
the mean over those same problems, so differences between checkpoints are paired.
A replicate is a row of multiplicities W[b, p] (how often problem p was drawn),
which turns every replicate mean into one matrix product: (B, P) @ (P, C).
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def resample_weights(num_problems: int, reps: int, seed: int) -> FloatArray:
    """(reps, num_problems) multiplicities of a with-replacement draw of problems; same seed, same draws."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, num_problems, size=(reps, num_problems))
    weights = np.zeros((reps, num_problems))
    np.add.at(weights, (np.arange(reps)[:, None], idx), 1.0)
    return weights


def replicate_means(values: npt.ArrayLike, weights: FloatArray) -> FloatArray:
    """(B, C) replicate means of a (P, C) matrix, ignoring NaN cells (a pair that was not sampled)."""
    v = np.asarray(values, dtype=np.float64)
    present = np.isfinite(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (weights @ np.where(present, v, 0.0)) / (weights @ present.astype(np.float64))


def mean_ci(
    values: npt.ArrayLike, weights: FloatArray, level: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per column: mean over problems, and the percentile interval of the replicate means."""
    v = np.atleast_2d(np.asarray(values, dtype=np.float64))
    if v.shape[0] == 0:
        nan = np.full(v.shape[1], np.nan)
        return nan, nan, nan
    with warnings.catch_warnings():  # an all-NaN column is a legitimate "not available"
        warnings.simplefilter("ignore", RuntimeWarning)
        point = np.nanmean(np.where(np.isfinite(v), v, np.nan), axis=0)
    boot = replicate_means(v, weights)
    alpha = (1.0 - level) / 2.0
    lo, hi = np.full(v.shape[1], np.nan), np.full(v.shape[1], np.nan)
    full = np.isfinite(boot).all(axis=0)  # the usual case: one vectorised quantile for all these columns
    if full.any():
        lo[full], hi[full] = np.quantile(boot[:, full], [alpha, 1.0 - alpha], axis=0)
    for j in np.flatnonzero(~full):  # a replicate drew only problems this checkpoint lacks: drop it
        col = boot[:, j][np.isfinite(boot[:, j])]
        if col.size:
            lo[j], hi[j] = np.quantile(col, [alpha, 1.0 - alpha])
    return point, lo, hi
