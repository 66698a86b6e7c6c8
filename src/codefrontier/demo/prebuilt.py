"""The shipped shared initialization: the demo's SFT init, trained once with the demo's recipe and
shipped inside the package (`demo/prebuilt_init/`, 4.5 MB), so `codefrontier demo` starts at GRPO.

Why ship it: the tiny model learns which program goes with which statement only after ~750 SFT
steps, 13-21 min on 2 cores, while the whole demo has 10 minutes. It plays the part a pretrained
base model plays in the paper: one fixed init that every coverage level starts from. `--seed`
varies the suite's hidden tests, GRPO and sampling, not the init (`--init-seed` does, by training).

It is used only while it is current: its recipe (problems, epochs, lr, vocabulary, model size,
traces, SFT seed) equals the run's, and the digest of the corpus it was trained on equals the
digest of the corpus the world builds now (the corpus holds real sandbox output, so it is built
again, ~10 s, and compared). Otherwise the demo trains an init and says why.
Rebuild it after changing the world: `python -m codefrontier.demo.prebuilt` (a test fails while it
is stale: tests/demo/test_prebuilt.py).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from codefrontier.io import atomic_write_json

PREBUILT = Path(__file__).parent / "prebuilt_init"
META = "prebuilt.json"
# What a Hugging Face folder of the init needs; SFT's corpus.jsonl (2 MB) stays out: its digest is in META.
FILES = ("config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
         "chat_template.jinja")


def recipe(sft: Any) -> dict[str, Any]:
    """The parts of an SFTConfig that decide the init (not where it is written)."""
    d = asdict(sft)
    d.pop("out")
    return json.loads(json.dumps(d))  # tuples -> lists, as META stores them


def read_meta(folder: Path | None = None) -> dict[str, Any]:
    folder = folder or PREBUILT
    try:
        meta = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def why_not(sft: Any, folder: Path | None = None) -> str:
    """'' when the shipped init is current for this SFT config, else the reason in a few words."""
    folder = folder or PREBUILT
    meta = read_meta(folder)
    if not meta or not all((folder / f).is_file() for f in FILES):
        return f"no shipped init in {folder}"
    if meta.get("recipe") != recipe(sft):
        diff = sorted(k for k, v in recipe(sft).items() if meta.get("recipe", {}).get(k) != v)
        return f"the run's init recipe differs in {', '.join(diff)}"
    from codefrontier.train.sft import corpus_digest, sft_corpus

    if meta.get("corpus_sha256") != corpus_digest(sft_corpus(sft)):
        return "the world's corpus changed since it was trained (rebuild: python -m codefrontier.demo.prebuilt)"
    return ""


def install(dest: Path, folder: Path | None = None) -> Path:
    """Copy the shipped init into dest (a run's own copy: later stages may read it as a plain folder)."""
    folder = folder or PREBUILT
    dest.mkdir(parents=True, exist_ok=True)
    for f in (*FILES, META):
        shutil.copy2(folder / f, dest / f)
    return dest


def build(sft: Any, folder: Path | None = None, log: Any = print) -> Path:
    """Train the init with `sft` (its `out` is a scratch folder) and write it as the shipped one."""
    folder = folder or PREBUILT
    import torch
    import transformers

    from codefrontier.train.sft import train_sft

    t0 = time.perf_counter()
    out = train_sft(sft, log=log)
    losses = json.loads((out / "sft_losses.json").read_text())  # train_sft records the corpus digest there
    folder.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        shutil.copy2(out / f, folder / f)
    atomic_write_json(folder / META, {
        "recipe": recipe(sft), "corpus_sha256": losses["corpus_sha256"], "sft_steps": losses["steps"],
        "final_loss": losses["last"][-1], "seconds": losses.get("seconds", round(time.perf_counter() - t0, 1)),
        "torch": torch.__version__, "transformers": transformers.__version__,
        "built": time.strftime("%Y-%m-%d")})
    return folder


def main() -> None:
    """Rebuild the shipped init with the full demo's recipe (~15 min on 2 cores)."""
    import argparse
    import tempfile

    from codefrontier.demo.config import DemoConfig
    from codefrontier.demo.pipeline import init_problem_ids, init_sft_config, select_problems

    ap = argparse.ArgumentParser(description="Rebuild the demo's shipped init (demo/prebuilt_init).")
    ap.add_argument("--from-run", help="a finished SFT folder trained with the demo's recipe to ship instead")
    args = ap.parse_args()
    cfg = DemoConfig()
    with tempfile.TemporaryDirectory() as tmp:
        sft = init_sft_config(cfg, init_problem_ids(cfg, select_problems(cfg)), Path(args.from_run or tmp))
        import torch

        torch.set_num_threads(cfg.threads)
        print(build(sft))


if __name__ == "__main__":
    main()
