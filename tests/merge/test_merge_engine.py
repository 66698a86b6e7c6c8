"""The streamed merge against a float64 reference: accuracy, exact endpoints, layout, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from codefrontier.merge import PROVENANCE, MergeOptions, affine_plan, line_plan, run_merge, uniform_plan

MANTISSA = {torch.float32: (23, -126), torch.bfloat16: (7, -126), torch.float16: (10, -14)}


def load_dir(path: Path) -> dict[str, torch.Tensor]:
    sd: dict[str, torch.Tensor] = {}
    for f in sorted(path.glob("*.safetensors")):
        sd.update(load_file(f))
    return sd


def ulp(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Spacing of `dtype` numbers at |x| (x float64), subnormals included."""
    p, emin = MANTISSA[dtype]
    _, e = torch.frexp(x)
    return torch.pow(2.0, torch.clamp(e.double() - 1, min=emin) - p)


def assert_within_half_ulp(out: torch.Tensor, ref: torch.Tensor, scale: torch.Tensor) -> None:
    """|out − ref| ≤ ½ ulp_out(ref) + float32 rounding of the terms (a few 2^-24 of their size)."""
    err = (out.double() - ref).abs()
    bound = 0.5 * ulp(ref, out.dtype) + 4 * 2.0**-24 * scale
    assert bool((err <= bound).all()), f"max excess {(err - bound).max().item()}"


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.float16])
@pytest.mark.parametrize("lam", [0.3, 0.5, -1.0, 2.0, 1.7])
def test_line_agrees_with_float64_reference(make_pair, tmp_path, dtype, lam):
    a, b = make_pair(dtype=dtype)
    (out,) = run_merge(line_plan(str(a), str(b), [lam]), tmp_path / "out")
    A, B, O = load_dir(a), load_dir(b), load_dir(out)
    assert set(O) == set(A)
    for k in A:
        a64, b64 = A[k].double(), B[k].double()
        ref = a64 + lam * (b64 - a64)
        assert O[k].dtype == dtype
        assert_within_half_ulp(O[k], ref, a64.abs() + abs(lam) * (b64 - a64).abs() + ref.abs())


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_endpoints_are_bit_exact_in_a_sweep(make_pair, tmp_path, dtype):
    a, b = make_pair(dtype=dtype, shard="20KB")
    outs = run_merge(line_plan(str(a), str(b), [0.0, 1.0, 0.5]), tmp_path / "sweep")
    assert [o.name for o in outs] == ["lam_0", "lam_1", "lam_0.5"]
    for out, src in zip(outs[:2], (a, b), strict=True):
        for f in src.glob("*.safetensors"):  # same shards, same bytes
            assert (out / f.name).read_bytes()[-1000:] == f.read_bytes()[-1000:]
        S, O = load_dir(src), load_dir(out)
        assert all(torch.equal(O[k].view(torch.uint8), S[k].view(torch.uint8)) for k in S)


def test_extrapolation_both_sides_is_the_line(make_pair, tmp_path):
    a, b = make_pair()
    outs = run_merge(line_plan(str(a), str(b), [-1.0, 2.0]), tmp_path / "x")
    A, B = load_dir(a), load_dir(b)
    lo, hi = load_dir(outs[0]), load_dir(outs[1])
    for k in A:  # -1 and 2 are symmetric around the segment: lo + hi = A + B
        torch.testing.assert_close(lo[k] + hi[k], A[k] + B[k], rtol=0, atol=1e-6)
        assert not torch.equal(lo[k], A[k]) or torch.equal(A[k], B[k])


