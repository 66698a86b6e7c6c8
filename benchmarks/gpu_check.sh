#!/usr/bin/env bash
# GPU smoke check of codefrontier on one CUDA machine, in under 8 minutes (each stage has a timeout).
#
#   benchmarks/gpu_check.sh                 # from the repository root; prints a table of timings
#
# For a machine whose Python has torch and transformers 5.17 but no TRL, no vLLM and no network.
# TRL (and any other missing pure-Python package) comes along as wheel files, installed with
# --no-deps from $WHEELS (default: benchmarks/wheels/). Download them here, where PyPI works:
#
#   .venv/bin/pip download trl==1.16.0 --no-deps -d benchmarks/wheels/
#   # if the GPU machine also lacks them (the script says which are missing):
#   .venv/bin/pip download accelerate==1.15.0 datasets==5.2.0 typer rich --no-deps -d benchmarks/wheels/
#
# Environment: PYTHON (default python3), WHEELS (folder of .whl files), TRL_WHEEL (one trl wheel
# file, overrides the folder's), WORK (scratch folder, default a fresh mktemp -d; removed at the
# end unless KEEP=1), TIME_SCALE (multiplies every stage's time limit; default 1), PROBLEMS
# (comma-separated built-in ids; default the suite's first two). The project runs from src/ (PYTHONPATH), so nothing is pip-resolved against
# the machine's torch.
#
# Stages (the project's own code paths; their time limits add up to 465 s):
#   1 sft      `codefrontier train sft` of the built-in tiny Llama (short: --max-steps; CPU, the
#              SFT loop has no device flag)
#   2 grpo     `codefrontier train grpo --bf16` a few steps on CUDA (TRL picks the GPU itself)
#   3 sample   `codefrontier sample --backend hf --device cuda` of the GRPO checkpoint
#   4 line     WeightLine(init, grpo).apply on a CUDA model, fp32 and bf16, checked bit for bit
#              against the streamed merge (`codefrontier merge`) of the same λ
# It exits non-zero, loudly, when there is no CUDA GPU or any stage fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY="${PYTHON:-python3}"
WHEELS="${WHEELS:-$HERE/wheels}"
WORK="${WORK:-$(mktemp -d /tmp/cf-gpu-check.XXXXXX)}"
mkdir -p "$WORK"
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export HF_HUB_DISABLE_PROGRESS_BARS=1
CF=("$PY" -m codefrontier.cli)
PROBLEMS="${PROBLEMS:-}"  # comma-separated built-in ids (default: the first two of the suite)
declare -a ROWS=()

die() { echo "GPU CHECK FAILED: $*" >&2; exit 1; }
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

stage() {  # stage NAME TIMEOUT_S CMD...: run, time, record; fail loudly
  local name=$1 limit=$(( $2 * ${TIME_SCALE:-1} )); shift 2
  echo "== $name (limit ${limit}s): $*"
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  timeout --kill-after=10 "$limit" "$@" >"$WORK/$name.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  local secs
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  if [[ $rc -ne 0 ]]; then
    tail -n 40 "$WORK/$name.log" >&2
    [[ $rc -eq 124 || $rc -eq 137 ]] && die "stage $name ran past ${limit}s"
    die "stage $name exited $rc (log above; full log: $WORK/$name.log with KEEP=1)"
  fi
  tail -n 3 "$WORK/$name.log"
  ROWS+=("$(printf '%-8s %8ss' "$name" "$secs")")
}

# -- 0. the machine -----------------------------------------------------------------------------
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$PY" - <<'EOF' || die "no CUDA GPU visible to torch (this check needs one; nothing was run)"
import sys, torch
if not torch.cuda.is_available():
    print(f"torch {torch.__version__}: torch.cuda.is_available() is False", file=sys.stderr)
    sys.exit(1)
print(f"torch {torch.__version__} CUDA {torch.version.cuda} on {torch.cuda.get_device_name(0)}; "
      f"bf16 supported: {torch.cuda.is_bf16_supported()}")
EOF

# -- 1. wheels (TRL at least), installed without dependencies -----------------------------------
wheels=()
if [[ -n "${TRL_WHEEL:-}" ]]; then
  [[ -f "$TRL_WHEEL" ]] || die "TRL_WHEEL=$TRL_WHEEL is not a file (fix: pip download trl==1.16.0 --no-deps -d $HERE/wheels/)"
  wheels+=("$TRL_WHEEL")
