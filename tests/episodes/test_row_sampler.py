"""Per-row seeded sampling: draws follow softmax(logits / T) (with top-p), and depend on the row's seed only."""

from __future__ import annotations

import pytest
import torch

from codefrontier.episodes.row_sampler import RowSampler


def _draws(logits: torch.Tensor, seeds: range, temperature: float, top_p: float = 1.0) -> torch.Tensor:
    sampler = RowSampler(list(seeds), temperature, top_p)
    return sampler(None, logits.expand(len(seeds), -1)).argmax(dim=-1)


def test_draws_follow_the_tempered_softmax() -> None:
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0]])
    draws = _draws(logits, range(20_000), temperature=0.7)
    freq = torch.bincount(draws, minlength=4).float() / len(draws)
    expected = torch.softmax(logits[0] / 0.7, dim=-1)
    assert torch.allclose(freq, expected, atol=0.015), (freq, expected)


def test_top_p_keeps_only_the_nucleus() -> None:
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]]))
    draws = _draws(logits, range(5_000), temperature=1.0, top_p=0.75)
    assert set(draws.tolist()) == {0, 1}  # 0.5 + 0.3 reach 0.75; the tail is never drawn
    freq = (draws == 0).float().mean()
    assert abs(float(freq) - 0.5 / 0.8) < 0.03


def test_a_row_depends_on_its_seed_not_on_its_neighbours() -> None:
    logits = torch.randn(1, 50, generator=torch.Generator().manual_seed(0))
    alone = RowSampler([11], 1.0)(None, logits.clone()).argmax(-1)
    mixed = RowSampler([5, 11, 7], 1.0)(None, logits.expand(3, -1).clone()).argmax(-1)
    assert int(alone[0]) == int(mixed[1])
    with pytest.raises(ValueError, match="temperature above 0"):
        RowSampler([1], 0.0)
