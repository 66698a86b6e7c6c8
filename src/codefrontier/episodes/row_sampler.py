"""Per-row seeded sampling for transformers' generate: a sample depends on its own seed, not its batch.

transformers samples a whole batch from one torch generator, so a row's tokens depend on which
rows share its batch (and a resumed run, which batches differently, would draw other samples).
`RowSampler` is a logits processor that turns greedy decoding into sampling with one generator
per row (Gumbel-max: argmax(logits / T + Gumbel noise) is a draw from softmax(logits / T)), with
top-p applied first. generate() then runs with do_sample=False and picks the argmax of what this
processor returns: the same draw as multinomial sampling, from the row's own random stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class RowSampler:
    """A `LogitsProcessor` (duck-typed: called with (input_ids, scores), returns scores)."""

    def __init__(self, seeds: Sequence[int], temperature: float, top_p: float = 1.0):
        import torch

        if temperature <= 0:
            raise ValueError("RowSampler samples: give a temperature above 0 (greedy needs no sampler).")
        self.temperature, self.top_p = float(temperature), float(top_p)
        self.generators = [torch.Generator().manual_seed(int(s) % (2**63)) for s in seeds]

    def subset(self, rows: Sequence[int]) -> RowSampler:
        """A sampler over these rows only, sharing their generators: each row's stream goes on where it was."""
        out = RowSampler.__new__(RowSampler)
        out.temperature, out.top_p = self.temperature, self.top_p
        out.generators = [self.generators[i] for i in rows]
        return out

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        logits = scores.float() / self.temperature  # (B, vocab)
        if self.top_p < 1.0:
            logits = _top_p(logits, self.top_p)
        vocab = logits.shape[-1]
        # One uniform draw per (row, token) from the row's own stream: (B, vocab), on the CPU
        u = torch.stack([torch.rand(vocab, generator=g) for g in self.generators]).to(logits.device)
        gumbel = -torch.log(-torch.log(u.clamp_(1e-20, 1.0 - 1e-7)))
        return logits + gumbel  # argmax of this = a sample of softmax(logits)


def _top_p(logits: Any, top_p: float) -> Any:
    """Logits outside the smallest set of tokens whose probability reaches top_p set to -inf."""
    import torch

    sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
    cum = torch.softmax(sorted_logits, dim=-1).cumsum(dim=-1)
    drop = cum - torch.softmax(sorted_logits, dim=-1) >= top_p  # mass before this token already reaches p
    sorted_logits = sorted_logits.masked_fill(drop, float("-inf"))
    return torch.full_like(logits, float("-inf")).scatter(-1, order, sorted_logits)
