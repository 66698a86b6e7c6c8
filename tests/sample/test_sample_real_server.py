"""The HTTP backend against a real OpenAI-compatible server: `transformers serve` with SmolLM2-135M-Instruct.

The server is started and stopped by the test (free port, /health, process group killed in a
finally). Native tools: `transformers serve` passes `tools` to the chat template and parses tool
calls only for model types it has a response template for (Qwen family in transformers 5.17);
SmolLM2 is a llama model whose template ignores `tools`, so the tool setting runs on the plain-text
protocol here (--plain-tools), as it would for any model without native tool calls.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from real_data import REAL_DIR

pytestmark = pytest.mark.slow  # imports the GGUF once (~40 s), starts a server (~10 s), samples 3 episodes (~3-5 min on a busy 2-core machine)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
REAL = REAL_DIR / "lcb_rows.jsonl"


@pytest.fixture(scope="session")
def smollm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from smollm_fixture import smollm_folder

    return smollm_folder(tmp_path_factory)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture()
def server(smollm: Path, tmp_path: Path) -> Iterator[str]:
    exe = Path(sys.executable).with_name("transformers")
    if not exe.exists():
        pytest.skip("the `transformers` command is missing (fix: install transformers[serving], as `make setup` does)")
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), str(smollm)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"transformers serve did not come up: {(tmp_path / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield url + "/v1"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()
        assert proc.poll() is not None  # no server left behind


def test_three_settings_against_transformers_serve(server: str, smollm: Path, tmp_path: Path) -> None:
    from codefrontier.episodes.http_backend import HTTPBackend
    from codefrontier.episodes.settings import Setting, SettingConfig
    from codefrontier.problems.convert import ConvertConfig, ConvertReport, convert_rows, read_rows
    from codefrontier.sample.runner import SampleConfig, run_sampling
    from codefrontier.sample.store import CheckpointInfo, Store, results_frame

    if not REAL.is_file():
        pytest.skip(f"{REAL} is absent (the shared real data of this project)")
    problems = [p for p in convert_rows(read_rows(REAL), ConvertConfig(fmt="lcb"), "lcb_rows.jsonl", ConvertReport())
                if p.id == "lcb-leetcode-2727"]  # call-based: the harness in every setting
    bounds = SettingConfig(max_tokens_per_turn=32, max_total_tokens=64, max_turns=2, max_tool_calls=1,
                           max_attempts=2, native_tools=False)
    cfg = SampleConfig(n=1, settings=tuple(Setting), temperature=0.7, bounds=bounds, toy_scale=False)
    store = Store(tmp_path / "run")
    stats = run_sampling(cfg, HTTPBackend(server, str(smollm), timeout_s=600, retries=0), problems,
                         [CheckpointInfo("smollm2", str(smollm))], store)
    store.close()
    df = results_frame(tmp_path / "run")
    assert stats.generated == 3 and len(df) == 3 and set(df.setting) == {s.value for s in Setting}
    assert df.verdict.notna().all() and (df.tokens > 0).all()  # every sample generated and judged
    assert set(df.failure_class) <= {"solved", "correctness", "optimization"}
