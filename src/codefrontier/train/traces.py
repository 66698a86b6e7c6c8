"""SFT traces for the tool and agent settings: the tiny model learns to run code and to revise.

Every message comes from the sampling package's own functions (`system_prompt`, `problem_message`,
`format_tool_call`, `format_tool_result`, `format_agent_feedback`), so a trace is exactly the
conversation `episodes/settings.py` would hold, and every tool output / feedback message is REAL:
the candidate runs in the judge's sandbox (through `episodes.judging.real_judge`, the settings'
own judge view) while the corpus is built.

  tool trace:     [system(tool), problem] -> assistant: ```python-run candidate + public input```
                  -> user: the tool result -> assistant: the answer. The answer keeps the candidate
                  when its output equals the example's expected output (SUBMIT: the program ran is
                  the answer, not copied out again); otherwise it switches to another variant (and,
                  budget allowing, runs that one too before answering).
  feedback trace: [system(agent), problem] -> assistant: a submission that FAILS a public test
                  (checked with the judge; wrong solutions that pass the public tests are skipped)
                  -> user: the agent setting's feedback -> assistant: a revised submission. The
                  failing submission is a real wrong solution or a correct one broken the way a small
                  model breaks code (`corrupt`: a line dropped, a bracket left open, a name misspelt),
                  so the model also learns to recover from its own syntax and name errors.
  direct trace:   [system(agent), problem] -> assistant: a submission (no feedback follows).
In world v1 (bugs the public examples revealed) the traces made the init's efficient code reliable
enough that full-coverage GRPO lost its correctness failures. World v2's answers draw buggy efficient
code from the bugs hidden from the examples (corpus.answer_pool; answer_bug_rate), as in real
contests: a tool run on an example or public feedback agrees with them, the hidden tests do not. So
the demo trains its one init on the traces by default (`--no-traces` leaves them out).

A trace is one SFT example; the loss covers every assistant turn (tool calls and the answer) except
the failing first submission of a feedback trace, marked context only (corpus.CONTEXT,
sft.target_spans), so a model never learns to write it.
Only statements, public examples and code enter the corpus, never hidden-test I/O.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from codefrontier.episodes import protocol as P
from codefrontier.episodes.judging import JudgeFns
from codefrontier.episodes.prompts import Message, answer
from codefrontier.episodes.settings import Setting, SettingConfig, system_prompt
from codefrontier.judge.checkers import check
from codefrontier.problems.builtin.spec import BuiltinSpec, SolutionKind
from codefrontier.problems.builtin.world import LENIENT_KEEP
from codefrontier.problems.model import Problem
from codefrontier.train.corpus import (
    CONTEXT,
    Builder,
    Example,
    answer_pool,
    problem_weights,
    solutions_by_kind,
)
from codefrontier.train.surface import diversify
from codefrontier.verdicts import Verdict

CORRECT = (SolutionKind.EFFICIENT, SolutionKind.BRUTE)
WRONG = (SolutionKind.BUGGY_EFFICIENT, SolutionKind.BUGGY_BRUTE)


@dataclass(frozen=True)
class TraceConfig:
    # Tool-setting traces per problem. At 6 (vs 24 plain answers) the init wrote a syntax error in ~half its
    # tool-setting programs (11% of its plain answers): the python-run format had too few examples.
    tool_per_problem: int = 12
    feedback_per_problem: int = 10  # agent traces whose first submission fails a public test
    w_broken: float = 0.5  # share of those first submissions that are corrupted correct programs
    fix_efficient: float = 0.7  # chance that the revision is the efficient solution (else brute force)
    # Chance that an efficient program a trace answers with (after a switch, as a revision, as a direct
    # answer) is a buggy efficient variant; 0.45 matches the plain corpus's 0.25 / (0.30 + 0.25). In
    # world v2 those bugs pass the public examples (corpus.answer_pool), so a tool run on an example or
    # public feedback cannot reveal them: the traces stay honest and the init keeps hidden-test WAs.
    # (World v1, visible bugs: at 0.45 the agent's gain fell to +0.028 and the frontier still faded.)
    answer_bug_rate: float = 0.45
    direct_per_problem: int = 2  # agent traces whose first submission is correct
    # Candidate kinds of tool traces: half wrong, so "switch after a wrong output" is learned, and 45%
    # efficient-shaped, near the plain corpus's 55% (with switches, ~57% of tool answers). At 65% the init
    # planned an efficient algorithm in 60% of its tool-setting programs after low-coverage GRPO (33% in
    # reasoning): the tool frontier started where the others end, and interpolation along it was weak.
    w_efficient: float = 0.20
    w_brute: float = 0.30
    w_buggy_efficient: float = 0.25
    w_buggy_brute: float = 0.25
    recheck: bool = True  # after switching, run the new candidate too (when runs are left)
    surface: float = 0.35  # surface-variation scale of the code (as CorpusConfig.surface)
    setting: SettingConfig = field(default_factory=SettingConfig)  # budgets and truncation of the sampler

    def tool_weights(self) -> dict[SolutionKind, float]:
        return {SolutionKind.EFFICIENT: self.w_efficient, SolutionKind.BRUTE: self.w_brute,
                SolutionKind.BUGGY_EFFICIENT: self.w_buggy_efficient, SolutionKind.BUGGY_BRUTE: self.w_buggy_brute}


def for_spec(cfg: TraceConfig, spec: BuiltinSpec) -> TraceConfig:
    """The trace mix for one problem: on a lenient one the efficient programs are mostly its hidden bugs
    (corpus.problem_weights), both as tool candidates and as answers."""
    if not spec.lenient:
        return cfg
    w = problem_weights(cfg.tool_weights(), spec)
    return replace(cfg, w_efficient=w[SolutionKind.EFFICIENT], w_buggy_efficient=w[SolutionKind.BUGGY_EFFICIENT],
                   answer_bug_rate=max(cfg.answer_bug_rate, 1 - LENIENT_KEEP))


def problem_for(spec: BuiltinSpec) -> Problem:
    """The seed-0 built problem of a spec (cached for registered specs); only its statement, public
    tests and limits are read here."""
    from codefrontier.problems.builtin import build_problem, builtin_problems
    from codefrontier.problems.builtin.registry import all_specs

    if spec.id in {s.id for s in all_specs()}:
        return builtin_problems(seed=0, ids=[spec.id])[0]
    return build_problem(spec, seed=0)


def opening(problem: Problem, setting: Setting, cfg: SettingConfig) -> list[Message]:
    """The first two messages exactly as `episodes.settings.start_episode` writes them (plain-text tools)."""
    return [{"role": "system", "content": system_prompt(setting, cfg)},
            {"role": "user", "content": P.problem_message(problem)}]


def output_right(problem: Problem, test_index: int, stdout: str | None, verdict: Verdict) -> bool:
    """Whether a tool run on public example `test_index` printed the expected output (the problem's checker)."""
    test = problem.public_tests[test_index]
    if verdict is not Verdict.AC or stdout is None:
        return False
    return check(problem.checker, test.input, test.output, stdout.encode()) is Verdict.AC


def _pick(pool: Mapping[SolutionKind, list[str]], kinds: Sequence[SolutionKind], rng: random.Random,
          scale: float) -> str:
    kind = rng.choice([k for k in kinds if pool.get(k)])
    return diversify(rng.choice(pool[kind]), rng, scale)


def _answer(pool: Mapping[SolutionKind, list[str]], efficient: float, cfg: TraceConfig, rng: random.Random) -> str:
    """A program a trace answers with: efficient-shaped with probability `efficient` (buggy with
    probability cfg.answer_bug_rate), else brute force."""
    kind = SolutionKind.BRUTE
    if rng.random() < efficient:
        buggy = pool.get(SolutionKind.BUGGY_EFFICIENT) and rng.random() < cfg.answer_bug_rate
        kind = SolutionKind.BUGGY_EFFICIENT if buggy else SolutionKind.EFFICIENT
    return _pick(pool, [kind] if pool.get(kind) else CORRECT, rng, cfg.surface)


def tool_trace(problem: Problem, pool: Mapping[SolutionKind, list[str]], candidate: str, test_index: int,
               judge: JudgeFns, cfg: TraceConfig, rng: random.Random) -> list[Message]:
    """One tool-setting conversation: run `candidate` on a public example, then keep it or switch."""
    s = cfg.setting
    stdin = problem.public_tests[test_index].input
    messages = opening(problem, Setting.TOOL, s)
    code, ran, runs = candidate, None, 0
    while runs < s.max_tool_calls:
        result = judge.run_tool(problem, code, stdin)
        ran, runs = code, runs + 1
        messages.append({"role": "assistant", "content": P.format_tool_call(code, stdin)})
        messages.append({"role": "user", "content": P.format_tool_result(result, s.feedback_chars)})
        if output_right(problem, test_index, result.stdout, result.verdict):
            break
        code = _answer(pool, 0.5, cfg, rng)  # wrong, crashed or too slow: another variant (run again below)
        if not cfg.recheck:
            break
    # the program it ran and saw right is submitted as it stands; one switched to but not run is written out
    messages.append({"role": "assistant", "content": P.SUBMIT if code == ran else answer(code)})
    return messages


def feedback_trace(problem: Problem, wrong: str, fixed: str, judge: JudgeFns, cfg: TraceConfig) -> list[Message] | None:
    """An agent conversation: `wrong` fails a public test, the real feedback, then `fixed`. None when
    `wrong` passes every public test (or the judge could not run it): no honest feedback exists."""
    s = cfg.setting
    outcome = judge.run_public(problem, wrong)
    ff = outcome.first_failure
    if outcome.verdict in (Verdict.AC, Verdict.IE) or ff is None or not 0 <= ff.index < len(problem.public_tests):
        return None
    return [*opening(problem, Setting.AGENT, s),
            {"role": "assistant", "content": answer(wrong), CONTEXT: "1"},  # context only: never learned
            {"role": "user", "content": P.format_agent_feedback(problem, outcome, s.max_attempts - 1, s.feedback_chars)},
            {"role": "assistant", "content": answer(fixed)}]


def _problem_and_pool(spec: BuiltinSpec, problems: Mapping[str, Problem] | None
                      ) -> tuple[Problem, dict[SolutionKind, list[str]]]:
    return (problems or {}).get(spec.id) or problem_for(spec), solutions_by_kind(spec)


def tool_builder(cfg: TraceConfig, judge: JudgeFns, problems: Mapping[str, Problem] | None = None) -> Builder:
    """Builder of tool traces (one example each, every assistant turn learned); the problem comes from
    `problems` or its spec."""
    def build(spec: BuiltinSpec, statement: str, rng: random.Random) -> list[Example]:
        from codefrontier.train.corpus import draw_kinds

        problem, pool = _problem_and_pool(spec, problems)
        if not problem.public_tests or not any(pool.get(k) for k in CORRECT):
            return []
        c = for_spec(cfg, spec)
        examples: list[Example] = []
        for kind in draw_kinds(list(pool), c.tool_weights(), c.tool_per_problem, rng):
            candidate = diversify(rng.choice(pool[kind]), rng, c.surface)
            trace = tool_trace(problem, answer_pool(spec), candidate, _shortest(problem), judge, c, rng)
            examples.append(trace)
        return examples
    return build


def _shortest(problem: Problem) -> int:
    """The public example a tool trace runs on: the shortest input, the one a small model copies best
    (with a random one the init garbled many inputs, and correct programs crashed on them)."""
    return min(range(len(problem.public_tests)), key=lambda i: (len(problem.public_tests[i].input), i))


def corrupt(code: str, rng: random.Random) -> str:
    """A broken copy of a program, the way a small model breaks one: a line dropped, a closing bracket
    lost or a name misspelt. How (and whether) it fails is left to the judge: a trace keeps it only
    when it really fails a public test."""
    lines = code.splitlines()
    body = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith(("import", "#"))]
    if not body:
        return code
    i = rng.choice(body)
    how = rng.choice(("drop", "unclose", "misspell"))
    if how == "drop" and len(body) > 1:
        del lines[i]
    elif how == "unclose" and ")" in lines[i]:
        j = lines[i].rfind(")")
        lines[i] = lines[i][:j] + lines[i][j + 1:]
    else:
        names = [m for m in re.finditer(r"\b[a-z_][a-z0-9_]*\b", lines[i]) if m.group() not in _KEEP]
        if names:
            m = rng.choice(names)
            lines[i] = lines[i][:m.start()] + m.group() + "_" + lines[i][m.end():]
    return "\n".join(lines) + "\n"


