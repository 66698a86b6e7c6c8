"""Each setting end to end with scripted fake models, a fake judge and a real store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sample_fakes import CORRECT, SECRET, WRONG, FakeJudge, make_problem

from codefrontier.episodes.backend import Completion, Message, ScriptedBackend, ToolCall
from codefrontier.episodes.protocol import format_tool_call
from codefrontier.episodes.settings import Setting, SettingConfig
from codefrontier.results import RESULT_COLUMNS
from codefrontier.sample.runner import SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store, export, results_frame, run_metadata

CKPT = CheckpointInfo(label="cov1", path="/nowhere", coverage_level=1, is_trained=True)


def _run(tmp_path: Path, script, setting: Setting, n: int = 2, native: bool = False, judge: FakeJudge | None = None,
         bounds: SettingConfig | None = None):
    backend = ScriptedBackend(script, native_tools=native)
    judge = judge or FakeJudge()
    store = Store(tmp_path)
    cfg = SampleConfig(n=n, settings=(setting,), batch_size=3, bounds=bounds or SettingConfig())
    stats = run_sampling(cfg, backend, [make_problem("p1"), make_problem("p2")], [CKPT], store, judge=judge.fns())
    return backend, judge, stats, results_frame(tmp_path)


def _never_hidden(backend: ScriptedBackend) -> None:
    assert backend.seen, "the model was never called"
    for conversation in backend.seen:
        assert SECRET not in repr(conversation)


def _last_user(messages: Sequence[Message]) -> str:
    return next(m["content"] for m in reversed(messages) if m["role"] in ("user", "tool"))


def test_reasoning_grades_last_code_block(tmp_path: Path) -> None:
    backend, judge, stats, df = _run(tmp_path, lambda m: "Idea.\n" + WRONG + "\nBetter:\n" + CORRECT, Setting.REASONING)
    assert list(df.columns) == list(RESULT_COLUMNS)
    assert len(df) == 4 and (df.failure_class == "solved").all() and (df.turns == 1).all()
    assert df.first_attempt_solved.isna().all()
    _never_hidden(backend)


def test_agent_correct_after_feedback(tmp_path: Path) -> None:
    def script(messages: Sequence[Message]) -> str:
        return CORRECT if "failed example test" in _last_user(messages) else WRONG

    backend, judge, stats, df = _run(tmp_path, script, Setting.AGENT)
    assert (df.failure_class == "solved").all() and (df.turns == 2).all()
    assert (df.first_attempt_solved == 0.0).all()  # the first submission was graded on hidden tests too
    feedback = [_last_user(c) for c in backend.seen if len(c) > 2]
    assert feedback and all("wrong" in f and "1 2" in f for f in feedback)
    _never_hidden(backend)


def test_agent_first_attempt_solved_and_never_any_code(tmp_path: Path) -> None:
    _b, _j, _s, df = _run(tmp_path / "a", lambda m: CORRECT, Setting.AGENT)
    assert (df.first_attempt_solved == 1.0).all() and (df.turns == 1).all()
    backend, judge, _s, df = _run(tmp_path / "b", lambda m: "I do not know.", Setting.AGENT,
                                  bounds=SettingConfig(max_attempts=3))
    assert (df.sub_class == "NOCODE").all() and (df.failure_class == "correctness").all()
    assert (df.turns == 3).all() and (df.first_attempt_solved == 0.0).all() and not judge.graded
    _never_hidden(backend)


def test_tool_call_then_answer(tmp_path: Path) -> None:
    def script(messages: Sequence[Message]) -> str:
        if "ran on 7" in _last_user(messages):
            return "The tool agrees.\n" + CORRECT
        return "Try it:\n" + format_tool_call("print(int(input()) + 1)", "7") + "\nI bet it prints 8."

    backend, judge, _s, df = _run(tmp_path, script, Setting.TOOL)
    assert (df.failure_class == "solved").all() and (df.tool_calls == 1).all() and (df.turns == 2).all()
    assert judge.tool_runs[0] == ("print(int(input()) + 1)\n", "7\n")
    second = next(c for c in backend.seen if len(c) > 2)
    assert "I bet" not in second[2]["content"]  # text after the run block is dropped
    _never_hidden(backend)


def test_submit_answers_with_the_last_program_run(tmp_path: Path) -> None:
    def script(messages: Sequence[Message]) -> str:
        if len(messages) > 4:  # saw two tool results
            return "Both ran.\nSUBMIT"
        return format_tool_call("print(3)  # CORRECT" if len(messages) > 2 else "print(0)", "1 2")

    _b, judge, _s, df = _run(tmp_path, script, Setting.TOOL)
    assert (df.failure_class == "solved").all() and (df.tool_calls == 2).all() and (df.turns == 3).all()
    assert {code for _p, code in judge.graded} == {"print(3)  # CORRECT\n"}  # the last run, not the first
    _b, judge, _s, df = _run(tmp_path / "none", lambda m: "SUBMIT", Setting.TOOL)  # nothing was run
    assert (df.sub_class == "NOCODE").all() and not judge.graded


def test_tool_calls_are_bounded(tmp_path: Path) -> None:
    backend, judge, _s, df = _run(tmp_path, lambda m: format_tool_call("print(1)", "x"), Setting.TOOL,
                                  bounds=SettingConfig(max_tool_calls=2, max_turns=5))
    assert (df.tool_calls == 2).all() and (df.turns == 5).all() and (df.sub_class == "NOCODE").all()
    assert len(judge.tool_runs) == 2 * 4


def test_native_tool_calls(tmp_path: Path) -> None:
    def script(messages: Sequence[Message]) -> str | Completion:
        if messages[-1]["role"] == "tool":
            return CORRECT
        return Completion(text="", completion_tokens=5, finish_reason="tool_calls",
                          tool_calls=(ToolCall("c1", "python", {"code": "print(2)", "input": "4"}),))

    backend, judge, _s, df = _run(tmp_path, script, Setting.TOOL, native=True)
    assert (df.failure_class == "solved").all() and (df.tool_calls == 1).all()
    assert judge.tool_runs[0] == ("print(2)", "4") and (df.tokens > 5).all()
    assert "python-run" not in backend.seen[0][0]["content"]  # the native system prompt


def test_token_budget_ends_an_episode(tmp_path: Path) -> None:
    long = "word " * 50 + WRONG
    _b, _j, _s, df = _run(tmp_path, lambda m: long, Setting.AGENT,
                          bounds=SettingConfig(max_tokens_per_turn=60, max_total_tokens=100, max_attempts=5))
    assert (df.tokens <= 100).all() and (df.turns == 2).all()


def test_rerun_skips_stored_and_retries_internal_errors(tmp_path: Path) -> None:
    # batches of 3: the first batch is IE twice (graded, retried once), so 3 samples are stored as IE
    _b, judge, stats, df = _run(tmp_path, lambda m: CORRECT, Setting.REASONING, judge=FakeJudge(ie_first=6))
    assert stats.generated == 4 and (df.failure_class == "internal").sum() == 3 and len(judge.graded) == 3 + 3 + 1
    backend, judge2, stats2, df2 = _run(tmp_path, lambda m: pytest.fail("regenerated"), Setting.REASONING)
    assert stats2.generated == 0 and len(judge2.graded) == 3 and (df2.failure_class == "solved").all()
    assert len(df2) == 4
    meta = run_metadata(tmp_path)
    assert len(meta["invocations"]) == 2 and meta["toy_scale"] and meta["checkpoints"][0]["label"] == "cov1"
    paths = export(tmp_path / "results.sqlite", tmp_path / "export")
    import pandas as pd

    assert list(pd.read_parquet(paths["parquet"]).columns) == list(RESULT_COLUMNS)
    assert len(pd.read_csv(paths["csv"])) == 4


def test_grading_overlaps_the_next_generation(tmp_path: Path) -> None:
    """Batch 1 is graded only once batch 2 has started generating: possible only if the two overlap."""
    import threading

    second_batch = threading.Event()
    calls = []

    def script(messages: Sequence[Message]) -> str:
        calls.append(1)
        if len(calls) > 3:  # batch_size 3: the 4th conversation belongs to batch 2
            second_batch.set()
        return CORRECT

    judge = FakeJudge()
    plain_grade = judge.grade
    overlapped = []

    def grade(items):  # type: ignore[no-untyped-def]
        overlapped.append(second_batch.wait(timeout=10))
        return plain_grade(items)

    fns = judge.fns()
    fns = type(fns)(run_public=fns.run_public, run_tool=fns.run_tool, grade=grade)
    cfg = SampleConfig(n=2, settings=(Setting.REASONING,), batch_size=3)
    run_sampling(cfg, ScriptedBackend(script), [make_problem("p1"), make_problem("p2"), make_problem("p3")],
                 [CKPT], Store(tmp_path), judge=fns)
    assert overlapped[0] is True and len(results_frame(tmp_path)) == 6


def test_indices_sample_one_shard_and_a_later_run_fills_the_rest(tmp_path: Path) -> None:
    """indices= draws only those sample indices (a shard of the run); out-of-range ones are ignored."""
    store, judge = Store(tmp_path), FakeJudge()
    cfg = SampleConfig(n=3, settings=(Setting.REASONING,), batch_size=4)
    problems = [make_problem("p1"), make_problem("p2")]
    stats = run_sampling(cfg, ScriptedBackend(lambda m: CORRECT), problems, [CKPT], store, judge=judge.fns(),
                         indices=[1, 7])
    assert stats.total == 2 and sorted(results_frame(tmp_path).sample_index) == [1, 1]
    stats = run_sampling(cfg, ScriptedBackend(lambda m: CORRECT), problems, [CKPT], store, judge=judge.fns())
    assert stats.total == 4 and sorted(results_frame(tmp_path).sample_index) == [0, 0, 1, 1, 2, 2]
