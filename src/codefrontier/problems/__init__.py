"""Problems: the model, file formats, nested coverage tiers, and the built-in suite."""

from codefrontier.problems.io import load_problems, problem_from_dict, problem_to_dict, save_problems
from codefrontier.problems.model import Checker, CheckerKind, Difficulty, Problem, Test
from codefrontier.problems.tiers import assign_tiers, quantile_tiers

__all__ = [
    "Checker", "CheckerKind", "Difficulty", "Problem", "Test", "assign_tiers", "load_problems",
    "problem_from_dict", "problem_to_dict", "quantile_tiers", "save_problems",
]
