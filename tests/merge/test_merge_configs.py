"""Config checks compare the architecture only; the options validate themselves (fast, tiny Llamas)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from codefrontier.cli import main
from codefrontier.errors import MergeError
from codefrontier.merge import PROVENANCE, Compute, FloatDtype, MergeOptions, PlanKind, line_plan, run_merge
from codefrontier.merge.validate import incidental


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `codefrontier ARGV`, without what was printed before it."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    return int(info.value.code or 0), captured.out, captured.err


def edit_config(path: Path, **changes: object) -> dict:
    config = json.loads((path / "config.json").read_text())
    config.update(changes)
    (path / "config.json").write_text(json.dumps(config))
    return config


def test_trained_checkpoint_with_new_token_ids_merges_with_a_note(make_pair, tmp_path, capsys):
    a, b = make_pair(tie=True)
    before = json.loads((a / "config.json").read_text())
    edit_config(a, eos_token_id=2, pad_token_id=2)
    edit_config(b, eos_token_id=1, pad_token_id=1, temperature=0.7)  # what TRL/transformers write after training
    code, out, err = cli(["merge", str(a), str(b), "--lam", "0.5,1.5", "--out", str(tmp_path / "out")], capsys)
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "eos_token_id: 2 vs 1" in notes[0] and "pad_token_id: 2 vs 1" in notes[0]
    assert code == 0 and out.split() == [str(tmp_path / "out" / "lam_0.5"), str(tmp_path / "out" / "lam_1.5")]
    prov = json.loads((tmp_path / "out" / "lam_1.5" / PROVENANCE).read_text())
    diffs = {d["key"]: (d["base"], d["other"]) for d in prov["config_differences"]}
    assert diffs == {"eos_token_id": (2, 1), "pad_token_id": (2, 1), "temperature": (None, 0.7)}
    written = json.loads((tmp_path / "out" / "lam_1.5" / "config.json").read_text())
    assert written["eos_token_id"] == 2 and written["hidden_size"] == before["hidden_size"]  # A's config


def test_identical_configs_give_no_note(make_pair, tmp_path):
    a, b = make_pair()
    lines: list[str] = []
    (out,) = run_merge(line_plan(str(a), str(b), [0.5]), tmp_path / "out", log=lines.append)
    assert lines == [] and json.loads((out / PROVENANCE).read_text())["config_differences"] == []


@pytest.mark.parametrize("changes, shown", [
    ({"num_hidden_layers": 3}, "num_hidden_layers: 2 vs 3"),
    ({"rope_parameters": {"rope_theta": 1.0, "rope_type": "default"}}, "rope_parameters"),
    ({"hidden_act": "gelu", "eos_token_id": 7}, "hidden_act: 'silu' vs 'gelu'"),
    ({"tie_word_embeddings": True}, "tie_word_embeddings: False vs True"),
])
def test_architecture_differences_are_refused_in_one_line(make_pair, tmp_path, capsys, changes, shown):
    a, b = make_pair()
    edit_config(b, **changes)
    code, _, err = cli(["merge", str(a), str(b), "--lam", "0.5", "--out", str(tmp_path / "out")], capsys)
    err = err.strip()
    assert code == 2 and "\n" not in err and "differ in architecture" in err and shown in err
    assert "eos_token_id" not in err  # token ids are not what is wrong
    assert not (tmp_path / "out").exists()


def test_nested_text_config_is_compared_key_by_key() -> None:
    assert incidental("text_config.eos_token_id") and incidental("bos_token_id") and incidental("top_k")
    assert not incidental("text_config.hidden_size") and not incidental("model_type")


@pytest.mark.parametrize("kw, match", [
    ({"compute": "float16"}, "--compute float16 is not one of float32|float64"),
    ({"dtype": "int8"}, "--dtype int8 is not one of"),
    ({"threads": -1}, "--threads -1 must be an integer >= 0"),
    ({"chunk_mb": 0}, "--chunk-mb 0 must be between"),
])
def test_options_validate_themselves(kw, match):
    with pytest.raises(MergeError, match=match) as info:
        MergeOptions(**kw)
    assert "\n" not in str(info.value) and "(fix:" in str(info.value)


def test_options_hold_enums_and_the_plan_its_kind():
    opts = MergeOptions(dtype="bfloat16", compute="float64")
    assert opts.dtype is FloatDtype.BFLOAT16 and opts.compute is Compute.FLOAT64
    assert line_plan("A", "B", [0.5]).kind is PlanKind.LINE


def test_cli_defaults_are_the_options_defaults(make_pair, tmp_path, monkeypatch, capsys):
    seen: list[MergeOptions] = []
    monkeypatch.setattr("codefrontier.merge.engine.run_merge", lambda plan, out, opts, log=None: seen.append(opts) or [])
    a, b = make_pair()
    cli(["merge", str(a), str(b), "--lam", "0.5", "--out", str(tmp_path / "o")], capsys)
    cli(["merge", str(a), str(b), "--lam", "0.5", "--out", str(tmp_path / "o"), "--compute", "float64",
         "--threads", "2", "--force"], capsys)
    assert seen[0] == MergeOptions()
    assert seen[1] == dataclasses.replace(MergeOptions(), compute=Compute.FLOAT64, threads=2, force=True)


def test_gguf_inputs_are_resolved_to_their_imported_folder(make_pair, tmp_path, monkeypatch):
    from codefrontier.models import gguf

    a, b = make_pair()
    calls: list[Path] = []
    monkeypatch.setattr(gguf, "cached_import", lambda f: calls.append(Path(f)) or a)  # the 40 s import, stubbed
    (out,) = run_merge(line_plan(str(tmp_path / "A.gguf"), str(b), [0.5]), tmp_path / "out")
    assert calls == [tmp_path / "A.gguf"]
    assert json.loads((out / PROVENANCE).read_text())["base"]["path"] == str(a.resolve())
