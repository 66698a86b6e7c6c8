"""GRPO at one coverage level on a converted dataset, for `accelerate launch` on GPUs.

    accelerate launch --config_file docs/configs/accelerate_zero3.yaml docs/recipes/grpo_train.py \
        --init Qwen/Qwen2.5-Coder-7B-Instruct --problems lcb_train.jsonl --coverage 1 \
        --steps 500 --out runs/c1 --use-vllm --vllm-mode colocate --bf16

A thin launcher: it builds `codefrontier.train.grpo.GRPORunConfig` from flags and calls
`train_grpo` with the problems file (the CLI's `train grpo` defaults to the built-in suite).
`--dry-run` prints the configuration as JSON and exits (no torch, no model): check a command
before spending GPU hours on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--init", required=True, help="HF model id or path: the shared initialization")
    p.add_argument("--problems", required=True, help="problems file (from `codefrontier problems convert`)")
    p.add_argument("--coverage", type=int, required=True, help="c: reward on T_c (tiers <= c)")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--mode", default="binary", choices=["binary", "partial"])
    p.add_argument("--lr", type=float, default=1e-6)
    p.add_argument("--num-generations", type=int, default=8, help="GRPO group size")
    p.add_argument("--prompts-per-step", type=int, default=4, help="prompts per device per step")
    p.add_argument("--max-completion-length", type=int, default=4096)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--beta", type=float, default=0.0, help="KL coefficient; 0 = no reference model")
    p.add_argument("--save-steps", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--use-vllm", action="store_true")
    p.add_argument("--vllm-mode", default="colocate", choices=["colocate", "server"])
    p.add_argument("--vllm-server-base-url", default=None, help="server mode: e.g. http://VLLM_HOST:8000")
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--dry-run", action="store_true", help="print the run configuration and exit")
    return p.parse_args(argv)


def run_config(args: argparse.Namespace) -> object:
    from codefrontier.train.grpo import GRPORunConfig

    return GRPORunConfig(
        init=args.init, coverage=args.coverage, steps=args.steps, out=args.out, mode=args.mode,
        seed=args.seed, lr=args.lr, num_generations=args.num_generations,
        prompts_per_step=args.prompts_per_step, max_completion_length=args.max_completion_length,
        temperature=args.temperature, beta=args.beta, save_steps=args.save_steps,
        use_vllm=args.use_vllm, vllm_mode=args.vllm_mode, vllm_server_base_url=args.vllm_server_base_url,
        bf16=args.bf16, gradient_checkpointing=args.gradient_checkpointing,
    )


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    cfg = run_config(args)
    if args.dry_run:
        print(json.dumps({"run": asdict(cfg), "problems": args.problems}, indent=1))  # type: ignore[call-overload]
        return
    from codefrontier.problems import load_problems
    from codefrontier.train.grpo import train_grpo

    train_grpo(cfg, problems=load_problems(args.problems))  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
