"""The SFT corpus of the built-in world: chat examples built from solution variants.

An example is a list of chat messages (user prompt, assistant answer). The corpus is the
concatenation of composable *builders*, each `(spec, statement, rng) -> list[Example]`; issue 10
adds tool-call and feedback builders beside `solution_examples` without touching this file's callers.

Why this mix (the paper's frontier at toy scale): per problem the answers are drawn from
efficient, buggy-efficient, brute-force and buggy-brute solutions. Efficient code is longer and,
in the corpus, about as often wrong as right, while brute force is short and mostly right. So
the shared initialization fails both ways (TLE from brute force, WA from efficient attempts) and
solves problems only sometimes; low-coverage RL can settle on brute force (passes small tiers)
and full-coverage RL must push toward efficient code and its bugs.

Only statements (with their public examples) and code enter the corpus, never hidden-test I/O,
so the evaluation's hidden tests (seed 0) stay unseen.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from codefrontier.episodes.prompts import Message, answer, prompt_messages
from codefrontier.problems.builtin.spec import BuiltinSpec, Solution, SolutionKind
from codefrontier.problems.builtin.world import LENIENT_KEEP
from codefrontier.train.surface import PLAN_MARK, diversify

Example = list[Message]
CONTEXT = "context"  # an assistant message with {CONTEXT: "1"} is context only, never an SFT loss target


class Builder(Protocol):
    def __call__(self, spec: BuiltinSpec, statement: str, rng: random.Random) -> list[Example]: ...


@dataclass(frozen=True)
class CorpusConfig:
    per_problem: int = 24  # solution examples per problem
    seed: int = 1234  # corpus sampling seed (never the evaluation's test seed 0 by construction: no tests here)
    # Share of each solution kind among a problem's examples (renormalised over the kinds it has).
    w_efficient: float = 0.30
    w_buggy_efficient: float = 0.25
    w_brute: float = 0.35
    w_buggy_brute: float = 0.10
    surface: float = 0.35  # scale of surface variation (renames, wrappers, input styles); 1.0 = full

    def weights(self) -> dict[SolutionKind, float]:
        return {SolutionKind.EFFICIENT: self.w_efficient, SolutionKind.BUGGY_EFFICIENT: self.w_buggy_efficient,
                SolutionKind.BRUTE: self.w_brute, SolutionKind.BUGGY_BRUTE: self.w_buggy_brute}


# The approach a program states on its first line, as a contest coder (or a reasoning model) says what
# it will write before writing it. The same two lines open every problem's programs, so "which approach"
# is one shared decision: GRPO on the training problems moves it for every problem, as RL at high coverage
# in the paper teaches a model to reach for efficient algorithms in general, not per problem.
PLAN_BRUTE = f"{PLAN_MARK} brute force"
PLAN_EFFICIENT = f"{PLAN_MARK} efficient algorithm"
PLANS = {SolutionKind.EFFICIENT: PLAN_EFFICIENT, SolutionKind.BUGGY_EFFICIENT: PLAN_EFFICIENT,
         SolutionKind.BRUTE: PLAN_BRUTE, SolutionKind.BUGGY_BRUTE: PLAN_BRUTE}


def planned(kind: SolutionKind, code: str) -> str:
    """`code` opened by the plan line of its kind (surface.diversify keeps that line first)."""
    return PLANS[kind] + "\n" + code.lstrip("\n")


def solutions_by_kind(spec: BuiltinSpec) -> dict[SolutionKind, list[str]]:
    """Every solution of a spec grouped by kind (reference and brute included), each opened by its plan line."""
    sols: list[Solution] = [Solution(SolutionKind.EFFICIENT, spec.reference), Solution(SolutionKind.BRUTE, spec.brute),
                            *spec.variants, *spec.wrong]
    out: dict[SolutionKind, list[str]] = {}
    for s in sols:
        kind = SolutionKind(s.kind)
        out.setdefault(kind, []).append(planned(kind, s.code))
    return out


def answer_pool(spec: BuiltinSpec) -> dict[SolutionKind, list[str]]:
    """The programs an answer is drawn from: as `solutions_by_kind`, but the buggy efficient ones are
    the bugs hidden from the public examples when the spec has any (world v2): a model that believed
    its efficient code correct, and whose self-test on the examples agreed, answers with those."""
    pool = solutions_by_kind(spec)
    hidden = [planned(SolutionKind.BUGGY_EFFICIENT, w.code) for w in spec.wrong
              if w.hidden and w.kind is SolutionKind.BUGGY_EFFICIENT]
    if hidden:
        pool[SolutionKind.BUGGY_EFFICIENT] = hidden
    return pool


def problem_weights(weights: dict[SolutionKind, float], spec: BuiltinSpec) -> dict[SolutionKind, float]:
    """The kind mix for one problem. On a lenient problem (brute force fits every tier, world.py) the
    efficient answers are mostly its hidden bugs, world.LENIENT_KEEP of them correct: the clever
    solution of a problem that does not need one is where the model goes wrong."""
    if not spec.lenient:
        return weights
    eff = weights.get(SolutionKind.EFFICIENT, 0.0) + weights.get(SolutionKind.BUGGY_EFFICIENT, 0.0)
    return {**weights, SolutionKind.EFFICIENT: eff * LENIENT_KEEP, SolutionKind.BUGGY_EFFICIENT: eff * (1 - LENIENT_KEEP)}


def draw_kinds(available: Sequence[SolutionKind], weights: dict[SolutionKind, float], n: int,
               rng: random.Random) -> list[SolutionKind]:
    """n kinds with (as near as rounding allows) the target shares, shuffled: the mix is exact, not noisy."""
    kinds = [k for k in weights if k in available and weights[k] > 0]
    total = sum(weights[k] for k in kinds)
    counts = {k: int(n * weights[k] / total) for k in kinds}
    rest = sorted(kinds, key=lambda k: -(n * weights[k] / total - counts[k]))
    for k in rest[: n - sum(counts.values())]:
        counts[k] += 1
    drawn = [k for k in kinds for _ in range(counts[k])]
    rng.shuffle(drawn)
    return drawn


def solution_builder(config: CorpusConfig) -> Builder:
    """Builder of plain (prompt -> code block) examples following the kind mix, with surface variation."""
    def build(spec: BuiltinSpec, statement: str, rng: random.Random) -> list[Example]:
        pool = answer_pool(spec)
        examples = []
        for kind in draw_kinds(list(pool), problem_weights(config.weights(), spec), config.per_problem, rng):
            code = diversify(rng.choice(pool[kind]), rng, config.surface)
            examples.append([*prompt_messages(statement, spec.title), {"role": "assistant", "content": answer(code)}])
        return examples
    return build


def build_corpus(items: Sequence[tuple[BuiltinSpec, str]], builders: Sequence[Builder],
                 seed: int = 1234) -> list[Example]:
    """All builders over all (spec, statement) pairs; deterministic for a seed, then shuffled."""
    examples: list[Example] = []
    for spec, statement in items:
        for b_idx, builder in enumerate(builders):
            rng = random.Random(f"{seed}:{spec.id}:{b_idx}")
            examples.extend(builder(spec, statement, rng))
    random.Random(seed).shuffle(examples)
    return examples


def builtin_items(ids: Sequence[str] | None = None) -> list[tuple[BuiltinSpec, str]]:
    """(spec, statement) for the built-in suite; statements come from the built problems (examples appended)."""
    from codefrontier.problems.builtin import all_specs, builtin_problems

    specs = {s.id: s for s in all_specs()}
    problems = builtin_problems(seed=0, ids=list(ids) if ids else None)  # statements only: no test I/O is used
    return [(specs[p.id], p.statement) for p in problems if p.id in specs]