def test_sharded_tied_model_layout_files_and_loading(make_pair, tmp_path):
    from transformers import AutoModelForCausalLM

    a, b = make_pair(dtype=torch.bfloat16, tie=True, shard="20KB")
    (out,) = run_merge(line_plan(str(a), str(b), [0.5]), tmp_path / "m", MergeOptions(dtype="float32"))
    a_index = json.loads((a / "model.safetensors.index.json").read_text())["weight_map"]
    o_index = json.loads((out / "model.safetensors.index.json").read_text())
    assert o_index["weight_map"] == a_index and len(set(a_index.values())) > 1
    assert "lm_head.weight" not in a_index  # tied: stored once
    assert o_index["metadata"]["total_size"] == sum(t.numel() * 4 for t in load_dir(out).values())
    config = json.loads((out / "config.json").read_text())
    assert config["dtype"] == "float32" and config["tie_word_embeddings"] is True
    for name in ("tokenizer_config.json", "chat_template.jinja", "generation_config.json"):
        assert (out / name).read_bytes() == (a / name).read_bytes()
    prov = json.loads((out / PROVENANCE).read_text())
    assert prov["lam"] == 0.5 and prov["formula"] == "A + lam * (B - A)" and prov["codefrontier_version"]
    assert prov["models"][0]["files"][0]["bytes"] > 0 and prov["base"]["files"][0]["mtime_utc"]
    model = AutoModelForCausalLM.from_pretrained(out)
    assert model.dtype == torch.float32
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    A, B = load_dir(a), load_dir(b)
    ref = (A["model.embed_tokens.weight"].float() + B["model.embed_tokens.weight"].float()) / 2
    torch.testing.assert_close(model.model.embed_tokens.weight.detach(), ref, rtol=0, atol=1e-6)


def test_affine_and_uniform_forms(make_pair, tmp_path):
    from merge_fixtures import build_checkpoint

    a, b = make_pair()
    c = build_checkpoint(tmp_path / "C", 3, noise_of=1)
    (aff,) = run_merge(affine_plan(str(a), [(str(b), 0.7), (str(c), -0.2)]), tmp_path / "aff",
                       MergeOptions(compute="float64"))
    (uni,) = run_merge(uniform_plan([str(a), str(b), str(c)]), tmp_path / "uni")
    A, B, C, F, U = (load_dir(p) for p in (a, b, c, aff, uni))
    for k in A:
        a64, b64, c64 = A[k].double(), B[k].double(), C[k].double()
        ref = a64 + 0.7 * (b64 - a64) - 0.2 * (c64 - a64)
        assert_within_half_ulp(F[k], ref, torch.zeros_like(ref))  # float64 compute: one rounding only
        ref_u = (a64 + b64 + c64) / 3
        assert_within_half_ulp(U[k], ref_u, a64.abs() + b64.abs() + c64.abs())
    (sel,) = run_merge(affine_plan(str(a), [(str(b), 0.0), (str(c), 1.0)]), tmp_path / "sel")
    assert all(torch.equal(load_dir(sel)[k], C[k]) for k in C)  # a one-hot row is the model itself


def test_chunking_and_threads_do_not_change_bits(make_pair, tmp_path):
    a, b = make_pair(dtype=torch.bfloat16)
    small = MergeOptions(chunk_mb=0.004, threads=3)  # 1024-element chunks: most tensors split
    (x,) = run_merge(line_plan(str(a), str(b), [0.37]), tmp_path / "x", MergeOptions(threads=1))
    (y,) = run_merge(line_plan(str(a), str(b), [0.37]), tmp_path / "y", small)
    X, Y = load_dir(x), load_dir(y)
    assert all(torch.equal(X[k].view(torch.int16), Y[k].view(torch.int16)) for k in X)


def test_lambda_is_not_rounded_to_bf16(tmp_path):
    """bf16(0.3) = 0.30078125: -1 + 0.30078125 * 2 = -0.3984375 would be a different bf16 number."""
    from safetensors.torch import save_file

    for name, value in (("A", -1.0), ("B", 1.0)):
        (tmp_path / name).mkdir()
        save_file({"w": torch.full((8,), value, dtype=torch.bfloat16)}, str(tmp_path / name / "model.safetensors"))
    (out,) = run_merge(line_plan(str(tmp_path / "A"), str(tmp_path / "B"), [0.3]), tmp_path / "o")
    got = load_file(out / "model.safetensors")["w"]
    assert torch.equal(got, torch.full((8,), -0.4, dtype=torch.bfloat16))
    assert got[0].item() != -0.3984375
