"""GRPO at one coverage level on a converted dataset, for `accelerate launch` on GPUs.

    accelerate launch --config_file docs/configs/accelerate_zero3.yaml docs/recipes/grpo_train.py \
        --init Qwen/Qwen2.5-Coder-7B-Instruct --problems lcb_train.jsonl --coverage 1 \
        --steps 500 --out runs/c1 --use-vllm --vllm-mode colocate --bf16 \
        --prompts-per-step 4 --max-completion-length 4096 --lr 1e-6

A thin launcher over `codefrontier train grpo`: the same flags, the same `GRPORunConfig` and its
defaults (the CPU-scale ones: give a 7B model its own --lr / --max-completion-length as above).
`--problems` takes a problem file (from `codefrontier problems convert`) or built-in ids;
`--dry-run` prints the configuration as JSON and exits (no torch, no model): check a command
before spending GPU hours on it. `--help` lists every flag with its default.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from codefrontier.cli import main as codefrontier_main

    codefrontier_main(["train", "grpo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
