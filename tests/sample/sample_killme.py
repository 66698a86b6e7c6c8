"""A sampling run for the SIGKILL test: `python sample_killme.py RUN_DIR` (slow scripted model, fake judge)."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from sample_fakes import CORRECT, WRONG, FakeJudge, make_problem

from codefrontier.episodes.backend import Message, ScriptedBackend
from codefrontier.episodes.settings import Setting
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store

N, PROBLEMS = 5, [make_problem(f"p{i}") for i in range(4)]
CHECKPOINTS = [CheckpointInfo("lam=+0.00", "A", lam=0.0), CheckpointInfo("lam=+1.50", "A+1.5(B-A)", lam=1.5)]


def script(messages: Sequence[Message]) -> str:
    time.sleep(0.03)  # slow enough to be killed mid-run
    return CORRECT if len(messages) > 2 else WRONG


if __name__ == "__main__":
    cfg = SampleConfig(n=N, settings=(Setting.AGENT,), batch_size=3)
    run_sampling(cfg, ScriptedBackend(script), PROBLEMS, CHECKPOINTS, Store(sys.argv[1]), judge=FakeJudge().fns())
