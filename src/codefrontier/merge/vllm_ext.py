"""θ(λ) inside a running vLLM engine, without reloading it (GPU only; vLLM is imported lazily).

vLLM lets a user mix extra methods into every worker process: pass the class's qualified name as
`worker_extension_cls` when building the engine, then call those methods on all workers at once
with the public `LLM.collective_rpc(method_name, args=...)`. Inside a worker, `self.model_runner.model`
is vLLM's model and its `load_weights(weights)` takes an iterable of (Hugging Face tensor name,
tensor) pairs: it fuses q/k/v and gate/up projections, shards for tensor parallelism and skips a
tied lm_head. So a λ sweep is:

    from codefrontier.merge import vllm_ext
    llm = vllm_ext.make_llm(A)                 # LLM(model=A, worker_extension_cls=EXTENSION, ...)
    vllm_ext.load_line(llm, A, B)              # each worker reads A and B once into CPU memory
    for lam in (0.0, 0.5, 1.0, 1.5):
        vllm_ext.set_lambda(llm, lam)          # θ(λ) streamed into the engine, prefix cache reset
        outputs = llm.generate(prompts, params)

After new weights, `llm.reset_prefix_cache()` drops KV blocks computed with the old ones (a cached
prefix would otherwise mix two models). Costs: each worker holds A, B and the float32 delta on CPU
(8–12 bytes per parameter; tensors move to the GPU one at a time); quantized engines are not supported.
The weight stream itself, `stream_weights`, needs no vLLM and is unit-tested on CPU.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from codefrontier.merge.inplace import WeightLine

EXTENSION = "codefrontier.merge.vllm_ext.WeightLineExtension"


def stream_weights(line: WeightLine, lam: float, dtype: Any = None, device: Any = None) -> Iterator[tuple[str, Any]]:
    """(HF name, θ(λ) tensor) one tensor at a time, cast once to `dtype` and moved to `device`."""
    for name, t in line.weights(lam, dtype):
        yield name, (t.to(device) if device is not None else t)


class WeightLineExtension:
    """Methods mixed into each vLLM worker (through `worker_extension_cls=EXTENSION`)."""

    model_runner: Any  # provided by the vLLM worker this class is mixed into
    device: Any

    def cf_load_line(self, a_path: str, b_path: str) -> None:
        self._cf_line = WeightLine(a_path, b_path, device="cpu")

    def cf_set_lambda(self, lam: float) -> None:
        import torch

        model = self.model_runner.model
        dtype = next(model.parameters()).dtype
        model.load_weights(weights=stream_weights(self._cf_line, lam, dtype, self.device))
        torch.cuda.synchronize()


def make_llm(model_path: str | os.PathLike[str], **kwargs: Any) -> Any:
    """A vLLM `LLM` for `model_path` with the extension installed (kwargs go to `LLM`)."""
    from vllm import LLM

    return LLM(model=str(model_path), worker_extension_cls=EXTENSION, **kwargs)


def load_line(llm: Any, a_path: str | os.PathLike[str], b_path: str | os.PathLike[str]) -> None:
    llm.collective_rpc("cf_load_line", args=(str(a_path), str(b_path)))


def set_lambda(llm: Any, lam: float) -> None:
    """θ(λ) into every worker, then drop the prefix cache computed with the previous weights."""
    llm.collective_rpc("cf_set_lambda", args=(float(lam),))
    llm.reset_prefix_cache()
