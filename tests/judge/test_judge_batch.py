"""judge_many: order kept, duplicates judged once, any Executor accepted."""

from __future__ import annotations

from judge_fixtures import make_problem

from codefrontier.judge import JudgeConfig, LocalExecutor, Submission, judge_many
from codefrontier.judge.executor import judge_submission
from codefrontier.verdicts import Verdict

SUM = "a, b = map(int, input().split())\nprint(a + b)\n"


def test_batch_keeps_order_and_dedupes(cfg):
    p = make_problem([("1 2\n", "3\n"), ("3 4\n", "7\n")])
    subs = [Submission(p, SUM), Submission(p, "print(0)\n"), Submission(p, SUM + "\n"),
            Submission(p, "while True: pass\n"), Submission(p, SUM, max_tier=1)]
    outs = judge_many(subs, cfg)
    assert [o.verdict for o in outs] == [Verdict.AC, Verdict.WA, Verdict.AC, Verdict.TLE, Verdict.AC]
    assert [o.cached for o in outs] == [False, False, True, False, False]
    assert outs[4].passed_tier == 1 and outs[0].passed_tier == 2


def test_custom_executor_protocol(cfg):
    class Sequential:
        def map_judge(self, subs, config):
            return [judge_submission(s, config) for s in subs]

    p = make_problem()
    outs = judge_many([Submission(p, SUM)], cfg, executor=Sequential())
    assert outs[0].verdict is Verdict.AC


def test_parallel_workers_agree_with_serial():
    p = make_problem([("1 2\n", "3\n")])
    subs = [Submission(p, SUM + f"# {i}\n" + ("print(1)\n" if i % 3 == 0 else "")) for i in range(12)]
    par = judge_many(subs, JudgeConfig(cache=False, workers=3))
    ser = LocalExecutor(1).map_judge(subs, JudgeConfig(cache=False))
    assert [o.verdict for o in par] == [o.verdict for o in ser]
    assert [o.verdict for o in par].count(Verdict.WA) == 4
