"""`codefrontier train sft | grpo | sweep`: thin typer wrappers over the library.

Only typer and torch-free config modules at import time; torch/transformers/TRL load inside the commands.
Option defaults and help come from the configs (GRPORunConfig): an option left out stays None.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from codefrontier.rewards import RewardMode
from codefrontier.train.grpo import VLLMMode

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


def _opt(name: str, *flags: str, **kw: Any) -> Any:
    """An option of `train grpo|sweep`: default None, help and default from GRPORunConfig's field."""
    from codefrontier.options import config_option
    from codefrontier.train.grpo import GRPORunConfig

    return config_option(GRPORunConfig, name, *flags, **kw)


def run_config(init: str, level: int, out: Path, problems: str | None, problem_ids: str | None,
               **options: Any) -> GRPORunConfig:
    """GRPORunConfig from the flags given (None = not given: the config's default). `--problems` is a
    problem file (JSON/JSONL) or comma-separated built-in ids, as in `sample --problems`."""
    from codefrontier.episodes.problem_set import BUILTIN, is_problem_file
    from codefrontier.options import given
    from codefrontier.train.grpo import GRPORunConfig

    chosen = given(**options)
    if problems and is_problem_file(problems):
        chosen["problem_file"] = problems
        chosen["problems"] = _ids(problem_ids or "")
    elif problems and problems != BUILTIN:
        chosen["problems"] = _ids(problems)
    return GRPORunConfig(init=str(init), coverage=level, out=str(out), **chosen)


def _train_command(sweep: bool) -> Callable[..., None]:
    """`grpo` (one --coverage level) and `sweep` (--levels) share every other option."""
    level_opt = (typer.Option("1,2,4", "--levels", help="Comma-separated coverage levels, e.g. 1,2,4.") if sweep
                 else typer.Option(..., "--coverage", help="Coverage level c: reward on tiers <= c."))
    out_help = "Sweep folder: c<level>/ per run and manifest.json." if sweep else "Folder of the trained checkpoint."

    def command(
        init: str = typer.Option(..., "--init", help="Initial checkpoint: a HF folder or id, or a .gguf file."),
        levels: str = level_opt, out: Path = typer.Option(..., "--out", help=out_help),
        problems: str | None = typer.Option(None, "--problems", help="A problem file (.json/.jsonl, e.g. from "
                                            "`problems convert`) or comma-separated built-in ids "
                                            "(default: the whole built-in suite)."),
        problem_ids: str | None = typer.Option(None, "--problem-ids", help="With a problem file: a comma-separated "
                                               "subset of its ids."),
        steps: int | None = _opt("steps"), mode: RewardMode | None = _opt("mode"), lr: float | None = _opt("lr"),
        num_generations: int | None = _opt("num_generations"), prompts_per_step: int | None = _opt("prompts_per_step"),
        max_completion_length: int | None = _opt("max_completion_length"),
        temperature: float | None = _opt("temperature"), beta: float | None = _opt("beta"),
        seed: int | None = _opt("seed"), save_steps: int | None = _opt("save_steps"),
        use_vllm: bool | None = _opt("use_vllm", "--use-vllm/--no-use-vllm"),
        vllm_mode: VLLMMode | None = _opt("vllm_mode"),
        vllm_server_base_url: str | None = _opt("vllm_server_base_url"),
        bf16: bool | None = _opt("bf16", "--bf16/--no-bf16"),
        gradient_checkpointing: bool | None = _opt("gradient_checkpointing",
                                                   "--gradient-checkpointing/--no-gradient-checkpointing"),
        setting: str = typer.Option("reasoning", "--setting", help="reasoning | tool | agent: the setting rollouts "
                                    "play (tool and agent: multi-turn episodes, reward on the final submission)."),
        workers: int = typer.Option(1, "--workers", min=1, help="sweep: levels trained at once, one process each "
                                    "(results do not depend on it)."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Print the run configuration as JSON and exit "
                                     "(no torch, no model): check a command before spending GPU hours on it."),
    ) -> None:
        from codefrontier.errors import CodefrontierError
        from codefrontier.train.grpo import train_grpo
        from codefrontier.train.sweep import parse_levels, run_sweep

        level_list = parse_levels(levels)
        if not sweep and len(level_list) != 1:
            raise CodefrontierError(f"--coverage takes one level, got '{levels}' (fix: use `train sweep --levels`).")
        cfg = run_config(init, level_list[0], out, problems, problem_ids, steps=steps, mode=mode, lr=lr,
                         num_generations=num_generations, prompts_per_step=prompts_per_step,
                         max_completion_length=max_completion_length, temperature=temperature, beta=beta,
                         seed=seed, save_steps=save_steps, use_vllm=use_vllm, vllm_mode=vllm_mode,
                         vllm_server_base_url=vllm_server_base_url, bf16=bf16,
                         gradient_checkpointing=gradient_checkpointing)
        if dry_run:
            typer.echo(json.dumps({"run": cfg.to_json(), "levels": level_list, "setting": setting}, indent=1))
            return
        if setting != "reasoning":
            typer.echo(str(_multiturn(cfg, setting, sweep)))
            return
        result = (run_sweep(cfg, level_list, out, log=typer.echo, workers=workers) if sweep
                  else train_grpo(cfg, log=typer.echo))
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
