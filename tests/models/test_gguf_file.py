"""GGUF inputs that cannot be imported, and the import cache (fast: synthetic files, no real model)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from codefrontier.errors import CodefrontierError
from codefrontier.models import gguf
from codefrontier.models.checkpoint import resolve_checkpoint


def write_gguf(path: Path, arch: str) -> Path:
    """A tiny but well-formed GGUF file of architecture `arch` (one 8x4 fp32 tensor)."""
    import numpy as np
    from gguf import GGUFWriter

    w = GGUFWriter(str(path), arch)
    w.add_block_count(1)
    w.add_context_length(16)
    w.add_embedding_length(4)
    w.add_tensor("token_embd.weight", np.zeros((8, 4), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def one_line(err: pytest.ExceptionInfo[CodefrontierError]) -> str:
    msg = str(err.value)
    assert "\n" not in msg and "(fix:" in msg
    return msg


def test_unsupported_architecture_is_one_line_naming_it(tmp_path: Path) -> None:
    f = write_gguf(tmp_path / "odd.gguf", "frobnicator")
    with pytest.raises(CodefrontierError) as err:
        gguf.import_gguf(f, tmp_path / "out")
    assert "frobnicator" in one_line(err) and str(f) in str(err.value)
    assert not (tmp_path / "out").exists()


def test_corrupt_metadata_is_one_line(tmp_path: Path) -> None:
    good = write_gguf(tmp_path / "good.gguf", "llama").read_bytes()
    bad = tmp_path / "cut.gguf"
    bad.write_bytes(good[:40])  # the magic survives, the metadata does not
    with pytest.raises(CodefrontierError) as err:
        gguf.import_gguf(bad, tmp_path / "out")
    assert "metadata" in one_line(err)


@pytest.mark.parametrize("content", [None, b"PK\x03\x04 not a gguf"])
def test_missing_or_non_gguf_file(tmp_path: Path, content: bytes | None) -> None:
    f = tmp_path / "model.gguf"
    if content is not None:
        f.write_bytes(content)
    with pytest.raises(CodefrontierError) as err:
        resolve_checkpoint(f)
    assert str(f) in one_line(err)


def test_existing_out_is_refused_before_loading(tmp_path: Path) -> None:
    f = write_gguf(tmp_path / "m.gguf", "llama")
    (tmp_path / "out").mkdir()
    with pytest.raises(CodefrontierError) as err:
        gguf.import_gguf(f, tmp_path / "out")
    assert "--force" in one_line(err)


def test_non_gguf_arguments_pass_through() -> None:
    assert resolve_checkpoint("HuggingFaceTB/SmolLM2-135M-Instruct") == "HuggingFaceTB/SmolLM2-135M-Instruct"


@pytest.fixture
def fake_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Replace the 40 s import with a slow fake that writes a folder; returns the list of calls."""
    calls: list[Path] = []
    monkeypatch.setenv("CODEFRONTIER_CACHE", str(tmp_path / "cache"))

    def slow(file: Any, out: Any, force: bool = False) -> Path:
        calls.append(Path(out))
        time.sleep(0.3)  # long enough for a second caller to arrive while this one works
        Path(out).mkdir(parents=True, exist_ok=force)
        (Path(out) / gguf.IMPORT_NOTE).write_text("{}")
        return Path(out)

    monkeypatch.setattr(gguf, "import_gguf", slow)
    return calls


def test_two_concurrent_runs_import_once(tmp_path: Path, fake_import: list[Path]) -> None:
    f = write_gguf(tmp_path / "m.gguf", "llama")
    results: list[Path] = []
    threads = [threading.Thread(target=lambda: results.append(gguf.cached_import(f))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake_import) == 1 and results[0] == results[1]
    assert results[0].parent == tmp_path / "cache" / "gguf" and results[0].name.startswith("m-")
    assert resolve_checkpoint(f) == str(results[0]) and len(fake_import) == 1  # cached now


def test_a_changed_file_gets_a_new_cache_folder(tmp_path: Path, fake_import: list[Path]) -> None:
    f = write_gguf(tmp_path / "m.gguf", "llama")
    first = gguf.cached_import(f)
    write_gguf(f, "qwen2")
    second = gguf.cached_import(f)
    assert first != second and len(fake_import) == 2


def test_leftover_folder_without_note_is_reimported(tmp_path: Path, fake_import: list[Path]) -> None:
    f = write_gguf(tmp_path / "m.gguf", "llama")
    debris = gguf.cache_root() / f"m-{gguf.cache_key(f)}"
    debris.mkdir(parents=True)
    assert gguf.cached_import(f) == debris and (debris / gguf.IMPORT_NOTE).exists()
    assert fake_import == [debris]
