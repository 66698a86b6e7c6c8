"""vLLM offline backend (GPU): `LLM.chat` over a batch, per-row seeds; lazy import.

λ sweeps load A and B once: the merge stage's worker extension
(`codefrontier.merge.vllm_ext`) sets θ(λ) = A + λ(B − A) in place inside every worker,
so `set_lam` costs one pass over the weights, no reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from codefrontier.episodes.backend import Completion, Message, SamplingParams
from codefrontier.errors import CodefrontierError

VLLM_EXT = "codefrontier.merge.vllm_ext"


def _import_vllm() -> Any:
    try:
        import vllm
    except ImportError as err:
        raise CodefrontierError("vLLM is not installed (fix: `pip install codefrontier[gpu]` on a GPU machine, or use --backend hf).") from err
    return vllm


class VLLMBackend:
    name = "vllm"

    def __init__(self, path: str, line: tuple[str, str] | None = None, native_tools: bool = False, **llm_kw: Any):
        """Load `path` (or A of `line`, with B kept beside it by the extension for in-place λ)."""
        vllm = _import_vllm()
        self.native_tools = native_tools
        self.line = line
        if line is None:
            self.llm = vllm.LLM(model=path, **llm_kw)
        else:  # engine with the weight-line extension; every worker reads A and B once
            ext = self._ext()
            self.llm = ext.make_llm(line[0], **llm_kw)
            ext.load_line(self.llm, line[0], line[1])

    @staticmethod
    def _ext() -> Any:
        try:
            import importlib

            return importlib.import_module(VLLM_EXT)
        except ImportError as err:
            raise CodefrontierError(f"λ sweeps with vLLM need {VLLM_EXT} (the merge stage), which is missing (fix: reinstall codefrontier).") from err

    def set_lam(self, lam: float) -> None:
        if self.line is None:
            raise CodefrontierError("set_lam was called on a backend without a weight line (fix: build it with line=(A, B)).")
        self._ext().set_lambda(self.llm, lam)  # also resets the prefix cache

    def chat(self, batch: Sequence[Sequence[Message]], params: SamplingParams,
             seeds: Sequence[int] | None = None) -> list[Completion]:
        vllm = _import_vllm()
        sps = [vllm.SamplingParams(max_tokens=params.max_tokens, temperature=params.temperature, top_p=params.top_p,
                                   stop=list(params.stop) or None, seed=(seeds[i] if seeds else None))
               for i in range(len(batch))]
        kw: dict[str, Any] = {"tools": list(params.tools)} if params.tools and self.native_tools else {}
        outs = self.llm.chat([list(m) for m in batch], sampling_params=sps, use_tqdm=False, **kw)
        return [self._completion(o) for o in outs]

    @staticmethod
    def _completion(o: Any) -> Completion:
        first = o.outputs[0]
        return Completion(text=first.text, completion_tokens=len(first.token_ids),
                          prompt_tokens=len(o.prompt_token_ids or ()),
                          finish_reason=str(first.finish_reason or "stop"))
