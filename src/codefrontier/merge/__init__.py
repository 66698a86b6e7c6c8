"""codefrontier.merge: weight averaging along θ(λ) = A + λ (B − A) and its affine generalization.

- `run_merge(line_plan(A, B, lams), out)`: streamed merge to disk (the `codefrontier merge` command).
- `WeightLine(A, B).apply(model, lam)`: the same line set into a loaded model, in memory.
- `codefrontier.merge.vllm_ext`: the same inside a running vLLM engine (GPU only).
"""

from codefrontier.merge.engine import affine_plan, line_plan, run_merge, uniform_plan
from codefrontier.merge.inplace import WeightLine
from codefrontier.merge.outputs import PROVENANCE, lam_dirname
from codefrontier.merge.plan import Compute, FloatDtype, MergeOptions, MergePlan, PlanKind

__all__ = ["PROVENANCE", "Compute", "FloatDtype", "MergeOptions", "MergePlan", "PlanKind", "WeightLine",
           "affine_plan", "lam_dirname", "line_plan", "run_merge", "uniform_plan"]
