"""What a merge does (`MergePlan`) and how (`MergeOptions`): the types engine.py and outputs.py share.

`MergeOptions` is also the `codefrontier merge` command's flags: the CLI's defaults are its field
defaults and its help text is `OPTION_HELP`, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from codefrontier.enums import StrEnum
from codefrontier.errors import MergeError


class Compute(StrEnum):
    """The arithmetic's float type (the output is rounded once from it)."""

    FLOAT32 = "float32"
    FLOAT64 = "float64"


class FloatDtype(StrEnum):
    """An output float dtype (`--dtype`); its safetensors code is `DTYPE_NAMES[value]`."""

    FLOAT32 = "float32"
    BFLOAT16 = "bfloat16"
    FLOAT16 = "float16"
    FLOAT64 = "float64"


class PlanKind(StrEnum):
    LINE = "line"  # θ(λ) = A + λ (B − A)
    AFFINE = "affine"  # θ = base + Σ w_i (θ_i − base)
    UNIFORM = "uniform"  # (1/n) Σ θ_i


OPTION_HELP = {
    "dtype": "Output float dtype: float32|bfloat16|float16|float64",
    "compute": "Arithmetic dtype: float32|float64; the output is rounded once from it",
    "threads": "Worker threads (0 = up to 4)",
    "chunk_mb": "MiB of float32 per chunk per input (per-thread memory is about 6x this)",
    "allow_pickle": "Accept pickled .bin weights (can run code!).",
    "force": "Replace an existing --out.",
    "fsync": "fsync the output before the final rename (durability against power loss).",
}


def _enum(cls: type[StrEnum], value: object, flag: str) -> StrEnum:
    try:
        return cls(value)
    except ValueError:
        choices = "|".join(m.value for m in cls)
        raise MergeError(f"{flag} {value} is not one of {choices} (fix: pass one of those).") from None


@dataclass(frozen=True)
class MergeOptions:
    """How to merge (all `codefrontier merge` flags). dtype None = the input's own dtype."""

    dtype: FloatDtype | None = None
    compute: Compute = Compute.FLOAT32
    threads: int = 0  # 0 = min(4, cpu count)
    chunk_mb: float = 4.0  # MiB of float32 per chunk per input (per-thread memory ~ 6x this)
    allow_pickle: bool = False
    force: bool = False
    fsync: bool = False

    def __post_init__(self) -> None:
        # strings are accepted (and stored as the enum) so library callers may write dtype="bfloat16"
        if self.dtype is not None:
            object.__setattr__(self, "dtype", _enum(FloatDtype, self.dtype, "--dtype"))
        object.__setattr__(self, "compute", _enum(Compute, self.compute, "--compute"))
        if isinstance(self.threads, bool) or not isinstance(self.threads, int) or self.threads < 0:
            raise MergeError(f"--threads {self.threads!r} must be an integer >= 0 (fix: 0 picks up to 4).")
        if not isinstance(self.chunk_mb, (int, float)) or not 1 / 1024 <= self.chunk_mb <= 4096:
            raise MergeError(f"--chunk-mb {self.chunk_mb!r} must be between 1/1024 and 4096 MiB (fix: 4 is the default).")


@dataclass(frozen=True)
class MergePlan:
    """Inputs and one weight row per output: output j = base + Σ_i rows[j][i] (models[i] − base)."""

    base: str
    models: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    subdirs: tuple[str | None, ...]  # None: the output is the target itself
    formula: str
    kind: PlanKind
    lams: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PlanKind(self.kind))
        if not self.rows or any(len(r) != len(self.models) for r in self.rows):
            raise MergeError(f"a merge plan needs one weight per model in every row, got {self.rows} "
                             f"for {len(self.models)} model(s) (fix: build it with line_plan/affine_plan/uniform_plan).")
        if len(self.subdirs) != len(self.rows):
            raise MergeError(f"a merge plan has {len(self.rows)} rows but {len(self.subdirs)} output folders "
                             "(fix: build it with line_plan/affine_plan/uniform_plan).")
