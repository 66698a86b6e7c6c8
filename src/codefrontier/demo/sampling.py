"""The demo's sampling stage: the weight line and the other trained levels, in place, one model.

A = the lowest-coverage checkpoint, B = the highest. The model is loaded once (from A);
for each λ, `WeightLine(A, B).apply(model, λ)` sets θ(λ) = A + λ(B − A) into it, so no
merged checkpoint is ever written. A trained level between the endpoints is set the same way,
as the λ = 1 end of the line from A to it (bit for bit that checkpoint).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codefrontier.demo.config import DemoConfig, Log
from codefrontier.sample.store import CheckpointInfo


def lam_label(lam: float) -> str:
    from codefrontier.sample.launch import lam_label as label

    return label(lam)


def plan_checkpoints(rl_dir: Path, levels: list[int], lams: tuple[float, ...]) -> list[CheckpointInfo]:
    """λ points on the A–B line (λ = 0 and 1 are the trained endpoints), then the middle levels."""
    from codefrontier.train.sweep import level_dir

    lo, hi = min(levels), max(levels)
    a, b = level_dir(rl_dir, lo), level_dir(rl_dir, hi)
    ends = {0.0: lo, 1.0: hi}
    out = [CheckpointInfo(label=lam_label(lam), path=f"{a} + {lam:g} ({b} - {a})", lam=float(lam),
                          coverage_level=ends.get(float(lam)), is_trained=float(lam) in ends,
                          provenance={"line": [str(a), str(b)], "lam": float(lam)})
           for lam in lams]
    out += [CheckpointInfo(label=f"cov{c}", path=str(level_dir(rl_dir, c)), coverage_level=c, is_trained=True,
                           provenance={"coverage_level": c}) for c in levels if c not in (lo, hi)]
    return out


# Every checkpoint's samples are split into SHARDS fixed shards by sample index (i % SHARDS), and the
# (checkpoint, shard) units are dealt to the workers: with 7 checkpoints two workers got 4 and 3 whole
# checkpoints (sampling took as long as 4); shards give each half of every checkpoint. The shards are
# fixed, not one per worker, so a batch holds the same episodes however many workers run.
SHARDS = 2


def sample_line(d: Path, cfg: DemoConfig, problems_file: Path, rl_dir: Path, levels: list[int],
                log: Log) -> dict[str, Any]:
    """Sample every checkpoint of the plan in every setting into d/results.sqlite (resumable).

    With cfg.sample_workers > 1 the (checkpoint, shard) units are dealt out to that many spawned
    processes, each with its own model, judge and connection to the one store (SQLite WAL): generation
    runs on one core per process, and one process left the second core idle while it generated (the
    judge waits on it). A sample's seed is its own (checkpoint, setting, problem, index) and a batch's
    episodes are fixed by its unit, so who draws it does not change it."""
    from codefrontier.problems import load_problems
    from codefrontier.sample.runner import record_run
    from codefrontier.sample.store import Store

    plan = plan_checkpoints(rl_dir, levels, cfg.lams)
    store = Store(d)
    record_run(store, sample_config(cfg), "hf", load_problems(problems_file), plan)
    store.close()
    units = [(c.label, shard) for shard in range(SHARDS) for c in plan]  # shard-major: every worker mixes the line
    workers = min(cfg.sample_workers, len(units))
    if workers <= 1:
        parts = [_sample_part(d, cfg, problems_file, rl_dir, levels, units, log)]
    else:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        deal = [units[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            futures = [pool.submit(_sample_part, d, cfg, problems_file, rl_dir, levels, part, None, i)
                       for i, part in enumerate(deal)]
            parts = [f.result() for f in futures]
    return {"samples": sum(p["samples"] for p in parts), "generate_s": round(max(p["generate_s"] for p in parts), 1),
            "judge_wait_s": round(max(p["judge_wait_s"] for p in parts), 1), "checkpoints": len(plan),
            "workers": workers}


def sample_config(cfg: DemoConfig) -> Any:
    from codefrontier.episodes.settings import SettingConfig
    from codefrontier.sample.runner import SampleConfig

    bounds = SettingConfig(max_tokens_per_turn=cfg.max_tokens, max_turns=cfg.max_turns,
                           max_total_tokens=cfg.max_tokens * cfg.max_turns)
    return SampleConfig(n=cfg.n, settings=cfg.settings, batch_size=cfg.batch_size,
                        seed=cfg.seed, toy_scale=True, bounds=bounds, temperature=cfg.temperature)


def _sample_part(d: Path, cfg: DemoConfig, problems_file: Path, rl_dir: Path, levels: list[int],
                 units: list[tuple[str, int]], log: Log | None, worker: int | None = None) -> dict[str, Any]:
    """The (checkpoint label, shard) units, one model loaded once and θ set in place per checkpoint.
    worker: the index of a spawned worker (torch on one thread, its progress lines tagged)."""
    import torch

    from codefrontier.episodes.hf_backend import HFBackend
    from codefrontier.merge import WeightLine
    from codefrontier.problems import load_problems
    from codefrontier.sample.runner import run_sampling
    from codefrontier.sample.store import Store
    from codefrontier.train.sweep import level_dir

    if worker is not None:
        torch.set_num_threads(cfg.threads)
        log = _tagged(worker)
    problems = load_problems(problems_file)
    plan = plan_checkpoints(rl_dir, levels, cfg.lams)
    a = level_dir(rl_dir, min(levels))
    # one chat() call per batch and turn; our decoding loop (kv_loop.py), or a static-cache generate() for
    # models it does not support (~2x generate()'s default at wide batches)
    backend = HFBackend.load(str(a), max_batch=cfg.batch_size, decoder="loop", cache_implementation="static")
    line = WeightLine(a, level_dir(rl_dir, max(levels)))
    side_lines: dict[str, WeightLine] = {}

    def prepare(ck: CheckpointInfo) -> None:
        if ck.lam is not None:
            line.apply(backend.model, ck.lam)
        else:  # another trained level: the λ = 1 end of the line from A to it
            side = side_lines.setdefault(ck.label, WeightLine(a, ck.path))
            side.apply(backend.model, 1.0)

    store = Store(d)
    out = {"samples": 0, "generate_s": 0.0, "judge_wait_s": 0.0}
    try:
        for shard in sorted({s for _label, s in units}):  # one pass per shard, the checkpoints in plan order
            mine = {label for label, s in units if s == shard}
            stats = run_sampling(sample_config(cfg), backend, problems, [c for c in plan if c.label in mine], store,
                                 prepare=prepare, progress=_progress_printer(log or print), record=False,
                                 indices=range(shard, cfg.n, SHARDS))
            out = {"samples": out["samples"] + stats.total, "generate_s": out["generate_s"] + stats.gen_s,
                   "judge_wait_s": out["judge_wait_s"] + stats.judge_wait_s}
    finally:
        store.close()
    return out


def _tagged(worker: int) -> Log:
    def log(line: str) -> None:
        print(line.replace("sample ", f"sample[{worker}] ", 1), flush=True)
    return log


def _progress_printer(log: Log) -> Any:
    """A progress line every ~10% (the CLI shows a rich bar; the demo keeps a compact log)."""
    marks: set[int] = set()

    def show(stats: Any) -> None:
        if not stats.total:
            return
        pct = int(100 * stats.judged / stats.total) // 10 * 10
        if pct not in marks:
            marks.add(pct)
            mix = " ".join(f"{k}={v}" for k, v in sorted(stats.verdicts.items()))
            log(f"         sample {stats.judged}/{stats.total} judged ({stats.elapsed:.0f} s) {mix}")

    return show
