"""Stage caching: same inputs skip, changed inputs or upstream redo, interrupted stages resume."""

from pathlib import Path

import pytest

from codefrontier.demo.stages import StageRunner


def _runner(tmp_path: Path, **kw) -> StageRunner:
    return StageRunner(tmp_path, report=lambda line: None, **kw)


def test_same_inputs_are_cached_and_changes_propagate(tmp_path: Path) -> None:
    calls: list[str] = []

    def body(name: str):
        def run(path: Path) -> dict:
            calls.append(name)
            (path / "out.txt").write_text(name)
            return {"n": len(calls)}
        return run

    r = _runner(tmp_path)
    a = r.run("a", {"x": 1}, [], body("a"))
    r.run("b", {"y": 1}, [a], body("b"))
    assert calls == ["a", "b"]

    r = _runner(tmp_path)
    a = r.run("a", {"x": 1}, [], body("a"))
    b = r.run("b", {"y": 1}, [a], body("b"))
    assert calls == ["a", "b"] and a.cached and b.cached

    r = _runner(tmp_path)
    a = r.run("a", {"x": 2}, [], body("a"))  # changed input: a and everything downstream redo
    b = r.run("b", {"y": 1}, [a], body("b"))
    assert calls == ["a", "b", "a", "b"] and not b.cached

    r = _runner(tmp_path, fresh=True)
    r.run("a", {"x": 2}, [], body("a"))
    assert calls[-1] == "a" and len(calls) == 5


def test_interrupted_stage_resumes_in_place(tmp_path: Path) -> None:
    def crash(path: Path) -> dict:
        (path / "partial.txt").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _runner(tmp_path).run("s", {"x": 1}, [], crash)

    seen: list[bool] = []

    def resume(path: Path) -> dict:
        seen.append((path / "partial.txt").exists())
        return {}

    _runner(tmp_path).run("s", {"x": 1}, [], resume)
    assert seen == [True]  # same key: the partial work is kept for the resumable body
    _runner(tmp_path).run("s", {"x": 9}, [], resume)
    assert seen == [True, False]  # new key: the folder was cleared


def test_demo_traces_flag_reaches_the_sft_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import codefrontier.demo.pipeline as pipeline
    import codefrontier.train.sft as sft
    from codefrontier.cli import app

    seen: list[bool] = []

    def fake_train_sft(cfg: sft.SFTConfig, log=print) -> Path:  # stops the demo right after the init's config
        seen.append(cfg.traces)
        raise KeyboardInterrupt

    monkeypatch.setattr(sft, "train_sft", fake_train_sft)
    monkeypatch.setattr(pipeline, "select_problems", lambda cfg: ["prefix-sums-01"])
    for flags, want in (([], True), (["--no-traces"], False), (["--traces"], True)):
        CliRunner().invoke(app, ["demo", "--quick", "--train-init", "--out", str(tmp_path / str(want)), *flags])
        assert seen[-1] is want
