"""How world v2's table (world.py) was found: a developer tool, run by hand, never at demo time.

  python -m codefrontier.problems.builtin.world_search > /tmp/world.json

For each problem: candidate buggy efficient programs (the spec's wrong solutions, plus one-token
mutations of the reference of the kinds contest code gets wrong: a comparison off by one, a +-1
dropped, an "infinity" or modulus too small) and candidate public examples (the hand-written two,
plus small generator inputs, n = 4..8). It keeps mutants that fail some hidden test and picks the
two examples that the most buggy programs pass: their bugs then hide from the examples, from a
tool run on them and from public-test feedback, and show only on hidden tests. It reads the specs
as the registry gives them (with world.py applied); a fresh search starts from an empty WORLD.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codefrontier.problems.builtin.runner import run_python
from codefrontier.problems.builtin.spec import BuiltinSpec
from codefrontier.problems.model import Problem

RULES = [  # (pattern, replacement, what it models)
    (r"(?<![<>=!])<=(?!=)", "<", "< for <="), (r"(?<![<>=!-])<(?![<=])", "<=", "<= for <"),
    (r"(?<![<>=!-])>=(?!=)", ">", "> for >="), (r"(?<![<>=!-])>(?![>=])", ">=", ">= for >"),
    (r" \+ 1\b", "", "a + 1 dropped"), (r" - 1\b", "", "a - 1 dropped"),
    (r"\b10 ?\*\* ?18\b", "10**9", "infinity 10**9 is too small"),
    (r"float\([\"']inf[\"']\)", "10**9", "infinity 10**9 is too small"),
    (r"\b10 ?\*\* ?9 ?\+ ?7\b", "2**31 - 1", "the wrong modulus"), (r"-1\b", "0", "0 for -1"),
]


def mutants(code: str) -> Iterator[tuple[str, str, int, str, str]]:
    """(old, new, occurrence of old, note, mutated code) for every rule match."""
    for pat, rep, note in RULES:
        for m in re.finditer(pat, code):
            old = m.group()
            occurrence = code[:m.start()].count(old)
            yield old, m.expand(rep), occurrence, note, code[:m.start()] + m.expand(rep) + code[m.end():]


def passes(problem: Problem, code: str, stdin: str, expected: str) -> bool:
    """Whitespace-separated tokens equal: every built-in problem uses the `tokens` checker (the judge's
    checkers sit above this layer; tests/problems/test_builtin_world.py re-checks with them)."""
    r = run_python(code, stdin, 5)
    return r.returncode == 0 and not r.timed_out and r.stdout.split() == expected.split()


def fails_hidden(problem: Problem, code: str) -> tuple[int, str] | None:
    """(tier, verdict) of the first hidden test a program gets wrong (TLE does not count: None)."""
    for t in problem.tests:
        r = run_python(code, t.input, 2 * problem.time_limit_s + 1)
        if r.timed_out or r.cpu_s > problem.time_limit_s:
            return None
        if not passes(problem, code, t.input, t.output):
            return int(t.tier or 0), "WA"
    return None


def candidate_examples(spec: BuiltinSpec) -> list[str]:
    gen = [spec.generate(random.Random(f"codefrontier-example:{spec.id}:{n}:{i}"), n)
           for n in (4, 5, 6, 8) for i in range(3)]
    return [*spec.examples, *gen]


def search(spec: BuiltinSpec, problem: Problem) -> dict[str, object]:
    bugs: list[dict[str, Any]] = [{"old": "", "new": "", "occurrence": -1, "note": w.note, "code": w.code}
                                  for w in spec.wrong if not w.hidden]  # the spec as written, not world.py's additions
    for old, new, occ, note, code in mutants(spec.reference):
        bugs.append({"old": old, "new": new, "occurrence": occ, "note": note, "code": code})
    examples = candidate_examples(spec)
    outs = [run_python(spec.reference, x, 10).stdout for x in examples]
    table = [[passes(problem, b["code"], x, o) for x, o in zip(examples, outs, strict=True)] for b in bugs]
    useful = [i for i, row in enumerate(table) if sum(row) >= 2]
    hidden = {i: fails_hidden(problem, str(bugs[i]["code"])) for i in useful}
    useful = [i for i in useful if hidden[i] is not None]
    pairs = [(a, b) for a in range(len(examples)) for b in range(a + 1, len(examples))]
    # Most hidden bugs passing both; then hand-written examples first; then the earliest.
    a, b = max(pairs, key=lambda ab: (sum(table[i][ab[0]] and table[i][ab[1]] for i in useful),
                                       -(ab[0] >= 2) - (ab[1] >= 2), -ab[0] - ab[1]))
    kept = [{k: v for k, v in bugs[i].items() if k != "code"} | {"first": hidden[i]}
            for i in useful if table[i][a] and table[i][b]]
    return {"id": spec.id, "examples": [examples[a], examples[b]], "hidden_bugs": kept}


def main(ids: list[str]) -> None:
    from codefrontier.problems.builtin import all_specs, builtin_problems

    specs = [s for s in all_specs() if not ids or s.id in ids]
    problems = {p.id: p for p in builtin_problems(seed=0, ids=[s.id for s in specs])}
    with ThreadPoolExecutor(2) as pool:
        for row in pool.map(lambda s: search(s, problems[s.id]), specs):
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
