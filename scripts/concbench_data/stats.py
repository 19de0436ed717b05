"""Confidence intervals from repetitions: percentile bootstrap of medians and of ratios of medians.

Why the bootstrap: concbench reports medians (robust to the odd descheduled repetition on a
virtual machine), and a median has no simple closed-form interval; with the handful of
repetitions a cell has, resampling is honest about how little is known. Every call uses its own
fixed seed, so a chart drawn twice is identical.
"""

from __future__ import annotations

import numpy as np

CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 20261125


def _medians_of_resamples(values: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    picks = rng.integers(0, len(values), size=(resamples, len(values)))
    return np.median(values[picks], axis=1)


def _percentiles(samples: np.ndarray, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(samples, [tail, 100.0 - tail])
    return float(low), float(high)


def _clean(values: np.ndarray | list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def median_ci(
    values: np.ndarray | list[float], confidence: float = CONFIDENCE, resamples: int = RESAMPLES
) -> tuple[float, float] | None:
    """Percentile-bootstrap interval of the median; None with fewer than two finite values."""
    data = _clean(values)
    if len(data) < 2:
        return None
    rng = np.random.default_rng(SEED)
    return _percentiles(_medians_of_resamples(data, rng, resamples), confidence)


def ratio_ci(
    numerator: np.ndarray | list[float],
    denominator: np.ndarray | list[float],
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
) -> tuple[float, float] | None:
    """Percentile-bootstrap interval of median(numerator) / median(denominator).

    The two samples are resampled independently (a cell and its base are separate measurements).
    None when either side has fewer than two finite values or a resampled base median is not > 0.
    """
    top, bottom = _clean(numerator), _clean(denominator)
    if len(top) < 2 or len(bottom) < 2:
        return None
    rng = np.random.default_rng(SEED)
    top_medians = _medians_of_resamples(top, rng, resamples)
    bottom_medians = _medians_of_resamples(bottom, rng, resamples)
    if np.any(bottom_medians <= 0):
        return None
    return _percentiles(top_medians / bottom_medians, confidence)
