"""What `codefrontier sample` does, as a library call: resolve problems, checkpoints and a backend,
then `run_sampling` into RUN_DIR/results.sqlite. (The demo calls `run_sampling` directly.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.episodes.backend import Backend, BackendName
from codefrontier.errors import CodefrontierError
from codefrontier.options import opt
from codefrontier.problems.model import Problem
from codefrontier.sample.runner import Progress, RunStats, SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store


@dataclass(frozen=True)
class LaunchSpec:
    out: str = opt("RUN_DIR; results go to RUN_DIR/results.sqlite (resumable).", "")
    checkpoint: str | None = opt("A model folder or id, a .gguf file, or (--backend http) a served model name.", None)
    line: tuple[str, str] | None = opt("A B: sample theta(lam) = A + lam (B - A).", None)
    lams: tuple[float, ...] = opt("Lambdas for --line, e.g. 0,0.5,1,1.5.", ())
    problems: str = opt("'builtin', comma-separated built-in ids, or a problem file (.json/.jsonl).", "builtin")
    problem_ids: tuple[str, ...] = opt("Comma-separated subset of problem ids.", ())
    backend: BackendName = opt("hf (CPU default) | vllm (GPU) | http (OpenAI-compatible server).", BackendName.HF)
    base_url: str = opt("Server for --backend http.", "http://localhost:8000/v1")
    device: str = opt("torch device for --backend hf.", "cpu")
    label: str | None = opt("Checkpoint label (default: from its provenance).", None)
    coverage_level: int | None = opt("Coverage level the checkpoint was trained at.", None)
    cache_implementation: str | None = opt("--backend hf: transformers KV cache kind ('static' ~2x faster for the "
                                          "tiny model at wide batches).", None)
    decoder: str = opt("--backend hf: 'loop' (our decoding loop, the same tokens ~2x faster on CPU, Llama-family "
                       "models; others use generate()) or 'generate' (transformers' generate()).", "loop")

    def __post_init__(self) -> None:
        from codefrontier.episodes.hf_backend import DECODERS

        if self.decoder not in DECODERS:
            raise CodefrontierError(f"--decoder {self.decoder}: unknown (fix: use {' or '.join(DECODERS)}).")
        try:
            object.__setattr__(self, "backend", BackendName(self.backend))
        except ValueError:
            raise CodefrontierError(f"--backend {self.backend}: unknown (fix: use hf, vllm or http).") from None
        if not self.out:
            raise CodefrontierError("no run folder (fix: give --out RUN_DIR).")
        if (self.checkpoint is None) == (self.line is None):
            raise CodefrontierError("no checkpoint to sample, or two (fix: give exactly one of --checkpoint PATH or --line A B --lam L1,L2,...).")
        if self.line is not None and not self.lams:
            raise CodefrontierError("--line A B was given without --lam (fix: add at least one value, e.g. --lam 0,0.5,1,1.5).")
        if self.line is not None and self.backend is BackendName.HTTP:
            raise CodefrontierError("--backend http samples a served model and cannot sweep λ (fix: use --backend hf or vllm with --line).")


def load_problem_set(which: str, ids: Sequence[str] = ()) -> list[Problem]:
    """The problems of `--problems` (evaluation hidden tests: built-in seed 0)."""
    from codefrontier.episodes.problem_set import load_problem_set as load

    return load(which, ids, seed=0)


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
    if spec.backend is BackendName.HTTP:
        from codefrontier.episodes.http_backend import HTTPBackend

        assert spec.checkpoint is not None
        info = CheckpointInfo(label=spec.label or spec.checkpoint, path=spec.checkpoint,
                              coverage_level=spec.coverage_level, is_trained=spec.coverage_level is not None)
        return HTTPBackend(spec.base_url, spec.checkpoint), [info], None
    line = _resolved_line(spec.line)
    if spec.backend is BackendName.VLLM:
        from codefrontier.episodes.vllm_backend import VLLMBackend

        if line is not None:
            vb = VLLMBackend(line[0], line=line)
            return vb, line_checkpoints(*line, spec.lams), lambda c: vb.set_lam(float(c.lam or 0.0))
        path = _resolved(spec.checkpoint)
        return VLLMBackend(path), [checkpoint_info(path, _label(spec), spec.coverage_level)], None
    from codefrontier.episodes.hf_backend import HFBackend

    path = line[0] if line else _resolved(spec.checkpoint)
    hf = HFBackend.load(path, device=spec.device, cache_implementation=spec.cache_implementation, decoder=spec.decoder)
    if line is None:
        return hf, [checkpoint_info(path, _label(spec), spec.coverage_level)], None
    from codefrontier.merge import WeightLine

    weights = WeightLine(*line)  # A and B read once; each λ is set into the loaded model in place
    return hf, line_checkpoints(*line, spec.lams), lambda c: weights.apply(hf.model, float(c.lam or 0.0))


_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")  # owner/name of a Hugging Face model id


def _resolved(arg: str | None) -> str:
    """A checkpoint argument as from_pretrained loads it: a folder, a hub id, or a `.gguf` file imported once."""
    from codefrontier.models.checkpoint import is_gguf, resolve_checkpoint

    assert arg is not None  # LaunchSpec checked that one of --checkpoint / --line is given
    if is_gguf(arg) and not Path(arg).is_file():
        raise CodefrontierError(f"{arg}: no such GGUF file (fix: check the path).")
    if not is_gguf(arg) and not Path(arg).is_dir() and (Path(arg).exists() or not _HUB_ID.match(arg)):
        raise CodefrontierError(f"{arg}: no such checkpoint folder (fix: give a Hugging Face model folder or id, "
                                "or a .gguf file).")
    return resolve_checkpoint(arg)


def _resolved_line(line: tuple[str, str] | None) -> tuple[str, str] | None:
    return None if line is None else (_resolved(line[0]), _resolved(line[1]))


def _label(spec: LaunchSpec) -> str | None:
    """An imported GGUF's folder is a cache entry: label its samples after the file instead."""
    from codefrontier.models.checkpoint import is_gguf

    if spec.label or spec.checkpoint is None or not is_gguf(spec.checkpoint):
        return spec.label
    return Path(spec.checkpoint).stem


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
