"""Unbiased pass@k, single and matched-budget ensembles (docs/design.md, "Metrics").

For one problem with n samples of which c solved, the unbiased estimate is
    pass@k = 1 - C(n-c, k) / C(n, k).
The binomials overflow floats for n in the hundreds, so (like human-eval's
`estimate_pass_at_k`) we use the product form
    C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k / i),
which is exact in rational arithmetic and stable in floats (every factor in [0, 1]).

An ensemble of M checkpoints sharing a total budget k gives member i k_i samples
(sum k_i = k); the problem is missed only if every member misses, so
    pass@k = 1 - prod_i C(n_i - c_i, k_i) / C(n_i, k_i).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt


def _check(n: int, c: int, k: int) -> None:
    if not (0 <= c <= n):
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not (0 <= k <= n):
        raise ValueError(f"need 0 <= k <= n (an unbiased pass@k needs at least k samples), got n={n}, k={k}")


def miss_probability(n: int, c: int, k: int) -> float:
    """C(n-c, k) / C(n, k): chance that k of the n samples, drawn without replacement, all fail."""
    _check(n, c, k)
    if k == 0:
        return 1.0
    if n - c < k:  # fewer than k failures: any draw of k contains a success
        return 0.0
    i = np.arange(n - c + 1, n + 1, dtype=np.float64)
    return float(np.prod(1.0 - k / i))


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k for one problem (n samples, c correct); k=0 gives 0."""
    return 1.0 - miss_probability(n, c, k)


def ensemble_pass_at_k(members: Iterable[tuple[int, int, int]]) -> float:
    """Matched-budget ensemble pass@k for one problem: members are (n_i, c_i, k_i), k_i may be 0."""
    miss = 1.0
    for n, c, k in members:
        miss *= miss_probability(int(n), int(c), int(k))
    return 1.0 - miss


def split_budget(k: int, m: int) -> list[int]:
    """Split a total budget k over m members: k // m each, the remainder to the first k mod m."""
    if m <= 0 or k < 0:
        raise ValueError(f"need m >= 1 and k >= 0, got k={k}, m={m}")
    base, extra = divmod(k, m)
    return [base + (1 if i < extra else 0) for i in range(m)]


# ---- vectorised helpers over a table of problems ---------------------------------------------------

FloatArray = npt.NDArray[np.float64]


def miss_probabilities(n: npt.ArrayLike, c: npt.ArrayLike, k: int) -> FloatArray:
    """Elementwise C(n-c, k)/C(n, k) over arrays of n and c (same shape); NaN where n < k or n is NaN.

    The product runs over at most max(c) factors per element, vectorised across elements:
    shape of the work array is (elements, max c).
    """
    n_arr = np.asarray(n, dtype=np.float64)
    c_arr = np.asarray(c, dtype=np.float64)
    out = np.full(n_arr.shape, np.nan)
    ok = np.isfinite(n_arr) & np.isfinite(c_arr) & (n_arr >= k)
    if not ok.any():
        return out
    nn, cc = n_arr[ok], c_arr[ok]
    if k == 0:
        out[ok] = 1.0
        return out
    width = int(cc.max())
    j = np.arange(width, dtype=np.float64)  # factor j uses i = n - c + 1 + j, only for j < c
    i = (nn - cc + 1.0)[:, None] + j[None, :]
    factors = np.where(j[None, :] < cc[:, None], 1.0 - k / np.maximum(i, 1.0), 1.0)
    miss = np.prod(np.clip(factors, 0.0, 1.0), axis=1)
    miss[nn - cc < k] = 0.0
    out[ok] = miss
    return out


def pass_at_k_array(n: npt.ArrayLike, c: npt.ArrayLike, k: int) -> FloatArray:
    """Elementwise unbiased pass@k; NaN where fewer than k samples exist."""
    return 1.0 - miss_probabilities(n, c, k)


def ensemble_pass_at_k_array(
    n: npt.ArrayLike, c: npt.ArrayLike, budgets: Sequence[int]
) -> FloatArray:
    """Ensemble pass@k per problem: n, c are (problems, members); budgets[i] samples for member i."""
    n_arr = np.atleast_2d(np.asarray(n, dtype=np.float64))
    c_arr = np.atleast_2d(np.asarray(c, dtype=np.float64))
    if n_arr.shape[1] != len(budgets):
        raise ValueError(f"{n_arr.shape[1]} members but {len(budgets)} budgets")
    miss = np.ones(n_arr.shape[0])
    for i, k in enumerate(budgets):
        miss = miss * miss_probabilities(n_arr[:, i], c_arr[:, i], int(k))
    return 1.0 - miss


def default_ks(max_n: int) -> list[int]:
    """The k grid 1, 5, 10, 25, 50, 100, 250, 500, 1000, ... up to max_n, plus max_n itself; every k from 1
    when max_n <= 16 (a pass@k curve of a few samples needs its points, and a matched-budget comparison
    the small budgets 2-4, where the best single checkpoint is furthest from saturating: measured on the
    demo at 12 samples, the grid 1, 5, 10, 12 left only budgets where it solved 0.91-0.99)."""
    if max_n <= 16:
        return list(range(1, max_n + 1))
    ks: list[int] = []
    scale = 1
    while True:
        for step in (1, 2.5, 5) if scale >= 10 else (1, 5):
            k = int(step * scale)
            if k > max_n:
                return sorted(set(ks + ([max_n] if max_n >= 1 else [])))
            ks.append(k)
        scale *= 10
