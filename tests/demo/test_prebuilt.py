"""The shipped shared init: current for the demo's recipe, refused (with the reason) when stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codefrontier.demo import prebuilt
from codefrontier.demo.config import DemoConfig
from codefrontier.demo.pipeline import init_problem_ids, init_sft_config, select_problems
from codefrontier.train.sft import SFTConfig, corpus_digest, sft_corpus


def _demo_sft(tmp_path: Path) -> SFTConfig:
    cfg = DemoConfig()
    return init_sft_config(cfg, init_problem_ids(cfg, select_problems(cfg)), tmp_path / "init")


@pytest.mark.slow  # builds the demo's corpus with real sandbox runs (~10 s)
def test_the_shipped_init_is_current_for_the_demo_recipe(tmp_path: Path) -> None:
    # Fails after a change to the world, the corpus or the recipe: rebuild with
    # `python -m codefrontier.demo.prebuilt` and commit demo/prebuilt_init/.
    assert prebuilt.why_not(_demo_sft(tmp_path)) == ""
    meta = prebuilt.read_meta()
    assert meta["sft_steps"] >= 700 and meta["final_loss"] < 1.0


def test_every_built_in_run_shares_one_init_trained_on_every_built_in_problem() -> None:
    from codefrontier.problems.builtin import all_specs

    every = [s.id for s in all_specs()]
    quick = DemoConfig.quick_slice()
    assert init_problem_ids(quick, select_problems(quick)) == every
    assert init_problem_ids(DemoConfig(), select_problems(DemoConfig())[:2]) == every
    assert init_problem_ids(DemoConfig(model="some/init"), ["a"]) == ["a"]  # a given init: no SFT ids to share


def _fake_shipped(folder: Path, sft: SFTConfig, digest: str) -> Path:
    folder.mkdir(parents=True)
    for f in prebuilt.FILES:
        (folder / f).write_text("{}")
    (folder / prebuilt.META).write_text(json.dumps({"recipe": prebuilt.recipe(sft), "corpus_sha256": digest}))
    return folder


def test_a_stale_init_is_refused_with_the_reason(tmp_path: Path) -> None:
    sft = SFTConfig(out=str(tmp_path / "x"), problems=("prefix-sums-01",), traces=False)
    digest = corpus_digest(sft_corpus(sft))
    current = _fake_shipped(tmp_path / "current", sft, digest)
    assert prebuilt.why_not(sft, current) == ""
    stale = _fake_shipped(tmp_path / "stale", sft, "0" * 64)
    assert "corpus changed" in prebuilt.why_not(sft, stale)
    other = SFTConfig(out=str(tmp_path / "y"), problems=("prefix-sums-01",), traces=False, epochs=1.0, lr=1e-3)
    assert prebuilt.why_not(other, current) == "the run's init recipe differs in epochs, lr"
    (current / "model.safetensors").unlink()
    assert prebuilt.why_not(sft, current).startswith("no shipped init")


def test_the_corpus_digest_is_deterministic_and_sees_every_example() -> None:
    sft = SFTConfig(out="x", problems=("prefix-sums-01",), traces=False)
    a, b = sft_corpus(sft), sft_corpus(sft)
    assert corpus_digest(a) == corpus_digest(b)
    b[0] = [*b[0][:-1], {**b[0][-1], "content": b[0][-1]["content"] + " "}]
    assert corpus_digest(a) != corpus_digest(b)


def test_the_init_stage_installs_the_shipped_init_when_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    from codefrontier.demo import pipeline
    from codefrontier.train import sft as sft_module

    folder = tmp_path / "shipped"
    shutil.copytree(prebuilt.PREBUILT, folder) if prebuilt.PREBUILT.is_dir() else folder.mkdir()
    monkeypatch.setattr(prebuilt, "PREBUILT", folder)
    monkeypatch.setattr(prebuilt, "why_not", lambda sft, f=None: "")
    monkeypatch.setattr(sft_module, "train_sft", lambda *a, **k: pytest.fail("SFT ran although the init is current"))
    for f in (*prebuilt.FILES, prebuilt.META):
        if not (folder / f).exists():
            (folder / f).write_text("{}")
    lines: list[str] = []
    info = pipeline._init_stage(tmp_path / "init", DemoConfig(), ["prefix-sums-01"], lines.append)
    assert info["shipped"] and (tmp_path / "init" / "model" / "model.safetensors").is_file()
    assert "--train-init" in lines[0]
    trained: list[SFTConfig] = []
    monkeypatch.setattr(sft_module, "train_sft", lambda cfg, log=print: trained.append(cfg))
    info = pipeline._init_stage(tmp_path / "init2", DemoConfig(train_init=True), ["prefix-sums-01"], lines.append)
    assert not info["shipped"] and trained[0].problems == ("prefix-sums-01",)
