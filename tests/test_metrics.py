"""pass@k and matched-budget ensembles against exact rational arithmetic and brute force."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import numpy as np
import pytest

from codefrontier.metrics import (
    default_ks,
    ensemble_pass_at_k,
    ensemble_pass_at_k_array,
    pass_at_k,
    pass_at_k_array,
    split_budget,
)


def exact_pass(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(math.comb(n - c, k), math.comb(n, k))


def random_cases(count: int, seed: int = 0) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    cases = [(10, 8, 5), (10, 10, 10), (5, 0, 5), (1, 1, 1), (1, 0, 1), (300, 1, 300), (250, 3, 100)]
    for _ in range(count):
        n = rng.randint(1, 400)
        cases.append((n, rng.randint(0, n), rng.randint(1, n)))
    return cases


def test_pass_at_k_matches_exact_rationals_including_edge_cases() -> None:
    cases = random_cases(300)
    assert any(n - c < k for n, c, k in cases) and any(k == n for n, _, k in cases)
    for n, c, k in cases:
        assert pass_at_k(n, c, k) == pytest.approx(float(exact_pass(n, c, k)), rel=1e-12, abs=1e-13)


def test_vectorised_pass_at_k_matches_scalar() -> None:
    cases = random_cases(200, seed=1)
    for k in (1, 5, 50):
        n = np.array([x[0] for x in cases])
        c = np.array([x[1] for x in cases])
        got = pass_at_k_array(n, c, k)
        for i, (ni, ci, _) in enumerate(cases):
            if ni < k:
                assert np.isnan(got[i])
            else:
                assert got[i] == pytest.approx(float(exact_pass(ni, ci, k)), rel=1e-12, abs=1e-13)


def brute_force_ensemble(members: list[tuple[int, int, int]]) -> Fraction:
    """Enumerate every way to draw k_i of the n_i samples of each member; count draws with a success."""
    per_member = []
    for n, c, k in members:
        outcomes = [True] * c + [False] * (n - c)
        draws = list(itertools.combinations(range(n), k))
        hit = sum(any(outcomes[j] for j in d) for d in draws)
        per_member.append((hit, len(draws)))
    total = math.prod(d for _, d in per_member)
    miss = math.prod(d - h for h, d in per_member)
    return Fraction(total - miss, total)


def test_ensemble_matches_brute_force_enumeration() -> None:
    rng = random.Random(2)
    for _ in range(60):
        members = []
        for _ in range(rng.randint(1, 3)):
            n = rng.randint(1, 7)
            members.append((n, rng.randint(0, n), rng.randint(0, n)))
        assert ensemble_pass_at_k(members) == pytest.approx(float(brute_force_ensemble(members)), abs=1e-12)
        n = np.array([[m[0] for m in members]])
        c = np.array([[m[1] for m in members]])
        vec = ensemble_pass_at_k_array(n, c, [m[2] for m in members])
        assert vec[0] == pytest.approx(float(brute_force_ensemble(members)), abs=1e-12)


def test_ensemble_of_one_is_pass_at_k_and_zero_budget_member_is_neutral() -> None:
    assert ensemble_pass_at_k([(20, 3, 7)]) == pytest.approx(pass_at_k(20, 3, 7))
    assert ensemble_pass_at_k([(20, 3, 7), (10, 10, 0)]) == pytest.approx(pass_at_k(20, 3, 7))
    assert pass_at_k(10, 3, 0) == 0.0


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError):
        pass_at_k(5, 6, 1)
    with pytest.raises(ValueError):
        pass_at_k(5, 2, 6)


def test_split_budget_gives_remainder_to_first_members() -> None:
    assert split_budget(10, 3) == [4, 3, 3]
    assert split_budget(11, 4) == [3, 3, 3, 2]
    assert split_budget(2, 3) == [1, 1, 0]
    assert sum(split_budget(97, 5)) == 97


def test_default_ks() -> None:
    assert default_ks(50) == [1, 5, 10, 25, 50]
    assert default_ks(64) == [1, 5, 10, 25, 50, 64]
    assert default_ks(1000)[-4:] == [100, 250, 500, 1000]
    assert default_ks(3) == [1, 2, 3] and default_ks(8) == list(range(1, 9))
    assert default_ks(12) == list(range(1, 13)) and default_ks(16) == list(range(1, 17))
    assert default_ks(17) == [1, 5, 10, 17]
