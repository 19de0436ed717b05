"""E-Divisive means: hierarchical change-point detection with a permutation test.

Matteson, D. S. and James, N. A. (2014), "A Nonparametric Approach for Multiple Change Point
Analysis of Multivariate Data", Journal of the American Statistical Association 109(505), 334–345:
the E-Divisive method with the energy distance at exponent 1 (which compares the two segments'
means, hence "E-Divisive means"), as MongoDB runs it over its performance-test series (Daly et al.,
"Creating a Virtuous Cycle in Performance Testing at MongoDB", ICPE 2020) and as Hunter / Apache
Otava started from (Fleming et al., ICPE 2023).

For a series z_0..z_{n-1} split at τ into X = z_0..z_{τ-1} and Y = z_τ..z_{n-1} (m = τ, k = n − τ),
with the exponent α of the energy distance (0 < α < 2):

    E(τ) = 2/(m k) Σ |x − y|^α  −  1/C(m,2) Σ_{i<j} |x_i − x_j|^α  −  1/C(k,2) Σ_{i<j} |y_i − y_j|^α
    Q(τ) = m k / n · E(τ)

The paper's examples use α = 1; its consistency results need E|Z|^α < ∞ only, and a smaller α
weighs large distances less. concbench uses α = 0.25 by default: timing noise under load is heavy
tailed (a descheduled run is 2-10x slow), and a slowed stretch of real runs was noisier than the
stretch before it — at α = 1 the scatter inside the new segment nearly hid a clear drop
(tests/scripts/test_history_edivisive.py); docs/ci.md compares the false alarms and detection of
both, which are the same within their intervals.

The best split of a segment maximises Q. Hierarchically: find the best split of every current
segment, take the one with the largest Q, and test it: shuffle the values *within each current
segment* R times, recompute the largest Q over all segments each time, and p = (1 + #{Q_perm ≥
Q}) / (1 + R). A change point is kept when p ≤ `significance`, its segment is split, and the
search goes on; the first split that is not significant ends it. Segments shorter than
2 · `min_size` are not split. The permutations come from a seeded generator: the same series gives
the same change points every time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_SIGNIFICANCE = 0.01
DEFAULT_PERMUTATIONS = 999
DEFAULT_MIN_SIZE = 3
DEFAULT_EXPONENT = 0.25  # < 1: the test then needs only E|X|^0.25 finite (heavy-tailed timing noise)


@dataclass(frozen=True)
class ChangePoint:
    index: int  # the first point of the new segment
    p_value: float
    statistic: float  # Q at the split


def _best_q(segments: np.ndarray, min_size: int, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Best split of each row of `segments` (shape (batch, n)): (τ per row, Q per row)."""
    batch, n = segments.shape
    tau = np.arange(min_size, n - min_size + 1)
    if not len(tau):
        return np.full(batch, -1), np.full(batch, -np.inf)
    distances = np.abs(segments[:, :, None] - segments[:, None, :]) ** exponent
    sums = np.zeros((batch, n + 1, n + 1))
    sums[:, 1:, 1:] = distances.cumsum(axis=1).cumsum(axis=2)  # sums[b, i, j] = Σ distances[b, :i, :j]
    total = sums[:, n, n][:, None]
    left = sums[:, tau, tau]  # both orders of every pair inside X
    between = sums[:, tau, n] - left  # every x against every y
    right = total - left - 2 * between
    m, k = tau.astype(float), (n - tau).astype(float)
    q = m * k / n * (2 * between / (m * k) - left / (m * (m - 1)) - right / (k * (k - 1)))
    best = np.argmax(q, axis=1)
    return tau[best], q[np.arange(batch), best]


def best_split(values: np.ndarray, min_size: int = DEFAULT_MIN_SIZE,
               exponent: float = DEFAULT_EXPONENT) -> tuple[int, float]:
    """(τ, Q(τ)) of the best split of one segment; (-1, -inf) when it is too short to split."""
    tau, q = _best_q(np.asarray(values, dtype=float)[None, :], min_size, exponent)
    return int(tau[0]), float(q[0])


def _largest_split(values: np.ndarray, bounds: list[int], min_size: int, exponent: float) -> tuple[int, float]:
    """The best split over all segments [bounds[i], bounds[i+1]): (absolute index, Q)."""
    best_index, best_q = -1, -np.inf
    for start, stop in zip(bounds[:-1], bounds[1:]):
        tau, q = best_split(values[start:stop], min_size, exponent)
        if q > best_q:
            best_index, best_q = start + tau, q
    return best_index, best_q


def _permuted_maxima(series: np.ndarray, bounds: list[int], min_size: int, exponent: float, permutations: int,
                     rng: np.random.Generator) -> np.ndarray:
    """The largest Q over all segments for each of `permutations` shuffles within the segments."""
    maxima = np.full(permutations, -np.inf)
    for start, stop in zip(bounds[:-1], bounds[1:]):
        n = stop - start
        if n < 2 * min_size:
            continue
        shuffled = rng.permuted(np.broadcast_to(series[start:stop], (permutations, n)), axis=1)
        chunk = max(1, 4_000_000 // (n * n))  # at most ~100 MB of distances at once
        for first in range(0, permutations, chunk):
            _, q = _best_q(shuffled[first:first + chunk], min_size, exponent)
            maxima[first:first + chunk] = np.maximum(maxima[first:first + chunk], q)
    return maxima


def e_divisive(values: np.ndarray | list[float], *, significance: float = DEFAULT_SIGNIFICANCE,
               permutations: int = DEFAULT_PERMUTATIONS, min_size: int = DEFAULT_MIN_SIZE,
               exponent: float = DEFAULT_EXPONENT, seed: int = 0) -> list[ChangePoint]:
    """Change points of a univariate series, in order of position."""
    series = np.asarray(values, dtype=float)
    if min_size < 2:
        raise ValueError("min_size must be at least 2 (a within-segment distance needs two values)")
    if not 0 < exponent < 2:
        raise ValueError("exponent must be in (0, 2): the energy distance characterises distributions there")
    rng = np.random.default_rng(seed)
    bounds = [0, len(series)]
    found: list[ChangePoint] = []
    while True:
        index, q = _largest_split(series, bounds, min_size, exponent)
        if index < 0 or not np.isfinite(q):
            break
        maxima = _permuted_maxima(series, bounds, min_size, exponent, permutations, rng)
        as_large = int(np.sum(maxima >= q - 1e-12 * abs(q)))
        p_value = (1 + as_large) / (1 + permutations)
        if p_value > significance:
            break
        found.append(ChangePoint(index, p_value, q))
        bounds = sorted([*bounds, index])
    return sorted(found, key=lambda c: c.index)
