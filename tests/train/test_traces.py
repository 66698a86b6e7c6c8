"""Tool and feedback traces: the sampler's own parser reads them, and their tool output / feedback is real."""

from __future__ import annotations

import random

import pytest
from cf_fakes import fake_spec

from codefrontier.episodes import protocol as P
from codefrontier.episodes.judging import JudgeFns, real_judge
from codefrontier.episodes.settings import Setting, SettingConfig, start_episode, system_prompt
from codefrontier.judge.outcome import Outcome
from codefrontier.judge.outcome import TestResult as RunResult  # not collected by pytest
from codefrontier.problems.builtin import build_problem
from codefrontier.problems.model import Problem
from codefrontier.train.corpus import solutions_by_kind
from codefrontier.train.traces import (
    TraceConfig,
    agent_builder,
    corrupt,
    feedback_trace,
    tool_builder,
    tool_trace,
)
from codefrontier.verdicts import FailureClass, Verdict

PASSES_PUBLIC = "n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) if n < 50 else 0)\n"
CRASHES = "n = int(input())\nprint(1 // (n - n))\n"


@pytest.fixture(scope="module")
def problem() -> Problem:
    return build_problem(fake_spec(), seed=0)


@pytest.fixture(scope="module")
def judge() -> JudgeFns:
    return real_judge()


def _tool_runs(trace: list[dict[str, str]]) -> list[tuple[P.PlainToolCall, str]]:
    """(parsed call, the tool result message after it) for every assistant turn that calls the tool."""
    return [(call, trace[i + 1]["content"]) for i, m in enumerate(trace)
            if m["role"] == "assistant" and (call := P.parse_tool_call(m["content"])) is not None]


def test_tool_trace_opens_like_the_sampler_and_parses_with_its_parser(problem: Problem, judge: JudgeFns) -> None:
    spec = fake_spec()
    trace = tool_trace(problem, solutions_by_kind(spec), spec.reference, 0, judge, TraceConfig(), random.Random(0))
    assert trace[:2] == start_episode(problem, Setting.TOOL, SettingConfig()).messages
    runs = _tool_runs(trace)
    assert len(runs) == 1  # right output: no second run
    call, _ = runs[0]
    assert call.code.strip() == spec.reference.strip() and call.stdin == problem.public_tests[0].input
    assert trace[-1]["content"] == P.SUBMIT  # kept the candidate: submitted as it ran, not copied out
    assert P.tool_answer(trace[-1]["content"], call.code).strip() == spec.reference.strip()
    assert P.parse_tool_call(trace[-1]["content"]) is None


def test_tool_output_is_what_the_sandbox_returns_for_the_traced_code(problem: Problem, judge: JudgeFns) -> None:
    examples = tool_builder(TraceConfig(tool_per_problem=4), judge, {problem.id: problem})(
        fake_spec(), problem.statement, random.Random(3))
    finals = [ex for ex in examples if P.parse_tool_call(ex[-1]["content"]) is None]
    assert len(finals) == len(examples) == 4  # one example per trace (every assistant turn in it is learned)
    for ex in finals:
        for call, shown in _tool_runs(ex):
            assert shown == P.format_tool_result(judge.run_tool(problem, call.code, call.stdin))


def test_wrong_output_switches_to_a_variant_and_rechecks(problem: Problem, judge: JudgeFns) -> None:
    spec = fake_spec()
    trace = tool_trace(problem, solutions_by_kind(spec), CRASHES, 1, judge, TraceConfig(), random.Random(0))
    runs = _tool_runs(trace)
    assert "verdict: RE" in runs[0][1]
    assert len(runs) == 2 and runs[1][0].code != CRASHES  # switched, ran the new variant
    final = P.tool_answer(trace[-1]["content"], runs[-1][0].code)  # as the sampler resolves it
    assert final is not None and judge.run_public(problem, final).verdict is Verdict.AC


def test_feedback_trace_carries_the_real_feedback_and_a_revision(problem: Problem, judge: JudgeFns) -> None:
    spec = fake_spec()
    wrong = spec.wrong[0].code
    trace = feedback_trace(problem, wrong, spec.reference, judge, TraceConfig())
    assert trace is not None
    cfg = SettingConfig()
    assert trace[0]["content"] == system_prompt(Setting.AGENT, cfg)
    outcome = judge.run_public(problem, wrong)
    assert trace[3]["content"] == P.format_agent_feedback(problem, outcome, cfg.max_attempts - 1, cfg.feedback_chars)
    assert P.answer_code(trace[2]["content"]) == wrong and P.answer_code(trace[4]["content"]) == spec.reference


