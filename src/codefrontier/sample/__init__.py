"""Sampling in three inference settings (reasoning | tool | agent) into a resumable SQLite store.

Files, read in this order: `store` (SQLite, results_frame), `runner` (run_sampling with judge
overlap), `launch` + `cli` (the command). The episodes themselves (settings, prompts, tool
protocol, backends) live in `codefrontier.episodes`, shared with training; the names most
used are re-exported here. Everything imported here is torch-free.
"""

from codefrontier.episodes.backend import (
    Backend,
    Completion,
    Message,
    SamplingParams,
    ScriptedBackend,
    ToolCall,
)
from codefrontier.episodes.judging import JudgeFns, real_judge
from codefrontier.episodes.protocol import (
    format_agent_feedback,
    format_tool_call,
    format_tool_result,
    parse_tool_call,
    problem_message,
)
from codefrontier.episodes.settings import Setting, SettingConfig, system_prompt
from codefrontier.sample.runner import RunStats, SampleConfig, run_sampling
from codefrontier.sample.store import CheckpointInfo, Store, export, results_frame, run_metadata

__all__ = [
    "Backend", "CheckpointInfo", "Completion", "JudgeFns", "Message", "RunStats", "SampleConfig", "SamplingParams",
    "ScriptedBackend", "Setting", "SettingConfig", "Store", "ToolCall", "export", "format_agent_feedback",
    "format_tool_call", "format_tool_result", "parse_tool_call", "problem_message", "real_judge", "results_frame",
    "run_metadata", "run_sampling", "system_prompt",
]
