"""The paper's experiment end to end on the built-in world, as a readable recipe.

  suite   build the built-in problems (hidden tests at the evaluation seed)
  init    corpus -> byte-level BPE tokenizer -> tiny Llama SFT: the shared initialization
  rl      GRPO from that init at each coverage level (same seed and hyperparameters)
  sample  the weight line between the lowest- and highest-coverage checkpoints, θ(λ) set in
          place for every λ, plus the other trained levels; n samples per problem in each
          setting; judged on the hidden tests into RUN_DIR/sample/results.sqlite
  report  report.html / report.md / CSVs, and a terminal summary

Every stage is cached by its inputs (stages.py) and the sampling store is resumable, so an
interrupted demo continues where it stopped.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from codefrontier.demo.config import DemoConfig, Log
from codefrontier.demo.stages import StageResult, StageRunner
from codefrontier.errors import CodefrontierError
from codefrontier.io import atomic_write_json
from codefrontier.problems.model import Difficulty

__all__ = ["DemoConfig", "run_demo", "select_problems"]

# The init's tokenizer and batching: a 2,000-token BPE vocabulary writes the corpus in 17% fewer
# tokens than 800 (statements' numbers and code idioms merge), and length-sorted batches inside
# pools of 8 pad far less on a corpus mixing 300- and 800-token conversations.
INIT_VOCAB = 2000
INIT_BUCKET_POOL = 8


def run_demo(cfg: DemoConfig, log: Log = print) -> dict[str, Any]:
    """Run every stage (cached) and return a summary: stage timings, report path, per-λ table."""
    import torch

    torch.set_num_threads(cfg.threads)  # the thread count picks kernels and reduction orders: pinned
    root = Path(cfg.out)
    root.mkdir(parents=True, exist_ok=True)
    atomic_write_json(root / "demo_config.json", asdict(cfg))
    runner = StageRunner(root, fresh=cfg.fresh, report=log)
    t0 = time.perf_counter()
    problem_ids = select_problems(cfg)
    suite = runner.run("suite", {"seed": cfg.seed, "ids": problem_ids, "file": _file_key(cfg.problem_file)}, [],
                       lambda d: _suite_stage(d, cfg, problem_ids))
    levels = list(cfg.levels) or default_levels(suite)
    init_ids = init_problem_ids(cfg, problem_ids)
    init_inputs = {"seed": cfg.init_seed, "ids": init_ids, "epochs": cfg.sft_epochs, "lr": cfg.sft_lr,
                   "vocab": INIT_VOCAB, "bucket_pool": INIT_BUCKET_POOL, "traces": cfg.traces,
                   "threads": cfg.threads, "model": cfg.model, "train_init": cfg.train_init,
                   "shipped": _shipped_id(cfg)}
    init = runner.run("init", init_inputs, [], lambda d: _init_stage(d, cfg, init_ids, log))
    problem_file = suite.path / "problems.jsonl" if cfg.problem_file else None
    rl_ids = rl_problem_ids(cfg, problem_ids)
    rl = runner.run("rl", {"seed": cfg.seed, "reward_seed": reward_seed(cfg.seed), "levels": levels,
                           "steps": cfg.grpo_steps, "lr": cfg.grpo_lr, "threads": cfg.threads, "ids": rl_ids,
                           "num_generations": cfg.num_generations, "loop_rollouts": cfg.loop_rollouts,
                           "max_tokens": cfg.max_tokens, "temperature": cfg.temperature},
                    [init], lambda d: _rl_stage(d, cfg, Path(init.info["model"]), levels, rl_ids, log,
                                                problem_file))
    # batch_size and threads are inputs too: they set the kernels' shapes and reduction orders
    sample_inputs = {"seed": cfg.seed, "lams": cfg.lams, "settings": cfg.settings, "n": cfg.n,
                     "max_tokens": cfg.max_tokens, "max_turns": cfg.max_turns, "temperature": cfg.temperature,
                     "batch_size": cfg.batch_size, "threads": cfg.threads}
    sample = runner.run("sample", sample_inputs, [suite, rl],
                        lambda d: _sample_stage(d, cfg, suite.path, rl.path, levels, log))
    report = runner.run("report", {}, [sample], lambda d: _report_stage(d, sample.path))
    total = time.perf_counter() - t0
    return {"stages": runner.results, "report": report.path / "report.html", "total_s": total,
            "run_dir": sample.path}


def select_problems(cfg: DemoConfig) -> list[str]:
    if cfg.problem_file:  # every problem of the file (or the ids named with it)
        return list(cfg.problems) or [p.id for p in _file_problems(cfg)]
    from codefrontier.problems.builtin import all_specs

    ids = [s.id for s in all_specs()]
    if cfg.problems:
        missing = sorted(set(cfg.problems) - set(ids))
        if missing:
            raise CodefrontierError(f"demo --problems: unknown built-in problem ids {missing} "
                                    "(fix: run `codefrontier problems list` to see the ids).")
        return list(cfg.problems)
    return slice_ids(all_specs(), cfg.per_difficulty)


def slice_ids(specs: list[Any], per_difficulty: int) -> list[str]:
    """A deterministic slice: the shortest-to-write problems of each difficulty (a tiny model
    trained for minutes can learn short programs; the hard ones still need the intricate algorithm)."""
    picked: list[str] = []
    for diff in Difficulty:
        group = sorted((s for s in specs if s.difficulty is diff), key=lambda s: (len(s.reference), s.id))
        picked += [s.id for s in group[:per_difficulty]]
    return picked


def _file_problems(cfg: DemoConfig) -> list[Any]:
    from codefrontier.problems import load_problems

    return list(load_problems(Path(cfg.problem_file)))


def _file_key(path: str) -> str:
    """The content hash of a problem file (a changed file rebuilds the suite and everything after it)."""
    if not path:
        return ""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def default_levels(suite: StageResult) -> list[int]:
    """1, K-1 and K (K = the suite's tiers). Not 1, 2, K: brute force on the built-in training problems
    first exceeds the limit at tier 2 on 1 problem of 13, at 3 on 5, at 4 on 7, so levels 1 and 2 rewarded
    nearly the same programs (weight distance 0.027 at seed 0, identical checkpoints at 15 steps); level 3
    separates 6 problems from level 1 and 7 from level 4."""
    k = int(suite.info["max_tiers"])
    return sorted({1, max(1, k - 1), k})


def _suite_stage(d: Path, cfg: DemoConfig, ids: list[str]) -> dict[str, Any]:
    from codefrontier.problems import save_problems
    from codefrontier.problems.builtin import builtin_problems

    if cfg.problem_file:
        problems = [p for p in _file_problems(cfg) if p.id in set(ids)]
    else:
        problems = builtin_problems(seed=cfg.seed, ids=ids)
    save_problems(problems, d / "problems.jsonl")
    hard = sum(p.difficulty is Difficulty.HARD for p in problems)
    return {"problems": len(problems), "hard": hard, "max_tiers": max(p.num_tiers for p in problems),
            "tests": sum(len(p.tests) for p in problems)}


def init_problem_ids(cfg: DemoConfig, ids: list[str]) -> list[str]:
    """The problems the shared init is trained on: every built-in problem (the evaluated ones and GRPO's
    held-out training ones), so every built-in run can start from the shipped init."""
    if cfg.model or cfg.problem_file:
        return ids
    from codefrontier.problems.builtin import all_specs

    return [s.id for s in all_specs()]


def rl_problem_ids(cfg: DemoConfig, ids: list[str]) -> list[str]:
    """The problems GRPO trains on. `heldout` (built-in suite): every built-in problem the run does not
    evaluate, as the paper trains on training problems and evaluates on others; a model trained on the
    evaluated problems learns per problem which of its programs pass, not a way of coding. Otherwise (a
    problem file, --no-heldout) the evaluated problems themselves."""
    if not cfg.heldout or cfg.problem_file:
        return ids
    evaluated = set(ids)
    rest = [i for i in init_problem_ids(cfg, ids) if i not in evaluated]
    if not rest:
        raise CodefrontierError("demo: --heldout leaves no built-in problem to train on: every one is evaluated "
                                "(fix: name fewer --problems, or pass --no-heldout).")
    return rest


def init_sft_config(cfg: DemoConfig, ids: list[str], out: Path) -> Any:
    from codefrontier.train.sft import SFTConfig

    return SFTConfig(out=str(out), problems=tuple(ids), epochs=cfg.sft_epochs, lr=cfg.sft_lr, seed=cfg.init_seed,
                     vocab_size=INIT_VOCAB, bucket_pool=INIT_BUCKET_POOL, traces=cfg.traces)


def _shipped_id(cfg: DemoConfig) -> str:
    """Which shipped init a cached init stage came from (a rebuilt one invalidates it)."""
    from codefrontier.demo.prebuilt import read_meta

    return "" if cfg.model or cfg.train_init else str(read_meta().get("corpus_sha256", ""))


def _init_stage(d: Path, cfg: DemoConfig, ids: list[str], log: Log) -> dict[str, Any]:
    if cfg.model:  # a given init (HF folder or id, or .gguf): no SFT
        from codefrontier.models.checkpoint import resolve_checkpoint

        return {"model": resolve_checkpoint(cfg.model)}
    from codefrontier.demo import prebuilt
    from codefrontier.train.sft import train_sft

    sft = init_sft_config(cfg, ids, d / "model")
    if not cfg.train_init:
        why = prebuilt.why_not(sft)
        if not why:
            prebuilt.install(d / "model")
            meta = prebuilt.read_meta()
            log(f"         the shipped init (built {meta.get('built')}, {meta.get('sft_steps')} SFT steps, corpus "
                f"{str(meta.get('corpus_sha256'))[:12]}, current); --train-init trains one here instead")
            return {"model": str(d / "model"), "shipped": True}
        log(f"         training the init (~15 min on 2 cores): the shipped one is not used: {why}")
    train_sft(sft, log=_quiet(log))
    return {"model": str(d / "model"), "shipped": False}


def _rl_stage(d: Path, cfg: DemoConfig, init: Path, levels: list[int], ids: list[str], log: Log,
              problem_file: Path | None = None) -> dict[str, Any]:
    from codefrontier.train.grpo import GRPORunConfig
    from codefrontier.train.sweep import run_sweep

    template = GRPORunConfig(init=str(init), coverage=levels[0], steps=cfg.grpo_steps, lr=cfg.grpo_lr, out=str(d),
                             num_generations=cfg.num_generations,
                             problems=tuple(ids), seed=cfg.seed, reward_seed=reward_seed(cfg.seed),
                             max_completion_length=cfg.max_tokens,
                             temperature=cfg.temperature, quiet=True, loop_rollouts=cfg.loop_rollouts,
                             problem_file=str(problem_file) if problem_file else None)
    run_sweep(template, levels, d, log=_quiet(log), workers=cfg.rl_workers)
    dist = level_distances(d, levels)
    for (a, b), v in dist.items():
        log(f"         weight distance ||θ_cov{b} − θ_cov{a}|| = {v:.4f}")
    same = [f"cov{a} and cov{b}" for (a, b), v in dist.items() if v == 0.0]
    if same and (cfg.model or cfg.quick):  # a few steps may earn no reward spread: say so, go on
        log(f"         warning: {', '.join(same)} are identical checkpoints (no reward spread at those levels)")
    elif same:  # the built-in world: the same reward signal at two levels says nothing about coverage
        raise CodefrontierError(f"demo rl: {', '.join(same)} are identical checkpoints: those coverage levels gave "
                                "the same rewards (fix: problems whose brute force fails at different tiers, "
                                "or more --steps).")
    return {"levels": ",".join(map(str, levels)),
            "distances": ",".join(f"{a}-{b}:{v:.4f}" for (a, b), v in dist.items())}


def reward_seed(seed: int) -> int:
    """Hidden-test seed of GRPO's reward on the built-in suite: never the evaluation's `seed`, as a model is
    trained on other tests than the hidden ones it is judged on (seed 0 trains on seed 1's tests, as before)."""
    return seed + 1


def level_distances(rl_dir: Path, levels: list[int]) -> dict[tuple[int, int], float]:
    """L2 distance between the weights of each pair of consecutive trained levels (float32)."""
    from safetensors.torch import load_file

    from codefrontier.train.sweep import level_dir

    weights = {c: load_file(str(level_dir(rl_dir, c) / "model.safetensors")) for c in levels}
    out = {}
    for a, b in zip(levels, levels[1:], strict=False):  # consecutive pairs
        sq = sum(float(((weights[b][k].float() - t.float()) ** 2).sum()) for k, t in weights[a].items())
        out[(a, b)] = sq ** 0.5
    return out


def _sample_stage(d: Path, cfg: DemoConfig, suite_dir: Path, rl_dir: Path, levels: list[int],
                  log: Log) -> dict[str, Any]:
    from codefrontier.demo.sampling import sample_line

    stats = sample_line(d, cfg, suite_dir / "problems.jsonl", rl_dir, levels, log)
    return stats


def _report_stage(d: Path, run_dir: Path) -> dict[str, Any]:
    from codefrontier.analysis.report import build_report, load_run

    frame, meta = load_run(run_dir)
    build_report(frame, meta, d)
    return {"samples": len(frame)}


def _quiet(log: Log) -> Log:
    """Library logs go to the terminal indented under the stage's status line."""
    return lambda line: log(f"         {line}")