def test_corrupt_breaks_a_program_in_one_line() -> None:
    code = "import sys\nn = int(input())\na = list(map(int, input().split()))\nprint(sum(a))\n"
    broken = [corrupt(code, random.Random(seed)) for seed in range(20)]
    assert all(b != code for b in broken)
    assert all(len(set(b.splitlines()) - set(code.splitlines())) <= 1 for b in broken)  # one line touched
    assert all(b.splitlines()[0] == "import sys" for b in broken)  # imports are left alone


def test_broken_first_submissions_fail_for_real_and_carry_their_real_feedback(problem: Problem,
                                                                              judge: JudgeFns) -> None:
    cfg = TraceConfig(feedback_per_problem=4, direct_per_problem=0, w_broken=1.0)
    traces = agent_builder(cfg, judge, {problem.id: problem})(fake_spec(), problem.statement, random.Random(2))
    assert len(traces) == 4
    pool = {c for codes in solutions_by_kind(fake_spec()).values() for c in codes}
    for trace in traces:
        first = P.answer_code(trace[2]["content"])
        assert first is not None and first not in pool  # a corrupted program, not a stock solution
        outcome = judge.run_public(problem, first)
        assert outcome.verdict is not Verdict.AC
        assert trace[3]["content"] == P.format_agent_feedback(problem, outcome, 2, SettingConfig().feedback_chars)


def test_a_wrong_solution_that_passes_the_public_tests_gets_no_feedback_trace(problem: Problem,
                                                                              judge: JudgeFns) -> None:
    assert judge.run_public(problem, PASSES_PUBLIC).verdict is Verdict.AC
    assert feedback_trace(problem, PASSES_PUBLIC, fake_spec().reference, judge, TraceConfig()) is None


def test_agent_builder_skips_feedback_when_no_wrong_solution_fails_publicly(problem: Problem) -> None:
    from dataclasses import replace

    from codefrontier.problems.builtin.spec import Solution, SolutionKind

    def passes(p: Problem, code: str) -> Outcome:  # a judge stub: everything passes the public tests
        return Outcome(verdict=Verdict.AC, failure_class=FailureClass.SOLVED, passed_tier=0,
                       first_failure=None, tests=())

    def no_tool(p: Problem, code: str, stdin: str) -> RunResult:
        raise AssertionError("agent traces never run the tool")

    stub = JudgeFns(run_public=passes, run_tool=no_tool, grade=lambda items: [])
    spec = replace(fake_spec(), wrong=(Solution(SolutionKind.BUGGY_EFFICIENT, PASSES_PUBLIC),))
    examples = agent_builder(TraceConfig(feedback_per_problem=3, direct_per_problem=2), stub, {problem.id: problem})(
        spec, problem.statement, random.Random(0))
    assert len(examples) == 2 and all(len(ex) == 3 for ex in examples)  # only direct answers


@pytest.mark.slow
def test_sft_with_traces_trains_on_tool_and_feedback_conversations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from codefrontier.models.tiny import ModelConfig
    from codefrontier.train.corpus import CorpusConfig
    from codefrontier.train.sft import SFTConfig, train_sft

    spec = fake_spec()
    cfg = SFTConfig(out=str(tmp_path / "init"), vocab_size=300, corpus=CorpusConfig(per_problem=2), max_steps=1,
                    batch_size=2, model=ModelConfig(hidden=32, layers=1, heads=2, intermediate=64), traces=True)
    out = train_sft(cfg, [(spec, spec.statement)], log=lambda _: None)
    corpus = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    tool_sys, agent_sys = system_prompt(Setting.TOOL, SettingConfig()), system_prompt(Setting.AGENT, SettingConfig())
    tool = [ex for ex in corpus if ex[0]["content"] == tool_sys]
    feedback = [ex for ex in corpus if ex[0]["content"] == agent_sys and len(ex) == 5]
    assert len(corpus) > 2 and tool and feedback
    assert all(P.parse_tool_call(ex[2]["content"]) for ex in tool)  # one example per trace, from its first call

    # The loss covers every tool call and the answer, and of a feedback trace only the revision.
    from transformers import AutoTokenizer

    from codefrontier.train.sft import target_spans

    tok = AutoTokenizer.from_pretrained(str(out))
    for ex in tool:
        spans = target_spans(tok, ex)
        assert len(spans) == sum(m["role"] == "assistant" for m in ex) and spans[-1][1] == len(
            tok(tok.apply_chat_template(ex, tokenize=False), add_special_tokens=False)["input_ids"])
    for ex in feedback:
        (start, _end), = target_spans(tok, ex)
        revision = tok.apply_chat_template(ex[:4], tokenize=False, add_generation_prompt=True)
        assert start == len(tok(revision, add_special_tokens=False)["input_ids"])  # the first submission is context
