"""A freshly initialised tiny Llama with a locally trained byte-level BPE tokenizer and chat template.

For tests and `benchmarks/sample_bench.py` when the built-in world's trained model is not at
hand: the same architecture and tokenizer kind, untrained weights (it emits noise, at the
speed a trained model of that size would).
"""

from __future__ import annotations

from typing import Any

CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}<|end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
SPECIAL = ["<|pad|>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>", "<|tool|>"]


def fresh_tokenizer(corpus: list[str], vocab_size: int = 512) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    raw.train_from_iterator(corpus, trainer)
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, pad_token="<|pad|>", eos_token="<|end|>")
    tok.chat_template = CHAT_TEMPLATE
    return tok


def fresh_tiny_model(corpus: list[str] | None = None, hidden: int = 64, layers: int = 2,
                     max_positions: int = 2048, seed: int = 0, vocab_size: int = 512) -> tuple[Any, Any]:
    """(model, tokenizer): an untrained LlamaForCausalLM in eval mode and its tokenizer."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    text = corpus or ["def main():\n    n = int(input())\n    print(sum(range(n)))\n", "Print a+b. ```python\n```"]
    tok = fresh_tokenizer(text, vocab_size)
    torch.manual_seed(seed)
    config = LlamaConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers,
                         num_attention_heads=4, num_key_value_heads=4, intermediate_size=hidden * 3,
                         max_position_embeddings=max_positions, tie_word_embeddings=True,
                         pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, bos_token_id=None)
    return LlamaForCausalLM(config).eval(), tok
