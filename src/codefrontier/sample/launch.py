"""What `codefrontier sample` does, as a library call: resolve problems, checkpoints and a backend,
then `run_sampling` into RUN_DIR/results.sqlite. (The demo calls `run_sampling` directly.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.episodes.backend import Backend
from codefrontier.errors import CodefrontierError
from codefrontier.problems.model import Problem
from codefrontier.sample.runner import Progress, RunStats, SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store


@dataclass(frozen=True)
class LaunchSpec:
    out: str  # RUN_DIR
    checkpoint: str | None = None  # a model folder (hf / vllm) or a model name (http)
    line: tuple[str, str] | None = None  # (A, B) for a λ sweep
    lams: tuple[float, ...] = ()
    problems: str = "builtin"  # 'builtin' or a problem file
    problem_ids: tuple[str, ...] = ()
    backend: str = "hf"  # hf | vllm | http
    base_url: str = "http://localhost:8000/v1"
    device: str = "cpu"
    label: str | None = None
    coverage_level: int | None = None


def load_problem_set(which: str, ids: Sequence[str] = ()) -> list[Problem]:
    if which == "builtin":
        from codefrontier.problems.builtin import builtin_problems

        problems = builtin_problems(seed=0, ids=list(ids) or None)
    else:
        if not Path(which).is_file():
            raise CodefrontierError(f"--problems {which}: no such file; give 'builtin' or a .json/.jsonl problem file")
        from codefrontier.problems import load_problems

        problems = load_problems(which)
        if ids:
            problems = [p for p in problems if p.id in set(ids)]
    if not problems:
        raise CodefrontierError(f"--problems {which}: no problems selected; check --problem-ids")
    return list(problems)


GRPO_CONFIG = "grpo_config.json"  # written by train/grpo.py beside the model; "coverage" = its level


def _provenance(path: str) -> dict[str, Any]:
    """What the training (grpo_config.json) or merge (*provenance*.json) stage left in a checkpoint folder."""
    folder = Path(path)
    found: dict[str, Any] = {}
    files = [*sorted(folder.glob("*provenance*.json")), folder / GRPO_CONFIG] if folder.is_dir() else []
    for f in files:
        try:
            data = json.loads(f.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            found |= {"grpo": data} if f.name == GRPO_CONFIG else data
    return found


def checkpoint_info(path: str, label: str | None = None, coverage_level: int | None = None) -> CheckpointInfo:
    prov = _provenance(path)
    level = coverage_level if coverage_level is not None else prov.get("coverage_level",
                                                                     prov.get("grpo", {}).get("coverage"))
    lam = prov.get("lam")
    name = label or (f"cov{level}" if level is not None else (lam_label(lam) if lam is not None else Path(path).name))
    return CheckpointInfo(label=name, path=path, lam=lam, coverage_level=level, is_trained=level is not None,
                          provenance=prov)


def lam_label(lam: float) -> str:
    return f"lam={lam:+.2f}"


def line_checkpoints(a: str, b: str, lams: Sequence[float]) -> list[CheckpointInfo]:
    """One CheckpointInfo per λ; λ=0 / λ=1 are A / B bit for bit, so they carry A's / B's level."""
    ends = {0.0: checkpoint_info(a), 1.0: checkpoint_info(b)}
    out = []
    for lam in lams:
        end = ends.get(float(lam))
        out.append(CheckpointInfo(label=lam_label(lam), path=f"{a} + {lam:g} ({b} - {a})", lam=float(lam),
                                  coverage_level=end.coverage_level if end else None,
                                  is_trained=bool(end and end.is_trained),
                                  provenance={"line": [a, b], "lam": float(lam)}))
    return out


def build_backend(spec: LaunchSpec) -> tuple[Backend, list[CheckpointInfo], Callable[[CheckpointInfo], None] | None]:
    """The backend, the checkpoints to sample, and the hook that sets θ(λ) in place per checkpoint."""
    if (spec.checkpoint is None) == (spec.line is None):
        raise CodefrontierError("give exactly one of --checkpoint PATH or --line A B --lam L1,L2,...")
    if spec.line is not None and not spec.lams:
        raise CodefrontierError("--line A B needs --lam with at least one value, e.g. --lam 0,0.5,1,1.5")
    if spec.backend == "http":
        from codefrontier.episodes.http_backend import HTTPBackend

        if spec.line is not None:
            raise CodefrontierError("--backend http samples a served model; λ sweeps need --backend hf or vllm")
        assert spec.checkpoint is not None
        info = CheckpointInfo(label=spec.label or spec.checkpoint, path=spec.checkpoint,
                              coverage_level=spec.coverage_level, is_trained=spec.coverage_level is not None)
        return HTTPBackend(spec.base_url, spec.checkpoint), [info], None
    if spec.backend == "vllm":
        from codefrontier.episodes.vllm_backend import VLLMBackend

        if spec.line is not None:
            vb = VLLMBackend(spec.line[0], line=spec.line)
            return vb, line_checkpoints(*spec.line, spec.lams), lambda c: vb.set_lam(float(c.lam or 0.0))
        assert spec.checkpoint is not None
        return VLLMBackend(spec.checkpoint), [checkpoint_info(spec.checkpoint, spec.label, spec.coverage_level)], None
    if spec.backend != "hf":
        raise CodefrontierError(f"--backend {spec.backend}: unknown; use hf, vllm or http")
    from codefrontier.episodes.hf_backend import HFBackend

    path = spec.line[0] if spec.line else spec.checkpoint
    assert path is not None
    if not Path(path).is_dir():
        raise CodefrontierError(f"{path}: no such checkpoint folder; give a Hugging Face model folder")
    hf = HFBackend.load(path, device=spec.device)
    if spec.line is None:
        return hf, [checkpoint_info(path, spec.label, spec.coverage_level)], None
    from codefrontier.merge import WeightLine

    line = WeightLine(*spec.line)  # A and B read once; each λ is set into the loaded model in place
    return hf, line_checkpoints(*spec.line, spec.lams), lambda c: line.apply(hf.model, float(c.lam or 0.0))


def launch(spec: LaunchSpec, config: SampleConfig, progress: Progress | None = None,
           executor: Any = None) -> RunStats:
    """`executor` grades hidden-test batches (None: the local judge pool; a RayExecutor scales out)."""
    from codefrontier.episodes.judging import real_judge

    problems = load_problem_set(spec.problems, spec.problem_ids)
    backend, checkpoints, prepare = build_backend(spec)
    store = Store(spec.out)
    try:
        judge = real_judge(executor=executor) if executor is not None else None  # None: runner's default
        return run_sampling(config, backend, problems, checkpoints, store, judge=judge,
                            prepare=prepare, progress=progress)
    finally:
        store.close()
