"""θ(λ) set into an already loaded model, in place, without touching disk.

    line = WeightLine(A, B)          # reads both checkpoints once (validated like a merge)
    for lam in (-0.5, 0, 0.5, 1, 1.5):
        line.apply(model, lam)       # model's parameters := A + λ (B − A), in the model's dtype
        ... sample ...

Kept per tensor: A and B in their stored dtype (nothing else: 2 copies of the model). A λ costs one
`torch.lerp` per tensor, written straight into the parameter when dtypes match: computed in
float32 (lerp's internal type for bf16/f16/f32; λ is never rounded to bf16) and rounded once, the
same kernel and bits as the streamed merge. λ=0 and λ=1 copy A or B themselves: bit for bit in
the model's dtype. Tied parameters (lm_head sharing the input embedding) are set once, through
whichever name the checkpoint stores.
"""

from __future__ import annotations

import math
import os
import weakref
from collections.abc import Iterator
from typing import Any

from codefrontier.errors import MergeError
from codefrontier.merge.checkpoint import Checkpoint, open_checkpoint, torch_dtype
from codefrontier.merge.st_format import FLOAT_CODES, ITEMSIZE, byte_view
from codefrontier.merge.validate import validate_inputs


def load_tensor(ckpt: Checkpoint, name: str) -> Any:
    """One whole tensor of a checkpoint, in its stored dtype and shape (CPU)."""
    import torch

    info = ckpt.tensors[name]
    raw = torch.empty(info.numel * ITEMSIZE[info.dtype], dtype=torch.uint8)
    ckpt.read_into(name, 0, byte_view(raw))
    return raw.view(torch_dtype(info.dtype)).reshape(info.shape)


class WeightLine:
    """The line θ(λ) = A + λ (B − A) between two checkpoints of one model, held in memory."""

    def __init__(self, a_path: str | os.PathLike[str], b_path: str | os.PathLike[str], *,
                 device: Any = "cpu", allow_pickle: bool = False) -> None:
        ckpts = [open_checkpoint(p, allow_pickle) for p in (a_path, b_path)]
        try:
            self.config_notes = validate_inputs(ckpts)  # token-id differences etc. (validate.note_line)
            self.a: dict[str, Any] = {}
            self.b: dict[str, Any] = {}
            self.floats = {n for n, i in ckpts[0].tensors.items() if i.dtype in FLOAT_CODES}
            for name in ckpts[0].tensors:
                self.a[name] = load_tensor(ckpts[0], name).to(device)
                self.b[name] = load_tensor(ckpts[1], name).to(device)
        finally:
            for c in ckpts:
                c.close()
        self.paths = (str(a_path), str(b_path))
        self._targets: weakref.WeakKeyDictionary[Any, list[tuple[str, Any]]] = weakref.WeakKeyDictionary()

    def weights(self, lam: float, dtype: Any = None) -> Iterator[tuple[str, Any]]:
        """(checkpoint name, θ(λ) tensor) for every tensor; float results rounded once to `dtype` if given."""
        lam = _finite(lam)
        for name, a in self.a.items():
            if name not in self.floats or lam == 0.0:
                t = a
            elif lam == 1.0:
                t = self.b[name]
            elif dtype is None or dtype == a.dtype:
                t = _lerp(a, self.b[name], lam)
            else:
                t = _lerp(_wide(a), _wide(self.b[name]), lam)
            yield name, (t.to(dtype) if dtype is not None and name in self.floats else t)

    def apply(self, model: Any, lam: float) -> None:
        """Set θ(λ) into `model`'s parameters in place (its dtype and device are kept)."""
        import torch

        lam = _finite(lam)
        targets = self._targets.get(model) or self._match(model)
        with torch.no_grad():
            for name, param in targets:
                a, b = self.a[name], self.b[name]
                if name not in self.floats or lam in (0.0, 1.0):
                    param.copy_(b if lam == 1.0 and name in self.floats else a)  # exact (one cast at most)
                elif param.dtype == a.dtype and param.device == a.device and a.dtype != torch.float64:
                    _lerp(a, b, lam, out=param)  # one pass, no temporary
                else:
                    param.copy_(_lerp(_wide(a), _wide(b), lam))  # float32 (or wider), rounded once

    def _match(self, model: Any) -> list[tuple[str, Any]]:
        """Pair each checkpoint tensor with the model tensor it sets; check every parameter is covered."""
        named = dict(model.named_parameters(remove_duplicate=False))
        named.update(dict(model.named_buffers(remove_duplicate=False)))
        missing = [n for n in self.a if n not in named]
        bad = [f"{n}: {list(self.a[n].shape)} vs {list(named[n].shape)}" for n in self.a
               if n in named and tuple(named[n].shape) != tuple(self.a[n].shape)]
        covered = {id(named[n]) for n in self.a if n in named}
        uncovered = [n for n, p in model.named_parameters() if id(p) not in covered]
        if missing or bad or uncovered:
            parts = ([f"not in the model: {missing[:3]}"] if missing else []) + (
                [f"shape: {bad[:3]}"] if bad else []) + ([f"not in {self.paths[0]}: {uncovered[:3]}"] if uncovered else [])
            raise MergeError(f"the model does not match the checkpoints ({'; '.join(parts)}) (fix: load the same architecture).")
        targets = [(n, named[n]) for n in self.a]
        self._targets[model] = targets
        return targets


def _wide(t: Any) -> Any:
    """t in float32, or as it is when already wider."""
    import torch

    return t.to(torch.promote_types(t.dtype, torch.float32))


def _lerp(a: Any, b: Any, lam: float, out: Any = None) -> Any:
    import torch

    return torch.lerp(a, b, lam, out=out)


def _finite(lam: float) -> float:
    lam = float(lam)
    if not math.isfinite(lam):
        raise MergeError(f"lambda {lam} is not finite (fix: pass a finite number).")
    return lam
