"""`codefrontier train sft | grpo | sweep`: thin typer wrappers over the library.

Only typer and stdlib at import time; torch/transformers/TRL load inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from codefrontier.train.grpo import GRPORunConfig

app = typer.Typer(no_args_is_help=True)


def _ids(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


@app.command("sft")
def sft(
    out: Path = typer.Option(..., "--out", help="Output folder (HF checkpoint + tokenizer + sft_config.json)."),
    epochs: float = typer.Option(4.0, help="Passes over the corpus."),
    max_steps: int = typer.Option(0, help="> 0: stop after this many steps (overrides --epochs)."),
    batch_size: int = typer.Option(16),
    lr: float = typer.Option(2e-3),
    hidden: int = typer.Option(128, help="Model width."),
    layers: int = typer.Option(4, help="Transformer layers."),
    vocab_size: int = typer.Option(800, help="BPE vocabulary size."),
    per_problem: int = typer.Option(24, help="Corpus examples per problem."),
    problems: str = typer.Option("", help="Comma-separated built-in problem ids (default: all)."),
    seed: int = typer.Option(0),
    traces: bool = typer.Option(False, "--traces/--no-traces",
                                help="Add tool-setting and agent-feedback traces (real sandbox runs) to the corpus."),
    bucket_pool: int = typer.Option(0, help="> 0: length-sorted batches within pools of this many batches "
                                    "(faster on the mixed trace corpus; 8 is what settings_check uses)."),
) -> None:
    """Build the corpus, train tokenizer and tiny Llama: the shared initialization."""
    from codefrontier.models.tiny import ModelConfig
    from codefrontier.train.corpus import CorpusConfig
    from codefrontier.train.sft import SFTConfig, train_sft

    cfg = SFTConfig(out=str(out), vocab_size=vocab_size, model=ModelConfig(hidden=hidden, layers=layers),
                    corpus=CorpusConfig(per_problem=per_problem), problems=_ids(problems), epochs=epochs,
                    max_steps=max_steps, batch_size=batch_size, lr=lr, seed=seed, traces=traces,
                    bucket_pool=bucket_pool)
    typer.echo(str(train_sft(cfg, log=typer.echo)))


def _grpo_template(init: Path, coverage: int, steps: int, out: Path, mode: str, lr: float, num_generations: int,
                   prompts_per_step: int, max_completion_length: int, problems: str, seed: int, use_vllm: bool,
                   vllm_mode: str, vllm_server_base_url: str, bf16: bool, gradient_checkpointing: bool) -> GRPORunConfig:
    from codefrontier.train.grpo import GRPORunConfig

    return GRPORunConfig(
        init=str(init), coverage=coverage, steps=steps, out=str(out), mode=mode, lr=lr,
        num_generations=num_generations, prompts_per_step=prompts_per_step,
        max_completion_length=max_completion_length, problems=_ids(problems), seed=seed, use_vllm=use_vllm,
        vllm_mode=vllm_mode, vllm_server_base_url=vllm_server_base_url or None, bf16=bf16,
        gradient_checkpointing=gradient_checkpointing)


_INIT = typer.Option(..., "--init", help="Initial checkpoint: a HF folder or model id.")
_OPTS = dict(
    steps=typer.Option(100, "--steps", help="GRPO optimizer steps."),
    mode=typer.Option("binary", help="Reward mode: binary or partial."),
    lr=typer.Option(2e-4, help="Learning rate (TRL's 1e-6 default is too small for tiny models)."),
    num_generations=typer.Option(8, help="Completions per prompt (>= 8 keeps reward spread)."),
    prompts_per_step=typer.Option(2, help="Prompts per optimizer step."),
    max_completion_length=typer.Option(256, help="Max completion tokens."),
    problems=typer.Option("", help="Comma-separated problem ids (default: all built-in)."),
    seed=typer.Option(0),
    use_vllm=typer.Option(False, help="GPU: generate with vLLM."),
    vllm_mode=typer.Option("colocate", help="GPU: vLLM 'colocate' (in-process) or 'server' (trl vllm-serve)."),
    vllm_server_base_url=typer.Option("", help="GPU: URL of a running `trl vllm-serve` (server mode)."),
    bf16=typer.Option(False, help="GPU: bf16 mixed precision."),
    gradient_checkpointing=typer.Option(False, help="Trade compute for memory on large models."),
)


def _train_command(sweep: bool) -> Callable[..., None]:
    """`grpo` (one --coverage level) and `sweep` (--levels) share every other option."""
    level_opt = (typer.Option("1,2,4", "--levels", help="Comma-separated coverage levels, e.g. 1,2,4.") if sweep
                 else typer.Option(..., "--coverage", help="Coverage level c: reward on tiers <= c."))
    out_help = "Sweep folder: c<level>/ per run and manifest.json." if sweep else "Folder of the trained checkpoint."

    def command(
        init: Path = _INIT, levels: str = level_opt, out: Path = typer.Option(..., "--out", help=out_help),
        steps: int = _OPTS["steps"], mode: str = _OPTS["mode"], lr: float = _OPTS["lr"],
        num_generations: int = _OPTS["num_generations"], prompts_per_step: int = _OPTS["prompts_per_step"],
        max_completion_length: int = _OPTS["max_completion_length"], problems: str = _OPTS["problems"],
        seed: int = _OPTS["seed"], use_vllm: bool = _OPTS["use_vllm"], vllm_mode: str = _OPTS["vllm_mode"],
        vllm_server_base_url: str = _OPTS["vllm_server_base_url"], bf16: bool = _OPTS["bf16"],
        gradient_checkpointing: bool = _OPTS["gradient_checkpointing"],
        setting: str = typer.Option("reasoning", "--setting", help="reasoning | tool | agent: the setting rollouts "
                                    "play (tool and agent: multi-turn episodes, reward on the final submission)."),
    ) -> None:
        from codefrontier.errors import CodefrontierError
        from codefrontier.train.grpo import train_grpo
        from codefrontier.train.sweep import parse_levels, run_sweep

        level_list = parse_levels(levels)
        if not sweep and len(level_list) != 1:
            raise CodefrontierError(f"--coverage takes one level, got '{levels}' (fix: use `train sweep --levels`).")
        cfg = _grpo_template(init, level_list[0], steps, out, mode, lr, num_generations, prompts_per_step,
                             max_completion_length, problems, seed, use_vllm, vllm_mode, vllm_server_base_url,
                             bf16, gradient_checkpointing)
        if setting != "reasoning":
            typer.echo(str(_multiturn(cfg, setting, sweep)))
            return
        result = run_sweep(cfg, level_list, out, log=typer.echo) if sweep else train_grpo(cfg, log=typer.echo)
        typer.echo(str(result))

    return command


def _multiturn(cfg: GRPORunConfig, setting: str, sweep: bool) -> Path:
    """`train grpo --setting tool|agent`: multi-turn GRPO (train/multiturn.py)."""
    from codefrontier.episodes.settings import Setting
    from codefrontier.errors import CodefrontierError
    from codefrontier.train.multiturn import MultiTurnConfig, train_grpo_multiturn

    if setting not in ("tool", "agent"):
        raise CodefrontierError(f"--setting '{setting}' is not a setting (fix: use reasoning, tool or agent).")
    if sweep:
        raise CodefrontierError("--setting tool/agent runs one level at a time (fix: use `train grpo --coverage C`).")
    return train_grpo_multiturn(MultiTurnConfig(run=cfg, setting=Setting(setting)), log=typer.echo)


app.command("grpo", help="GRPO (TRL) from --init under the coverage-c reward; saves the final model to --out.")(
    _train_command(sweep=False))
app.command("sweep", help="One GRPO checkpoint per coverage level, same init, seed and hyperparameters; "
                          "writes manifest.json.")(_train_command(sweep=True))
