"""A freshly initialised tiny Llama with the built-in world's tokenizer kind and chat template.

For tests and `benchmarks/sample_bench.py` when the built-in world's trained model is not at
hand: the same architecture (`models.tiny`) and tokenizer (`models.tokenizer`), untrained
weights (it emits noise, at the speed a trained model of that size would).
"""

from __future__ import annotations

from typing import Any

from codefrontier.models.tiny import ModelConfig, tiny_llama
from codefrontier.models.tokenizer import train_tokenizer

_DEFAULT_CORPUS = ["def main():\n    n = int(input())\n    print(sum(range(n)))\n", "Print a+b. ```python\n```"]


def fresh_tiny_model(corpus: list[str] | None = None, hidden: int = 64, layers: int = 2,
                     max_positions: int = 2048, seed: int = 0, vocab_size: int = 512) -> tuple[Any, Any]:
    """(model, tokenizer): an untrained LlamaForCausalLM in eval mode and its tokenizer."""
    tok = train_tokenizer(corpus or _DEFAULT_CORPUS, vocab_size)
    cfg = ModelConfig(hidden=hidden, layers=layers, heads=4, intermediate=hidden * 3, max_positions=max_positions)
    return tiny_llama(cfg, tok, seed=seed).eval(), tok
