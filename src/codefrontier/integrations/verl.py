"""The coverage reward as a verl custom reward function (plain Python; verl is never imported).

In a verl config:

    custom_reward_function:
      path: <site-packages>/codefrontier/integrations/verl.py
      name: compute_score
      reward_kwargs: {coverage: 2, mode: binary}

Each row's `ground_truth` carries the problem: its JSON (the problem-file format of docs/design.md,
as a string or dict) or a built-in problem id (hidden tests generated with `reward_seed`, default 1,
never the evaluation seed 0). The coverage level comes from the reward kwargs, else from
`extra_info["coverage"]`, else the full suite.

Returns a dict (verl logs the extra keys): `score`, `verdict`, `failure_class`, `passed_tier`,
`coverage`, `masked`. verl has no per-sample mask, so a judge internal error (IE) scores 0.0 with
`masked: True` and verdict `IE`: filter those rows, they are never the policy's fault.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from codefrontier.errors import CodefrontierError
from codefrontier.problems.io import problem_from_dict
from codefrontier.problems.model import Problem
from codefrontier.rewards import JudgeBatch, RewardMode, default_judge_batch, score_completions
from codefrontier.verdicts import NOCODE, FailureClass

FULL_SUITE = 10**6  # "no coverage given": every tier (levels are clipped to the problem's K)


@lru_cache(maxsize=256)
def _problem_from_text(text: str, reward_seed: int) -> Problem:
    if text.lstrip().startswith("{"):
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as err:
            raise CodefrontierError(f"verl ground_truth is not valid problem JSON ({err.msg} at char {err.pos}) "
                                    "(fix: store json.dumps(problem_to_dict(problem)) or a built-in id).") from None
        return problem_from_dict(raw, path="<verl ground_truth>")
    from codefrontier.problems.builtin import builtin_problems

    found = builtin_problems(seed=reward_seed, ids=[text.strip()])
    if not found:
        raise CodefrontierError(f"verl ground_truth '{text[:60]}' is neither problem JSON nor a built-in id "
                                "(fix: see `codefrontier problems list`).")
    return found[0]


def load_ground_truth(ground_truth: Any, reward_seed: int = 1) -> Problem:
    """The problem a verl row refers to: JSON text, a dict, or a built-in id."""
    if isinstance(ground_truth, Problem):
        return ground_truth
    if isinstance(ground_truth, dict):
        return problem_from_dict(ground_truth, path="<verl ground_truth>")
    if not isinstance(ground_truth, str):
        raise CodefrontierError(f"verl ground_truth must be problem JSON or a built-in id, got "
                                f"{type(ground_truth).__name__} (fix: store a string).")
    return _problem_from_text(ground_truth, reward_seed)


def _setting(name: str, kwargs: dict[str, Any], extra_info: dict[str, Any] | None, default: Any) -> Any:
    if name in kwargs:
        return kwargs[name]
    if extra_info and name in extra_info:
        return extra_info[name]
    return default


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: dict[str, Any] | None = None,
                  **kwargs: Any) -> dict[str, Any]:
    """verl's reward signature: the coverage reward r_c of one completion, with verdict details."""
    level = int(_setting("coverage", kwargs, extra_info, FULL_SUITE))
    mode = RewardMode(_setting("mode", kwargs, extra_info, RewardMode.BINARY.value))
    judge_batch: JudgeBatch = kwargs.get("judge_batch") or default_judge_batch
    problem = load_ground_truth(ground_truth, int(_setting("reward_seed", kwargs, extra_info, 1)))
    scored = score_completions([problem], [solution_str], level, mode, judge_batch)[0]
    if scored.outcome is None:
        cls = FailureClass.CORRECTNESS.value  # no code: a correctness failure
    else:
        cls = scored.outcome.failure_class.value
    return {"score": 0.0 if scored.reward is None else scored.reward, "verdict": scored.verdict,
            "failure_class": cls, "passed_tier": scored.passed_tier, "coverage": min(level, problem.num_tiers),
            "masked": scored.reward is None, "no_code": scored.verdict == NOCODE, "data_source": data_source}
