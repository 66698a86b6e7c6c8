"""Every refusal happens before any arithmetic and leaves no output folder behind."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from codefrontier.cli import main
from codefrontier.errors import MergeError
from codefrontier.merge import MergeOptions, line_plan, run_merge

CONFIG = {"model_type": "llama", "hidden_size": 4, "transformers_version": "5.17.0"}


def write_ckpt(path: Path, tensors: dict[str, torch.Tensor], config: dict | None = None) -> Path:
    path.mkdir(parents=True)
    save_file(tensors, str(path / "model.safetensors"), metadata={"format": "pt"})
    (path / "config.json").write_text(json.dumps(config if config is not None else CONFIG))
    return path


def base_tensors() -> dict[str, torch.Tensor]:
    return {"w": torch.ones(2, 4), "b": torch.zeros(4), "ids": torch.arange(4)}


def refused(tmp_path: Path, a: Path, b: Path, match: str, lams=(0.5,), **opts) -> None:
    out = tmp_path / "out"
    with pytest.raises(MergeError, match=match) as info:
        run_merge(line_plan(str(a), str(b), list(lams)), out, MergeOptions(**opts))
    assert "\n" not in str(info.value)
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


@pytest.fixture
def a(tmp_path: Path) -> Path:
    return write_ckpt(tmp_path / "A", base_tensors())


def variant(tmp_path: Path, config: dict | None = None, **changes: torch.Tensor | None) -> Path:
    t = base_tensors()
    for k, v in changes.items():
        if v is None:
            del t[k]
        else:
            t[k] = v
    return write_ckpt(tmp_path / "B", t, config)


def test_different_names(tmp_path, a):
    refused(tmp_path, a, variant(tmp_path, b=None, extra=torch.zeros(3)), r"different tensors: b only in .*extra only in")


def test_different_shapes_list_both(tmp_path, a):
    refused(tmp_path, a, variant(tmp_path, w=torch.ones(2, 5)), r"w: F32\[2, 4\] vs F32\[2, 5\]")


def test_different_dtypes(tmp_path, a):
    refused(tmp_path, a, variant(tmp_path, w=torch.ones(2, 4, dtype=torch.bfloat16)), r"w: F32\[2, 4\] vs BF16\[2, 4\]")


def test_non_float_tensors_must_be_identical(tmp_path, a):
    refused(tmp_path, a, variant(tmp_path, ids=torch.tensor([0, 1, 2, 5])), r"non-float tensor ids \(I64\) differs")


def test_configs_must_match_except_whitelist(tmp_path, a):
    refused(tmp_path, a, variant(tmp_path, config={**CONFIG, "hidden_size": 8}), r"config.json .* hidden_size: 4 vs 8")
    shutil.rmtree(tmp_path / "B")
    ok = variant(tmp_path, config={**CONFIG, "transformers_version": "5.0", "_name_or_path": "x"})
    (out,) = run_merge(line_plan(str(a), str(ok), [0.5]), tmp_path / "ok")
    assert (out / "model.safetensors").exists()


def test_same_input_twice_by_path_or_symlink(tmp_path, a):
    refused(tmp_path, a, a, "given twice")
    (tmp_path / "link").symlink_to(a)
    refused(tmp_path, a, tmp_path / "link", "given twice")


@pytest.mark.parametrize("lams", [(math.nan,), (math.inf,), (0.5, -math.inf), (0.5, 0.5)])
def test_lambda_must_be_finite_and_distinct(tmp_path, a, lams):
    with pytest.raises(MergeError, match="not finite|duplicates"):
        line_plan(str(a), str(variant(tmp_path)), list(lams))


def test_pickled_bin_refused_unless_allowed(tmp_path, a):
    b = tmp_path / "B"
    b.mkdir()
    t = {k: v + 1 if v.is_floating_point() else v for k, v in base_tensors().items()}
    torch.save(t, b / "pytorch_model.bin")
    (b / "config.json").write_text(json.dumps(CONFIG))
    refused(tmp_path, a, b, "pickled .bin weights.*--allow-pickle")
    (out,) = run_merge(line_plan(str(a), str(b), [0.25]), tmp_path / "ok", MergeOptions(allow_pickle=True))
    from safetensors.torch import load_file

    got = load_file(out / "model.safetensors")
    assert torch.equal(got["w"], torch.full((2, 4), 1.25)) and torch.equal(got["ids"], torch.arange(4))


def test_existing_target_refused_unless_force(tmp_path, a):
    b = variant(tmp_path, w=torch.full((2, 4), 3.0))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep").write_text("x")
    with pytest.raises(MergeError, match="already exists.*--force"):
        run_merge(line_plan(str(a), str(b), [0.5]), out)
    assert (out / "keep").exists()
    run_merge(line_plan(str(a), str(b), [0.5]), out, MergeOptions(force=True))
    assert not (out / "keep").exists() and (out / "model.safetensors").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_dtype_missing_weights_missing_shard_and_parent(tmp_path, a):
    b = variant(tmp_path)
    refused(tmp_path, a, b, "--dtype int8 is not one of", dtype="int8")
    empty = tmp_path / "empty"
    empty.mkdir()
    refused(tmp_path, a, empty, "has no model.safetensors")
    refused(tmp_path, a, tmp_path / "nowhere", "is not a checkpoint folder")
    sharded = tmp_path / "sharded"
    sharded.mkdir()
    (sharded / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"w": "model-1.safetensors"}}))
    refused(tmp_path, a, sharded, "missing shard model-1.safetensors")
    with pytest.raises(MergeError, match="does not exist"):
        run_merge(line_plan(str(a), str(b), [0.5]), tmp_path / "no" / "out")


def test_not_enough_disk_space(tmp_path, a, monkeypatch):
    b = variant(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10, 10, 10))  # type: ignore[attr-defined]
    refused(tmp_path, a, b, "GiB free but the merge writes")


def test_cli_prints_one_line_and_exits_2(tmp_path, a, capsys):
    b = variant(tmp_path, w=torch.ones(3, 4))
    with pytest.raises(SystemExit) as info:
        main(["merge", str(a), str(b), "--lam", "0.5", "--out", str(tmp_path / "out")])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "w: F32[2, 4] vs F32[3, 4]" in err
    assert not (tmp_path / "out").exists()


def test_cli_usage_errors(tmp_path, a, capsys):
    for argv in (["merge", str(a), "--lam", "0.5", "--out", "x"], ["merge", str(a), str(a), "--out", "x"],
                 ["merge", "--base", str(a), "--model", "nocolon", "--out", "x"],
                 ["merge", str(a), str(a), "--lam", "1,abc", "--out", "x"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    assert "PATH:WEIGHT" in capsys.readouterr().err
