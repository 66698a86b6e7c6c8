"""The streamed merge: θ_j = θ_base + Σ_i w_ji (θ_i − θ_base), one output checkpoint per row j.

Data flow, per tensor chunk (≤ `chunk_mb` of float32, so memory never grows with the model):

    pread base, model_1..k chunk ──► float32 (or float64) ──► d_i = θ_i − θ_base   (once)
        └─► for each output j: o = θ_base + Σ w_ji d_i ──► round once to the output dtype ──► pwrite

Rows that select one input exactly (all weights 0, or a single weight 1 and the rest 0: λ=0 and
λ=1 on the line) copy that input's bytes instead of computing, so the endpoints are bit for bit.
Chunks run on a thread pool (pread/pwrite and torch kernels release the GIL). Each output shard's
header is written first (every size is known up front), so data lands at fixed offsets and no
shard is ever held in memory. Everything goes into a hidden `.NAME.partial-PID-XXXX` folder beside
the target, renamed to the target only when complete; any failure removes it.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from codefrontier.errors import MergeError
from codefrontier.merge.checkpoint import Checkpoint, open_checkpoint, torch_dtype
from codefrontier.merge.outputs import finish_checkpoint, lam_dirname, prepare_target, publish
from codefrontier.merge.plan import MergeOptions, MergePlan, PlanKind
from codefrontier.merge.st_format import (
    DTYPE_NAMES,
    FLOAT_CODES,
    ITEMSIZE,
    byte_view,
    plan_layout,
    pwrite_all,
)
from codefrontier.merge.validate import check_coefficients, note_line, validate_inputs


def line_plan(a: str, b: str, lams: Sequence[float]) -> MergePlan:
    """θ(λ) = A + λ(B − A); several λ go to lam_<λ> subfolders."""
    check_coefficients(lams, "lambda")
    subdirs = (None,) if len(lams) == 1 else tuple(lam_dirname(lam) for lam in lams)
    return MergePlan(a, (b,), tuple((float(lam),) for lam in lams), subdirs, "A + lam * (B - A)", PlanKind.LINE, tuple(lams))


def affine_plan(base: str, models: Sequence[tuple[str, float]]) -> MergePlan:
    """θ = base + Σ w_i (θ_i − base)."""
    if not models:
        raise MergeError("the affine form needs at least one --model PATH:WEIGHT besides --base.")
    check_coefficients([w for _, w in models], "weight")  # duplicates are legal here: check finiteness only
    return MergePlan(base, tuple(p for p, _ in models), (tuple(float(w) for _, w in models),), (None,),
                     "base + sum_i w_i * (model_i - base)", PlanKind.AFFINE)


def uniform_plan(paths: Sequence[str]) -> MergePlan:
    """(1/n) Σ θ_i written as θ_1 + Σ_{i≥2} (1/n)(θ_i − θ_1), so it streams like the rest."""
    if len(paths) < 2:
        raise MergeError("a uniform average needs at least two checkpoints.")
    w = 1.0 / len(paths)
    return MergePlan(paths[0], tuple(paths[1:]), ((w,) * (len(paths) - 1),), (None,),
                     "(1/n) * sum_i model_i", PlanKind.UNIFORM)


def run_merge(plan: MergePlan, out: str | os.PathLike[str], opts: MergeOptions = MergeOptions(),
              log: Callable[[str], None] | None = None) -> list[Path]:
    """Validate everything, stream the merge into a hidden folder, rename it to `out`. Returns the checkpoints.

    `log` gets one note line when the configs differ outside the architecture (token ids after
    training, say); the same differences go into each output's provenance JSON."""
    ckpts = [open_checkpoint(p, opts.allow_pickle) for p in (plan.base, *plan.models)]
    try:
        notes = validate_inputs(ckpts)
        if notes and log is not None:
            log(note_line(notes, ckpts[0]))
        target = Path(out)
        out_code = DTYPE_NAMES[opts.dtype.value] if opts.dtype else None
        need = len(plan.rows) * sum(_out_nbytes(i.dtype, i.numel, out_code) for i in ckpts[0].tensors.values())
        tmp = prepare_target(target, opts.force, need)
        try:
            dirs = [tmp / s if s else tmp for s in plan.subdirs]
            _stream(ckpts, plan, dirs, out_code, opts)
            for d, row, lam in zip(dirs, plan.rows, plan.lams or (None,) * len(dirs), strict=True):
                finish_checkpoint(d, ckpts, plan, row, lam, opts, out_code, notes)
            publish(tmp, target, opts.force)
        except BaseException as err:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(err, OSError) and err.errno == errno.ENOSPC:
                raise MergeError(f"the disk under {target.parent} filled up during the merge; nothing was written.") from err
            raise
    finally:
        for c in ckpts:
            c.close()
    return [target / s if s else target for s in plan.subdirs]


