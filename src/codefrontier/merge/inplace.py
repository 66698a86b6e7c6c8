"""θ(λ) set into an already loaded model, in place, without touching disk.

    line = WeightLine(A, B)          # reads both checkpoints once (validated like a merge)
    for lam in (-0.5, 0, 0.5, 1, 1.5):
        line.apply(model, lam)       # model's parameters := A + λ (B − A), in the model's dtype
        ... sample ...

Kept per tensor: A and B in their stored dtype and the float32 delta D = B − A (so a λ costs one
fused add per tensor: p := round(A + λ D)). λ=0 and λ=1 copy A or B themselves: bit for bit in
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
            validate_inputs(ckpts)
            self.a: dict[str, Any] = {}
            self.b: dict[str, Any] = {}
            self.delta: dict[str, Any] = {}  # float32 B − A, float tensors only
            for name, info in ckpts[0].tensors.items():
                self.a[name] = load_tensor(ckpts[0], name).to(device)
                self.b[name] = load_tensor(ckpts[1], name).to(device)
                if info.dtype in FLOAT_CODES:
                    self.delta[name] = self.b[name].float() - self.a[name].float()
        finally:
            for c in ckpts:
                c.close()
        self.paths = (str(a_path), str(b_path))
        self._targets: weakref.WeakKeyDictionary[Any, list[tuple[str, Any]]] = weakref.WeakKeyDictionary()

    def weights(self, lam: float, dtype: Any = None) -> Iterator[tuple[str, Any]]:
        """(checkpoint name, θ(λ) tensor) for every tensor; float results cast once to `dtype` if given."""
        lam = _finite(lam)
        for name, a in self.a.items():
            d = self.delta.get(name)
            if d is None or lam == 0.0:
                t = a
            elif lam == 1.0:
                t = self.b[name]
            else:
                import torch

                t = torch.add(a, d, alpha=lam)  # float32: λ is never rounded to the stored dtype
            yield name, (t.to(dtype) if dtype is not None and d is not None else t)

    def apply(self, model: Any, lam: float) -> None:
        """Set θ(λ) into `model`'s parameters in place (its dtype and device are kept)."""
        import torch

        targets = self._targets.get(model) or self._match(model)
        with torch.no_grad():
            for (name, value), (tname, param) in zip(self.weights(lam), targets, strict=True):
                assert name == tname
                param.copy_(value)  # the one rounding to the model's dtype (exact at λ=0, 1)

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
            raise MergeError(f"the model does not match the checkpoints ({'; '.join(parts)}); load the same architecture.")
        targets = [(n, named[n]) for n in self.a]
        self._targets[model] = targets
        return targets


def _finite(lam: float) -> float:
    lam = float(lam)
    if not math.isfinite(lam):
        raise MergeError(f"lambda {lam} is not finite; pass a finite number.")
    return lam