fi
if [[ -d "$WHEELS" ]]; then
  for w in "$WHEELS"/*.whl; do [[ -f "$w" ]] && wheels+=("$w"); done
fi
if ! "$PY" -c "import trl" 2>/dev/null && [[ ${#wheels[@]} -eq 0 ]]; then
  die "TRL is not installed and no wheel was given (fix: pip download trl==1.16.0 --no-deps -d $HERE/wheels/ on a machine with PyPI, then copy benchmarks/wheels/ along)"
fi
if [[ ${#wheels[@]} -gt 0 ]]; then
  "$PY" -m pip install --no-deps --no-index -q "${wheels[@]}" || die "pip could not install ${wheels[*]}"
fi
"$PY" - <<'EOF' || die "modules missing (fix: add their wheels to $WHEELS with pip download NAME --no-deps)"
import importlib.util, sys
need = ["torch", "transformers", "trl", "accelerate", "datasets", "safetensors", "tokenizers", "typer", "rich",
        "numpy", "psutil"]
missing = [m for m in need if importlib.util.find_spec(m) is None]
if missing:
    print("missing modules: " + ", ".join(missing), file=sys.stderr)
    sys.exit(1)
import torch, transformers, trl
print(f"transformers {transformers.__version__}, trl {trl.__version__}")
EOF

if [[ -z "$PROBLEMS" ]]; then
  PROBLEMS=$("$PY" -c "from codefrontier.problems.builtin import all_specs; print(','.join(s.id for s in all_specs()[:2]))") \
    || die "the project does not import from $ROOT/src (see the error above)"
fi
PROB_ARGS=(); [[ -n "$PROBLEMS" ]] && PROB_ARGS=(--problems "$PROBLEMS")
echo "work folder: $WORK; problems: ${PROBLEMS:-all built-in}"

# -- 2. stages ------------------------------------------------------------------------------------
stage sft 120 "${CF[@]}" train sft --out "$WORK/init" --max-steps 40 --per-problem 8 "${PROB_ARGS[@]}"
stage grpo 150 "${CF[@]}" train grpo --init "$WORK/init" --coverage 1 --steps 3 --bf16 --num-generations 8 \
  --prompts-per-step 2 --max-completion-length 128 --out "$WORK/grpo" "${PROB_ARGS[@]}"
stage sample 90 "${CF[@]}" sample --checkpoint "$WORK/grpo" --backend hf --device cuda --n 4 --batch-size 16 \
  --max-tokens 128 --temperature 0.7 --out "$WORK/run" "${PROB_ARGS[@]}"
stage merge 45 "${CF[@]}" merge "$WORK/init" "$WORK/grpo" --lam 0.5 --out "$WORK/lam_0.5"
stage line 60 "$PY" - "$WORK/init" "$WORK/grpo" "$WORK/lam_0.5" <<'EOF'
import sys, time, torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM
from codefrontier.merge import WeightLine

a, b, merged = sys.argv[1:4]
ref = load_file(f"{merged}/model.safetensors")
line = WeightLine(a, b, device="cuda")
for dtype in (torch.float32, torch.bfloat16):
    model = AutoModelForCausalLM.from_pretrained(a, dtype=dtype).to("cuda").eval()
    line.apply(model, 0.5)  # first call matches names to parameters
    torch.cuda.synchronize()
    t = time.perf_counter()
    for lam in (0.0, 0.5, 1.5, 0.5):
        line.apply(model, lam)
    torch.cuda.synchronize()
    per = (time.perf_counter() - t) / 4
    state = model.state_dict()
    if dtype == torch.float32:  # the same lerp kernel family on GPU and CPU: same bits expected
        bad = [k for k in ref if not torch.equal(state[k].cpu().view(torch.int32), ref[k].view(torch.int32))]
        print(f"fp32 apply vs streamed merge: {len(ref) - len(bad)}/{len(ref)} tensors bit-identical"
              + (f"; differ: {bad[:3]}" if bad else ""))
        if bad:
            err = max((state[k].cpu() - ref[k]).abs().max().item() for k in bad)
            print(f"max abs difference {err:.3g} (GPU lerp rounding); accepted only below 1e-6")
            assert err < 1e-6
    ids = torch.tensor([[1, 2, 3, 4]], device="cuda")
    with torch.no_grad():
        assert torch.isfinite(model(input_ids=ids).logits.float()).all()
    print(f"{str(dtype).removeprefix('torch.')}: WeightLine.apply {per * 1e3:.2f} ms per lambda on CUDA")
EOF

echo
echo "stage    seconds   (GPU: $("$PY" -c 'import torch; print(torch.cuda.get_device_name(0))'))"
printf '%s\n' "${ROWS[@]}"
grep -h "tokens/s\|samples/s\|ms per lambda\|bit-identical" "$WORK"/*.log 2>/dev/null | tail -n 8 || true
echo "GPU CHECK PASSED"
