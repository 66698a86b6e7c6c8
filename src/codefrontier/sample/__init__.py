"""Sampling in three inference settings (reasoning | tool | agent) into a resumable SQLite store.

Files, read in this order: `backend` (the interface + a scripted fake), `protocol` (prompt
templates, the plain-text tool-call protocol, feedback formatting), `settings` (episodes),
`judging` (the judge swap point), `store` (SQLite, results_frame), `runner` (run_sampling with
judge overlap), `launch` + `cli` (the command); backends: `hf_backend`, `vllm_backend`, `http_backend`.
Everything imported here is torch-free.
"""

from codefrontier.sample.backend import (
    Backend,
    Completion,
    Message,
    SamplingParams,
    ScriptedBackend,
    ToolCall,
)
from codefrontier.sample.judging import JudgeFns, real_judge
from codefrontier.sample.protocol import (
    format_agent_feedback,
    format_tool_call,
    format_tool_result,
    parse_tool_call,
    problem_message,
)
from codefrontier.sample.runner import RunStats, SampleConfig, run_sampling
from codefrontier.sample.settings import Setting, SettingConfig, system_prompt
from codefrontier.sample.store import CheckpointInfo, Store, export, results_frame, run_metadata

__all__ = [
    "Backend", "CheckpointInfo", "Completion", "JudgeFns", "Message", "RunStats", "SampleConfig", "SamplingParams",
    "ScriptedBackend", "Setting", "SettingConfig", "Store", "ToolCall", "export", "format_agent_feedback",
    "format_tool_call", "format_tool_result", "parse_tool_call", "problem_message", "real_judge", "results_frame",
    "run_metadata", "run_sampling", "system_prompt",
]
