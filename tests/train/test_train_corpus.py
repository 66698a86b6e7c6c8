from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter

from cf_fakes import BRUTE, REFERENCE, fake_problem, fake_spec

from codefrontier.extract import extract_code
from codefrontier.problems.builtin.spec import SolutionKind
from codefrontier.train.corpus import (
    CorpusConfig,
    build_corpus,
    draw_kinds,
    problem_weights,
    solution_builder,
    solutions_by_kind,
)
from codefrontier.train.surface import diversify, reindent, rename_identifiers, wrap_in_function


def _run(code: str, stdin: str) -> str:
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True,
                          timeout=30).stdout


def test_surface_variants_differ_but_behave_the_same() -> None:
    variants = {diversify(src, random.Random(k)) for src in (REFERENCE, BRUTE) for k in range(12)}
    assert len(variants) >= 10
    stdin = "4\n1 2 3 4\n"
    for code in list(variants)[:6]:
        assert _run(code, stdin) == "10\n", code


def test_layout_transforms_keep_the_ast_and_renames_keep_attributes() -> None:
    two = reindent(BRUTE, 2)
    assert "\n  for j" in two and _run(two, "2\n5 6\n") == "11\n"
    renamed = rename_identifiers("xs = []\nxs.append(1)\nprint(len(xs))\n", random.Random(0))
    assert ".append(" in renamed and _run(renamed, "") == "1\n"
    wrapped = wrap_in_function(REFERENCE, "main")
    assert "def main():" in wrapped and _run(wrapped, "2\n5 6\n") == "11\n"


def test_every_program_states_its_plan_first_and_diversify_keeps_it_there() -> None:
    from codefrontier.train.corpus import PLAN_BRUTE, PLAN_EFFICIENT, PLANS

    pool = solutions_by_kind(fake_spec())
    for kind, codes in pool.items():
        for code in codes:
            assert code.startswith(PLANS[kind] + "\n")
            for k in range(8):  # wrapping in a function or adding a comment must not move the plan line
                out = diversify(code, random.Random(k), 1.0)
                assert out.startswith(PLANS[kind] + "\n") and out.count("# plan:") == 1, out
    assert PLANS[SolutionKind.BUGGY_EFFICIENT] == PLAN_EFFICIENT and PLANS[SolutionKind.BUGGY_BRUTE] == PLAN_BRUTE
    assert _run(pool[SolutionKind.EFFICIENT][0], "4\n1 2 3 4\n") == "10\n"  # a comment: the program is unchanged


def test_kind_mix_is_exact_and_uses_only_available_kinds() -> None:
    cfg = CorpusConfig(per_problem=20)
    kinds = draw_kinds(list(solutions_by_kind(fake_spec())), cfg.weights(), 20, random.Random(0))
    counts = Counter(kinds)
    assert sum(counts.values()) == 20 and SolutionKind.BUGGY_BRUTE not in counts  # fake spec has none
    assert counts[SolutionKind.BRUTE] > counts[SolutionKind.BUGGY_EFFICIENT] > 0


def test_a_lenient_problems_efficient_answers_are_mostly_its_bugs() -> None:
    from dataclasses import replace

    from codefrontier.problems.builtin.world import LENIENT_KEEP, NEVER
    from codefrontier.train.traces import TraceConfig, for_spec

    strict, lenient = fake_spec(), replace(fake_spec(), brute_tier=NEVER)
    assert lenient.lenient and not strict.lenient and not replace(strict, brute_tier=4).lenient
    w = CorpusConfig().weights()
    assert problem_weights(w, strict) == w
    lw = problem_weights(w, lenient)
    eff, bug = lw[SolutionKind.EFFICIENT], lw[SolutionKind.BUGGY_EFFICIENT]
    assert abs(eff / (eff + bug) - LENIENT_KEEP) < 1e-9 and abs(sum(lw.values()) - sum(w.values())) < 1e-9
    assert lw[SolutionKind.BRUTE] == w[SolutionKind.BRUTE]  # brute force keeps its share: it is the safe answer
    counts = Counter(draw_kinds(list(solutions_by_kind(lenient)), lw, 40, random.Random(0)))
    assert counts[SolutionKind.BUGGY_EFFICIENT] > 3 * counts[SolutionKind.EFFICIENT]
    cfg = TraceConfig()
    assert for_spec(cfg, strict) is cfg
    lc = for_spec(cfg, lenient)
    assert lc.answer_bug_rate == 1 - LENIENT_KEEP and lc.w_buggy_efficient > 3 * lc.w_efficient


def test_corpus_is_deterministic_chat_with_code_and_no_hidden_tests() -> None:
    spec = fake_spec()
    items = [(spec, spec.statement)]
    builders = [solution_builder(CorpusConfig(per_problem=12))]
    a, b = build_corpus(items, builders, seed=7), build_corpus(items, builders, seed=7)
    assert a == b and len(a) == 12 and a != build_corpus(items, builders, seed=8)
    for ex in a:
        assert [m["role"] for m in ex] == ["system", "user", "assistant"]  # the reasoning setting's opening
        assert spec.statement.strip() in ex[1]["content"] and extract_code(ex[2]["content"])
    text = str(a)
    for test in fake_problem().tests[1:]:
        assert test.input.strip() not in text