def _out_code(in_code: str, out_code: str | None) -> str:
    return out_code if (out_code and in_code in FLOAT_CODES) else in_code


def _out_nbytes(in_code: str, numel: int, out_code: str | None) -> int:
    return numel * ITEMSIZE[_out_code(in_code, out_code)]


def _open_outputs(base: Checkpoint, dirs: list[Path], out_code: str | None) -> tuple[list[dict[str, int]], dict[str, int]]:
    """Create every output shard with its header; return (per output: shard -> fd, tensor -> data offset)."""
    fds: list[dict[str, int]] = []
    offsets: dict[str, int] = {}
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
        shard_fds = {}
        for fname, names in base.shards.items():
            fname = fname if fname.endswith(".safetensors") else _st_name(fname)
            layout = [(n, _out_code(base.tensors[n].dtype, out_code), base.tensors[n].shape) for n in names]
            prefix, offs = plan_layout(layout, base.metadata.get(fname, {}) or {"format": "pt"})
            fd = os.open(d / fname, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            shard_fds[fname] = fd
            pwrite_all(fd, memoryview(prefix), 0)
            offsets.update(offs)
        fds.append(shard_fds)
    return fds, offsets


def _st_name(bin_name: str) -> str:
    """pytorch_model-00001-of-00002.bin -> model-00001-of-00002.safetensors (pickled inputs only)."""
    return bin_name.replace("pytorch_model", "model").removesuffix(".bin") + ".safetensors"


def _chunks(base: Checkpoint, step: int) -> Iterator[tuple[str, str, int, int]]:
    for fname, names in base.shards.items():
        out_name = fname if fname.endswith(".safetensors") else _st_name(fname)
        for name in names:
            numel = base.tensors[name].numel
            for start in range(0, max(numel, 1), step):
                yield out_name, name, start, min(step, numel - start)


def _stream(ckpts: list[Checkpoint], plan: MergePlan, dirs: list[Path], out_code: str | None, opts: MergeOptions) -> None:
    import torch

    compute = getattr(torch, opts.compute.value)
    step = max(1, int(opts.chunk_mb * 2**20) // 4)
    threads = opts.threads or min(4, os.cpu_count() or 1)
    fds, offsets = _open_outputs(ckpts[0], dirs, out_code)
    worker = _ChunkWorker(ckpts, plan.rows, fds, offsets, out_code, compute, step)
    intra = torch.get_num_threads()
    torch.set_num_threads(1)  # our pool is the parallelism; OpenMP threads on top only spin and contend
    try:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="merge") as pool:
            futures = [pool.submit(worker.run, *c) for c in _chunks(ckpts[0], step)]
            try:
                for f in futures:
                    f.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        if opts.fsync:
            for shard_fds in fds:
                for fd in shard_fds.values():
                    os.fsync(fd)
    finally:
        torch.set_num_threads(intra)
        for shard_fds in fds:
            for fd in shard_fds.values():
                os.close(fd)


class _ChunkWorker:
    """Computes one chunk of one tensor for every output; per-thread buffers are reused."""

    def __init__(self, ckpts: list[Checkpoint], rows: Sequence[Sequence[float]], fds: list[dict[str, int]],
                 offsets: dict[str, int], out_code: str | None, compute: Any, step: int) -> None:
        self.ckpts, self.rows, self.fds, self.offsets = ckpts, rows, fds, offsets
        self.out_code, self.compute, self.step = out_code, compute, step
        self.local = threading.local()

    def _buffers(self) -> Any:
        import torch

        loc = self.local
        if not hasattr(loc, "raw"):
            k, width = len(self.ckpts), max(ITEMSIZE[i.dtype] for i in self.ckpts[0].tensors.values())
            loc.raw = [torch.empty(self.step * width, dtype=torch.uint8) for _ in range(k)]  # input bytes
            loc.work = [torch.empty(self.step, dtype=self.compute) for _ in range(k)]  # base, deltas
            loc.acc = torch.empty(self.step, dtype=self.compute)
            loc.out = torch.empty(self.step * 8, dtype=torch.uint8)  # any output dtype
        return loc

    def run(self, shard: str, name: str, start: int, count: int) -> None:

        info = self.ckpts[0].tensors[name]
        in_code, out_code = info.dtype, _out_code(info.dtype, self.out_code)
        buf = self._buffers()
        floats = in_code in FLOAT_CODES
        used = self.ckpts if floats else self.ckpts[:1]  # non-float: the base's bytes
        try:
            raws = [c.chunk(name, start, count, buf.raw[i]) for i, c in enumerate(used)]
            self._compute(raws, shard, name, start, count, in_code, out_code)
        finally:
            for c in used:
                c.release(name, start, count)

    def _compute(self, raws: list[Any], shard: str, name: str, start: int, count: int, in_code: str,
                 out_code: str) -> None:
        import torch

        buf, floats, osz = self.local, in_code in FLOAT_CODES, ITEMSIZE[out_code]
        src = [r.view(torch_dtype(in_code)) for r in raws]
        where = self.offsets[name] + start * osz
        pending = []  # outputs that need arithmetic
        for j, row in enumerate(self.rows):
            pick = _selected(row) if floats else 0
            if pick is None:
                pending.append(j)
            elif in_code == out_code:
                _write(self.fds[j][shard], raws[pick], where)
            else:
                _write(self.fds[j][shard], src[pick].to(torch_dtype(out_code)).view(torch.uint8), where)
        if not pending:
            return
        if len(self.ckpts) == 2:
            self._line(src, [(j, self.rows[j][0]) for j in pending], shard, where, count, out_code)
            return
        base = src[0] if src[0].dtype == self.compute else buf.work[0][:count].copy_(src[0])
        deltas = [torch.sub(src[i], base, out=buf.work[i][:count]) for i in range(1, len(self.ckpts))]
        acc, out_dtype = buf.acc[:count], torch_dtype(out_code)
        for j in pending:
            terms = [(w, d) for w, d in zip(self.rows[j], deltas, strict=True) if w != 0.0]
            torch.add(base, terms[0][1], alpha=terms[0][0], out=acc)  # coefficients stay Python floats
            for w, d in terms[1:]:
                acc.add_(d, alpha=w)
            out = acc if out_dtype == self.compute else buf.out[: count * osz].view(out_dtype).copy_(acc)
            _write(self.fds[j][shard], out.view(torch.uint8), where)  # rounded once, just above

    def _line(self, src: list[Any], lams: list[tuple[int, float]], shard: str, where: int, count: int,
              out_code: str) -> None:
        """A + λ (B − A) with torch.lerp: one pass, computed in float32 (its opmath type for
        bf16/f16/f32, λ kept as a float32 scalar, never rounded to bf16), rounded once on store."""
        import torch

        buf, out_dtype = self.local, torch_dtype(out_code)
        a, b = src
        direct = out_dtype == a.dtype and (self.compute == torch.float32 and a.dtype != torch.float64)
        if not direct:  # widen first (float64 compute, or a different output dtype)
            wide = torch.promote_types(a.dtype, self.compute)
            if wide == self.compute and a.dtype != wide:
                a, b = buf.work[0][:count].copy_(a), buf.work[1][:count].copy_(b)
        for j, lam in lams:
            if direct:
                out = torch.lerp(a, b, lam, out=buf.out[: count * a.element_size()].view(out_dtype))
            else:
                out = torch.lerp(a, b, lam, out=buf.acc[:count] if a.dtype == self.compute else None)
                out = out if out.dtype == out_dtype else buf.out[: count * out_dtype.itemsize].view(out_dtype).copy_(out)
            _write(self.fds[j][shard], out.view(torch.uint8), where)


def _selected(row: Sequence[float]) -> int | None:
    """Index of the input a weight row selects exactly (0 = base), or None when it needs arithmetic."""
    nonzero = [i for i, w in enumerate(row) if w != 0.0]
    if not nonzero:
        return 0
    if len(nonzero) == 1 and row[nonzero[0]] == 1.0:
        return nonzero[0] + 1
    return None


def _write(fd: int, data: Any, offset: int) -> None:
    pwrite_all(fd, byte_view(data), offset)
