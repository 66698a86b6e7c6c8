"""Export problems as a verl RL dataset (Parquet) for GRPO under coverage level c.

verl reads one row per prompt with these columns (its documented data format):
  data_source   str   routes the row to a reward function (ours ignores it)
  prompt        list of chat messages [{"role": "user", "content": ...}]
  ability       str   "code"
  reward_model  {"style": "rule", "ground_truth": str}
  extra_info    {"split", "index", "problem_id", "coverage"}
verl hands `ground_truth` and `extra_info` to the custom reward function,
`codefrontier.integrations.verl.compute_score(data_source, solution_str,
ground_truth, extra_info)`. ground_truth is the whole problem serialized as JSON
(`problem_to_dict`): hidden tests travel to the reward worker, never into the
prompt. The reward judges T_c with c = extra_info["coverage"].
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codefrontier.errors import CodefrontierError
from codefrontier.options import opt
from codefrontier.problems.io import load_problems, problem_to_dict
from codefrontier.problems.model import Problem
from codefrontier.problems.tiers import DEFAULT_NUM_TIERS

ABILITY = "code"

@dataclass(frozen=True)
class ExportConfig:
    coverage: int = opt("Coverage level c: the reward is r_c, every hidden test of tier <= c must pass.")
    data_source: str = opt("verl's data_source column.", "codefrontier")
    split: str = opt("Recorded in extra_info.split.", "train")
    num_tiers: int = opt("K for problems whose tests declare no tiers.", DEFAULT_NUM_TIERS)
    # The training seed, never evaluation's 0: a policy trained on this export never sees evaluation tests.
    builtin_seed: int = opt("builtin only: hidden-test seed (1 = training; 0 is evaluation's).", 1)

    def __post_init__(self) -> None:
        if self.coverage < 1:
            raise CodefrontierError(f"--coverage must be >= 1, got {self.coverage} (fix: give 1..K)")


def user_prompt(problem: Problem) -> str:
    """The user turn of `prompt_messages` (the problem message, starter code for call-based problems)."""
    return str(prompt_messages(problem)[-1]["content"])


def prompt_messages(problem: Problem) -> list[dict[str, str]]:
    """Exactly the reasoning setting's opening that sampling and GRPO training give the model
    (`episodes.settings.opening_messages`: call-based problems get the starter code and call wording)."""
    from codefrontier.episodes.prompts import problem_messages

    return problem_messages(problem)


def verl_row(problem: Problem, index: int, cfg: ExportConfig) -> dict[str, Any]:
    """One verl dataset row for one problem."""
    return {
        "data_source": cfg.data_source,
        "prompt": prompt_messages(problem),
        "ability": ABILITY,
        "reward_model": {"style": "rule", "ground_truth": json.dumps(problem_to_dict(problem), ensure_ascii=False)},
        "extra_info": {"split": cfg.split, "index": index, "problem_id": problem.id, "coverage": cfg.coverage},
    }


def verl_rows(problems: Sequence[Problem], cfg: ExportConfig) -> list[dict[str, Any]]:
    return [verl_row(p, i, cfg) for i, p in enumerate(problems)]


def load_source(spec: str, num_tiers: int = DEFAULT_NUM_TIERS, builtin_seed: int = 1) -> list[Problem]:
    """'builtin' -> the built-in suite (hidden tests of `builtin_seed`); anything else -> a problems file."""
    if spec == "builtin":
        from codefrontier.problems import builtin

        build = getattr(builtin, "builtin_problems", None)
        if build is None:
            raise CodefrontierError("the built-in suite is not available in this build (fix: pass --problems FILE)")
        return list(build(seed=builtin_seed))
    return load_problems(spec, num_tiers=num_tiers)


def export_verl_file(spec: str, out: str | Path, cfg: ExportConfig) -> int:
    """Write the verl Parquet for the problems named by `spec`; returns the number of rows."""
    import pandas as pd  # heavy: only when exporting

    from codefrontier.io import atomic_write_bytes

    problems = load_source(spec, cfg.num_tiers, cfg.builtin_seed)
    if not str(out).endswith(".parquet"):
        raise CodefrontierError(f"{out}: verl reads Parquet (fix: give an --out path ending in .parquet)")
    frame = pd.DataFrame(verl_rows(problems, cfg))
    atomic_write_bytes(out, frame.to_parquet(index=False))
    return len(frame)
