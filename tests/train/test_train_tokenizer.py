from __future__ import annotations

from pathlib import Path

from codefrontier.models.tokenizer import EOS, PAD, train_tokenizer

TEXTS = ["n = int(input())\nprint(sum(map(int, input().split())))\n", "def solve():\n    return 0\n"] * 30


def test_tokenizer_round_trips_any_text_and_saves_with_chat_template(tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    tok = train_tokenizer(TEXTS, vocab_size=300)
    tok.save_pretrained(str(tmp_path))
    tok = AutoTokenizer.from_pretrained(str(tmp_path))
    for text in [TEXTS[0], "unseen: ünïcødé → 🙂\t\r\n  x", ""]:
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert tok.decode(ids) == text
    assert len(tok(TEXTS[0], add_special_tokens=False)["input_ids"]) < len(TEXTS[0]) / 2  # BPE merged something
    assert tok.padding_side == "left" and tok.pad_token == PAD and tok.eos_token == EOS
    msgs = [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}]
    text = tok.apply_chat_template(msgs, tokenize=False)
    assert text == "<|bos|><|user|>\nQ<|eos|>\n<|assistant|>\nA<|eos|>\n"
    prompt = tok.apply_chat_template(msgs[:1], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("<|assistant|>\n")
    # special markers are single tokens
    assert len(tok("<|assistant|>", add_special_tokens=False)["input_ids"]) == 1
    batch = tok(["a", "a b c d"], padding=True)
    assert batch["input_ids"][0][0] == tok.pad_token_id  # left padding
