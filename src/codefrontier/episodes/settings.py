"""The three inference settings as episodes: a conversation advanced one model turn at a time.

A batch of episodes is stepped together (one `Backend.chat` call per turn for every episode
still running), so multi-turn settings batch as well as `reasoning` does.
  reasoning: one completion; the answer is its last code block.
  tool:      the model may run code on inputs of its choice (plain-text ```python-run blocks or
             native tool calls), at most `max_tool_calls` runs, then answers.
  agent:     each turn is a submission judged on the PUBLIC tests; the first failing public test
             is fed back; at most `max_attempts` submissions. The last submitted code is graded.
Hidden tests never reach the model: feedback reads only `problem.public_tests`, tool runs use
the model's own stdin.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from codefrontier.enums import StrEnum
from codefrontier.episodes import protocol as P
from codefrontier.episodes.backend import Backend, Completion, Message, SamplingParams
from codefrontier.episodes.judging import JudgeFns
from codefrontier.errors import CodefrontierError
from codefrontier.extract import extract_code
from codefrontier.judge.outcome import Lang
from codefrontier.options import opt
from codefrontier.problems.model import Problem
from codefrontier.verdicts import NOCODE, Verdict


class Setting(StrEnum):
    REASONING = "reasoning"
    TOOL = "tool"
    AGENT = "agent"



@dataclass(frozen=True)
class SettingConfig:
    max_tool_calls: int = opt("Tool setting: sandboxed runs per sample.", 3)
    max_attempts: int = opt("Agent setting: submissions per sample.", 3)
    max_turns: int = opt("Model turns per sample (every setting; reasoning uses 1).", 6)
    max_tokens_per_turn: int = opt("New tokens per model turn.", 512)
    max_total_tokens: int = opt("Completion tokens over all turns of a sample.", 2048)
    feedback_chars: int = opt("Truncation of every fed-back text field (characters).", 600)
    native_tools: bool | None = opt("Tool protocol: native tool calls or plain text (None: native where the "
                                   "backend has them).", None)
    lang: Lang = opt("The language answers are extracted and judged in.", Lang.PYTHON)

    def __post_init__(self) -> None:
        for name, low in (("max_tool_calls", 0), ("max_attempts", 1), ("max_turns", 1),
                          ("max_tokens_per_turn", 1), ("max_total_tokens", 1), ("feedback_chars", 1)):
            if getattr(self, name) < low:
                raise CodefrontierError(f"setting bound {name} is {getattr(self, name)} "
                                        f"(fix: give {name.replace('_', '-')} >= {low}).")
        try:
            object.__setattr__(self, "lang", Lang(self.lang))
        except ValueError:
            raise CodefrontierError(f"unknown language '{self.lang}' (fix: use python or cpp).") from None

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"lang": self.lang.value}


@dataclass
class Episode:
    problem: Problem
    setting: Setting
    messages: list[Message]
    native: bool = False
    tokens: int = 0
    turns: int = 0
    tool_calls: int = 0
    attempts: int = 0
    done: bool = False
    code: str | None = None  # the graded submission
    first_code: str | None = None  # agent: the first submission (for first_attempt_solved)
    last_run: str | None = None  # tool: the last program run (what a final SUBMIT answers with)
    last_text: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)  # tool runs / public verdicts, for the transcript

    def transcript_json(self) -> str:
        return json.dumps({"messages": self.messages, "events": self.events}, ensure_ascii=False)


def system_prompt(setting: Setting, cfg: SettingConfig, native: bool = False, call_based: bool = False) -> str:
    """The system message of a setting (public: SFT traces start with exactly this). Call-based problems
    (`fn_name`) get the `*_call` variants: complete the starter code, no stdin, the tool takes arguments."""
    call = "_call" if call_based else ""
    if setting is Setting.REASONING:
        return P.render("reasoning_system" + call)
    if setting is Setting.TOOL:
        name = "tool_system_native" if native else "tool_system"
        return P.render(name + call, max_tool_calls=cfg.max_tool_calls)
    return P.render("agent_system" + call, max_attempts=cfg.max_attempts)


def opening_messages(problem: Problem, setting: Setting = Setting.REASONING, cfg: SettingConfig | None = None,
                     native: bool = False) -> list[Message]:
    """THE prompt of a problem: the system and first user message that sampling, GRPO training (both
    settings), the verl export and `problems prompt` give a model. With `native`, the tool setting's
    messages also go with `tools=[PYTHON_TOOL]` (see `tool_specs`)."""
    cfg = cfg or SettingConfig()
    system = system_prompt(setting, cfg, native and setting is Setting.TOOL, call_based=bool(problem.fn_name))
    return [{"role": "system", "content": system}, {"role": "user", "content": P.problem_message(problem)}]


def tool_specs(setting: Setting, native: bool) -> tuple[dict[str, Any], ...]:
    """The OpenAI `tools` sent with every turn of an episode: the python tool, native tool setting only."""
    return (P.PYTHON_TOOL,) if native and setting is Setting.TOOL else ()


def start_episode(problem: Problem, setting: Setting, cfg: SettingConfig, native_tools: bool = False) -> Episode:
    native = setting is Setting.TOOL and (cfg.native_tools if cfg.native_tools is not None else native_tools)
    return Episode(problem=problem, setting=setting, messages=opening_messages(problem, setting, cfg, native),
                   native=native)


def _budget_left(ep: Episode, cfg: SettingConfig) -> bool:
    return ep.turns < cfg.max_turns and ep.tokens < cfg.max_total_tokens


def _advance_reasoning(ep: Episode, c: Completion, cfg: SettingConfig, judge: JudgeFns) -> None:
    ep.messages.append({"role": "assistant", "content": c.text})
    ep.code, ep.done = extract_code(c.text, cfg.lang), True


def _native_message(c: Completion) -> Message:
    calls = [{"id": t.id, "type": "function",
              "function": {"name": t.name, "arguments": json.dumps(t.arguments)}} for t in c.tool_calls]
    return {"role": "assistant", "content": c.text, "tool_calls": calls}


def _run_tool(ep: Episode, code: str, stdin: str, cfg: SettingConfig, judge: JudgeFns) -> str:
    ep.tool_calls += 1
    ep.last_run = code
    result = judge.run_tool(ep.problem, code, stdin)
    ep.events.append({"tool_run": ep.tool_calls, "verdict": result.verdict.value, "exit_code": result.exit_code})
    return P.format_tool_result(result, cfg.feedback_chars)


def _advance_tool(ep: Episode, c: Completion, cfg: SettingConfig, judge: JudgeFns) -> None:
    native_calls = [t for t in c.tool_calls if t.name == P.TOOL_NAME] if ep.native else []
    plain = None if ep.native else P.parse_tool_call(c.text)
    wants_tool = bool(native_calls) or plain is not None
    if wants_tool and _budget_left(ep, cfg):
        if ep.tool_calls >= cfg.max_tool_calls:  # out of runs: say so, let it answer
            ep.messages.append(_native_message(c) if ep.native else {"role": "assistant", "content": c.text})
            if ep.native:
                for t in native_calls:
                    ep.messages.append({"role": "tool", "tool_call_id": t.id, "content": "no tool runs left"})
            ep.messages.append({"role": "user", "content": P.render("tool_budget", max_tool_calls=cfg.max_tool_calls)})
            return
        if plain is not None:  # keep the text up to the block: later text guessed the output
            ep.messages.append({"role": "assistant", "content": c.text[:plain.end]})
            ep.messages.append({"role": "user", "content": _run_tool(ep, plain.code, plain.stdin, cfg, judge)})
            return
        ep.messages.append(_native_message(c))
        for t in native_calls:
            over = ep.tool_calls >= cfg.max_tool_calls
            content = "no tool runs left" if over else _run_tool(
                ep, str(t.arguments.get("code", "")), str(t.arguments.get("input", "")), cfg, judge)
            ep.messages.append({"role": "tool", "tool_call_id": t.id, "content": content})
        return
    ep.messages.append({"role": "assistant", "content": c.text})
    ep.code, ep.done = P.tool_answer(c.text, ep.last_run, cfg.lang), True


def _advance_agent(ep: Episode, c: Completion, cfg: SettingConfig, judge: JudgeFns) -> None:
    ep.messages.append({"role": "assistant", "content": c.text})
    code = extract_code(c.text, cfg.lang)
    ep.attempts += 1
    if ep.attempts == 1:
        ep.first_code = code
    more = ep.attempts < cfg.max_attempts and _budget_left(ep, cfg)
    left = cfg.max_attempts - ep.attempts
    if code is None:
        ep.events.append({"attempt": ep.attempts, "verdict": NOCODE})
        if more:
            ep.messages.append({"role": "user", "content": P.render("agent_nocode", attempts_left=left)})
        ep.done = not more
        return
    ep.code = code  # the latest submission is the one graded
    if not ep.problem.public_tests:  # nothing to check against: accept the submission
        ep.done = True
        return
    outcome = judge.run_public(ep.problem, code)
    ep.events.append({"attempt": ep.attempts, "verdict": outcome.verdict.value})
    ff = outcome.first_failure
    if outcome.verdict in (Verdict.AC, Verdict.IE) or ff is None or ff.index >= len(ep.problem.public_tests) or not more:
        ep.done = True  # passed, or no feedback possible, or out of attempts
        return
    ep.messages.append({"role": "user", "content": P.format_agent_feedback(
        ep.problem, outcome, left, cfg.feedback_chars)})


_ADVANCE = {Setting.REASONING: _advance_reasoning, Setting.TOOL: _advance_tool, Setting.AGENT: _advance_agent}


def advance(ep: Episode, c: Completion, cfg: SettingConfig, judge: JudgeFns) -> None:
    """Feed one model turn to an episode (runs tools / public tests as the setting asks)."""
    ep.turns += 1
    ep.tokens += c.completion_tokens
    ep.last_text = c.text
    _ADVANCE[ep.setting](ep, c, cfg, judge)
    if not ep.done and not _budget_left(ep, cfg):
        ep.done = True
        if ep.setting is Setting.TOOL:  # out of turns mid-tool-use: grade what it answered, if anything
            ep.code = P.tool_answer(c.text, ep.last_run, cfg.lang)


def run_episodes(episodes: Sequence[Episode], backend: Backend, params: SamplingParams, cfg: SettingConfig,
                 judge: JudgeFns, seeds: Sequence[int], pool: ThreadPoolExecutor | None = None) -> None:
    """Step every episode to completion; one chat call per turn per token budget group."""
    seed_of = {id(e): s for e, s in zip(episodes, seeds, strict=True)}
    while active := [e for e in episodes if not e.done]:
        groups: dict[int, list[Episode]] = {}
        for e in active:  # the per-turn budget shrinks as total tokens are spent
            groups.setdefault(min(cfg.max_tokens_per_turn, cfg.max_total_tokens - e.tokens), []).append(e)
        for budget, group in groups.items():
            tools = tool_specs(Setting.TOOL, any(e.native for e in group))
            p = SamplingParams(max_tokens=budget, temperature=params.temperature, top_p=params.top_p,
                               stop=params.stop, tools=tools)
            comps = backend.chat([e.messages for e in group], p, [seed_of[id(e)] + e.turns for e in group])
            work = list(zip(group, comps, strict=True))
            if pool is None:
                for e, c in work:
                    advance(e, c, cfg, judge)
            else:  # tool runs and public judging of a turn run in parallel
                list(pool.map(lambda ec: advance(ec[0], ec[1], cfg, judge), work))