_KEEP = frozenset({"if", "else", "elif", "for", "in", "while", "def", "return", "and", "or", "not", "is",
                   "import", "from", "as", "lambda", "print", "range", "int", "len", "sys", "map", "list"})


def _first_and_fix(pool: Mapping[SolutionKind, list[str]], failing: Sequence[str], cfg: TraceConfig,
                   rng: random.Random) -> tuple[str, str]:
    """A candidate failing first submission and the revision that follows its feedback."""
    if failing and rng.random() >= cfg.w_broken:
        first = diversify(rng.choice(failing), rng, cfg.surface)
    else:
        first = corrupt(_pick(pool, CORRECT, rng, cfg.surface), rng)
    return first, _answer(pool, cfg.fix_efficient, cfg, rng)


def agent_builder(cfg: TraceConfig, judge: JudgeFns, problems: Mapping[str, Problem] | None = None) -> Builder:
    """Builder of feedback traces (first submissions that really fail a public test) and direct agent answers."""
    def build(spec: BuiltinSpec, statement: str, rng: random.Random) -> list[Example]:
        problem, pool = _problem_and_pool(spec, problems)
        if not problem.public_tests or not any(pool.get(k) for k in CORRECT):
            return []
        answers, cfg_p = answer_pool(spec), for_spec(cfg, spec)
        failing = [c for k in WRONG for c in pool.get(k, []) if judge.run_public(problem, c).verdict
                   not in (Verdict.AC, Verdict.IE)]
        examples: list[Example] = []
        for _ in range(cfg_p.feedback_per_problem):
            for _try in range(3):  # a corrupted program may still pass: draw again
                trace = feedback_trace(problem, *_first_and_fix(answers, failing, cfg_p, rng), judge, cfg_p)
                if trace is not None:
                    examples.append(trace)
                    break
        for _ in range(cfg_p.direct_per_problem):
            examples.append([*opening(problem, Setting.AGENT, cfg_p.setting),
                             {"role": "assistant", "content": answer(_answer(answers, 0.5, cfg_p, rng))}])
        return examples
    return build


def trace_builders(cfg: TraceConfig | None = None, judge: JudgeFns | None = None,
                   problems: Mapping[str, Problem] | None = None) -> list[Builder]:
    """The tool and agent builders over the real judge (or `judge`), for `corpus.build_corpus`."""
    from codefrontier.episodes.judging import real_judge

    cfg = cfg or TraceConfig()
    judge = judge or real_judge()
    return [tool_builder(cfg, judge, problems), agent_builder(cfg, judge, problems)]
