"""The results table shared by sampling (writer) and analysis (reader).

The sampling store (`codefrontier.sample.store`) keeps samples and judgements in
SQLite; `results_frame()` there returns one pandas row per judged sample with
exactly these columns. Analysis reads nothing else, so tests can build a
synthetic frame directly.
"""

from __future__ import annotations

# column -> meaning (dtype)
RESULT_COLUMNS: dict[str, str] = {
    "checkpoint": "label of the policy, e.g. 'cov1', 'cov4', 'lam=+1.50' (str)",
    "lam": "position on the weight line, NaN for a checkpoint not on the line (float)",
    "coverage_level": "coverage level the checkpoint was trained at, NaN if not a trained one (float)",
    "is_trained": "True for a checkpoint produced by training (an endpoint or other level) (bool)",
    "setting": "reasoning | tool | agent (str)",
    "problem_id": "problem id (str)",
    "difficulty": "easy | medium | hard (str)",
    "sample_index": "0..n-1 within (checkpoint, setting, problem) (int)",
    "verdict": "Verdict value of the final submission on the hidden tests; 'CE' when no code (str)",
    "failure_class": "FailureClass value: solved | optimization | correctness | internal (str)",
    "sub_class": "'' when solved, else WA | RE | CE | OLE | NOCODE | TLE | MLE | IE (str)",
    "passed_tier": "largest c with all of T_c passed (int)",
    "num_tiers": "K of the problem (int)",
    "tokens": "completion tokens over all turns (int)",
    "turns": "model turns (int)",
    "tool_calls": "python tool calls made (int)",
    "first_attempt_solved": "agent setting: whether the first submission would have solved; else NaN (float)",
}
