#!/usr/bin/env python3
"""torch.compile's max-autotune work shared out between processes, for torch_peer.py.

max-autotune spends its minutes choosing a kernel for each GEMM and convolution shape (Triton builds every
candidate, then each is timed on the GPU), one shape after another in one process: a ResNet-50 at batch 32 has
~25 such shapes at ~20 s each, more than a device lease gives a call. The choices land in one file per GPU model in
the Inductor cache folder (cache/<system hash>: op, input shapes, precision, candidate -> measured time), and a
compile that finds every candidate of a shape there skips both the builds and the timing.

So several processes compile the same cells at once as *shards*. Before a shape is autotuned, a shard claims it
(a file created exclusively under the cache's locks/ folder); a shape another shard has claimed, or already
measured, is not tuned again: the shard answers it with a stand-in (the ATen kernel "fastest"), which only steers
the shard's own compile, is never written to the cache, and is thrown away with that compile (a shard stops
before code generation, and its graphs are never cached). The shards thereby work through the shapes like a queue,
each taking the next one nobody has, and the real compile after them (one process per cell, as before) finds
every shape measured and only builds and fuses its chosen kernels.

Sharing one cache file needs one fix in every process that compiles: Inductor reads the file before it benchmarks
and writes back what it read plus its new entries, so of two processes tuning at once the later write drops the
other's shapes (earlier leases lost autotuning this way). The write here re-reads the file under a lock and merges.

A second lock, around Inductor's timing of candidates, would give each choice the GPU to itself; it is off unless
GRAPHPORT_AUTOTUNE_GPU_LOCK=1. With it on PyTorch 2.11 (the H200, run 12), eight shards finished no shape in 270 s
and a precompile's log put 26 s on one shape's "benchmarking" (19 candidates, 0.0003 s "precompiling"): the step
the lock wraps holds far more than GPU timing there (the builds, or waits the lock turns into a queue), which the
lease left no time to pin down. Without it fourteen shards finished 36 shapes in 120 s (run 13). Candidates of
different processes are then timed side by side on one GPU, as the precompile's processes always were.

Nothing here changes what Inductor compiles or how it measures: the choices the real compile reads are ones
Inductor measured itself, for the same candidates, keyed as it keys them. The helpers without torch (merging,
claiming, the stand-in choice) are plain Python and are tested on machines without a GPU.
"""

import contextlib
import fcntl
import hashlib
import inspect
import json
import os
import threading
import time

CLAIMS = "graphport-claims"
MERGE_LOCK = "graphport-autotune-cache.lock"
GPU_LOCK = "graphport-gpu-benchmark.lock"
# The stand-in answer for a shape another shard tunes: an ATen kernel at this time, every candidate slower.
STAND_IN_EXTERN_MS = 0.001
STAND_IN_OTHER_MS = 1.0e6


class ShardDone(Exception):
    """Raised where a shard's compile would start generating code: every shape of the cell has been chosen by
    then, and the rest of the compile (and running it) is work the real compile does."""


def locks_dir(cache_dir):
    # Under locks/, which inductor_cache.py never packs: claims and locks are this run's, not the next lease's.
    return os.path.join(cache_dir, "locks")


def deep_merge(into, new):
    """Merges nested dicts: new's leaves win, every key only `into` has is kept. Returns into."""
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            deep_merge(into[key], value)
        else:
            into[key] = value
    return into


def shape_key(op, inputs_key, hint_override, precision):
    """One autotuned shape, as Inductor's cache keys it (op name, inputs, size hint, float32 precision)."""
    text = json.dumps([op, inputs_key, hint_override, precision])
    return hashlib.sha1(text.encode()).hexdigest()


def claim(cache_dir, key):
    """True for the one process that creates the claim for `key`; False for every other."""
    folder = os.path.join(locks_dir(cache_dir), CLAIMS)
    os.makedirs(folder, exist_ok=True)
    try:
        fd = os.open(os.path.join(folder, key), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(f"{os.getpid()} {time.time():.0f}\n")
    return True


def clear_claims(cache_dir):
    """Claims are one run's: a shard killed mid-shape leaves its claim, and the next run must be free to take it."""
    folder = os.path.join(locks_dir(cache_dir), CLAIMS)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, name))


def stand_in_timings(choices, is_extern):
    """Timings that make the compile pick an ATen kernel (the first choice when there is none) without measuring."""
    externs = [c for c in choices if is_extern(c)]
    pick = externs[0] if externs else choices[0]
    return {c: (STAND_IN_EXTERN_MS if c is pick else STAND_IN_OTHER_MS) for c in choices}


@contextlib.contextmanager
def file_lock(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class GpuLock:
    """Held while Inductor times candidates: one process at a time across the machine, re-entrant within one
    (benchmarking may nest), and threads of one process wait for each other."""

    def __init__(self, path):
        self.path = path
        self.depth = 0
        self.mutex = threading.RLock()
        self.file = None
        self.waited_s = 0.0

    @contextlib.contextmanager
    def held(self):
        with self.mutex:
            if self.depth == 0:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                self.file = open(self.path, "a")
                t0 = time.time()
                fcntl.flock(self.file, fcntl.LOCK_EX)
                self.waited_s += time.time() - t0
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0:
                    fcntl.flock(self.file, fcntl.LOCK_UN)
                    self.file.close()
                    self.file = None


class Stats:
    """What this process's autotuning did, shape by shape, rewritten to a JSON file after each."""

    def __init__(self, path):
        self.path = path
        self.data = {"pid": os.getpid(), "patches": {}, "shapes": [], "cells": {}}
        self.gpu_lock = None

    def write(self):
        if not self.path:
            return
        if self.gpu_lock is not None:
            self.data["gpu_lock_waited_s"] = round(self.gpu_lock.waited_s, 2)
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)

    def shape(self, cell, op, how, seconds, error=None, split=None):
        entry = {"cell": cell, "op": op, "how": how, "s": round(seconds, 2), **(split or {})}
        if error:
            entry["error"] = error
        self.data["shapes"].append(entry)
        self.write()


def _call_lookup(cache, choices, op, inputs_key, hint_override):
    """Inductor's own cache lookup without benchmarking: {choice: ms} for the choices already measured."""
    if hint_override is not None and "hint_override" in inspect.signature(cache.lookup).parameters:
        return cache.lookup(choices, op, inputs_key, None, hint_override=hint_override)
    return cache.lookup(choices, op, inputs_key, None)


def install(cache_dir, shard=False, stats=None, cell=lambda: None, gpu_lock=None):
    """Patches Inductor in this process: the merging cache write always, the GPU lock when asked (gpu_lock, or
    GRAPHPORT_AUTOTUNE_GPU_LOCK=1), the claims and the stop before code generation for a shard (whose record then
    says, per shape tuned, its candidates and the seconds of their precompile and of Inductor's timing step).
    Returns {patch: True or why not}; a shard whose claims could not be installed must not run (it would tune every
    shape itself)."""
    from torch._inductor import codecache, scheduler, select_algorithm

    if gpu_lock is None:
        gpu_lock = os.environ.get("GRAPHPORT_AUTOTUNE_GPU_LOCK", "0") == "1"
    lock = GpuLock(os.path.join(locks_dir(cache_dir), GPU_LOCK))
    selector = getattr(select_algorithm, "AlgorithmSelectorCache", None)
    timed = {"s": 0.0}  # seconds this process spent in Inductor's timing step, lock waits included
    applied = {
        "merging_cache_write": _merge_cache_writes(codecache, os.path.join(locks_dir(cache_dir), MERGE_LOCK)),
        "gpu_lock": _measure_timing_step(selector, lock if gpu_lock else None, timed),
    }
    if shard:
        applied["claims"] = _claim_shapes(select_algorithm, selector, cache_dir, stats, cell, timed)
        applied["stop_before_codegen"] = _stop_before_codegen(scheduler)
    if stats is not None:
        stats.data["patches"] = applied
        stats.gpu_lock = lock
        stats.write()
    return applied


def _merge_cache_writes(codecache, merge_lock):
    """Inductor's write of the autotune timings file, made to re-read the file under a lock and merge into it."""
    base = getattr(codecache, "CacheBase", None)
    if base is None or not hasattr(base, "update_local_cache") or not hasattr(base, "get_local_cache_path"):
        return "codecache.CacheBase.update_local_cache not found"
    write_atomic = getattr(codecache, "write_atomic", None)

    def update_local_cache(self, local_cache):
        path = str(self.get_local_cache_path())
        with file_lock(merge_lock):
            current = {}
            if os.path.isfile(path):
                try:
                    with open(path) as f:
                        current = json.load(f).get("cache") or {}
                except (OSError, ValueError):
                    current = {}
            text = json.dumps({"system": self.system, "cache": deep_merge(current, local_cache)}, indent=4)
            if write_atomic is not None:
                write_atomic(path, text, make_dirs=True)
            else:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path + ".tmp", "w") as f:
                    f.write(text)
                os.replace(path + ".tmp", path)

    base.update_local_cache = update_local_cache
    return True


def _measure_timing_step(selector, lock, timed):
    """Inductor's timing of a shape's candidates, counted into timed["s"] and, with a lock, one process at a time."""
    autotune = getattr(selector, "autotune", None) if selector is not None else None
    if not callable(autotune):
        return "AlgorithmSelectorCache.autotune not found"

    def measured_autotune(self, *args, **kwargs):
        t0 = time.time()
        try:
            if lock is not None:
                with lock.held():
                    return autotune(self, *args, **kwargs)
            return autotune(self, *args, **kwargs)
        finally:
            timed["s"] += time.time() - t0

    selector.autotune = measured_autotune
    return True if lock is not None else "off (GRAPHPORT_AUTOTUNE_GPU_LOCK=1 turns it on)"


def _claim_shapes(select_algorithm, selector, cache_dir, stats, cell, timed):
    """A shard's autotuning: a shape measured already is read from the cache, a shape this shard claims is tuned by
    Inductor, and one another shard claimed is answered with the stand-in."""
    import torch

    do_autotuning = getattr(selector, "do_autotuning", None) if selector is not None else None
    extern = getattr(select_algorithm, "ExternKernelCaller", None)
    params = inspect.signature(do_autotuning).parameters if callable(do_autotuning) else {}
    if not callable(do_autotuning) or extern is None or not {"name", "inputs_key", "choices"} <= set(params):
        return "AlgorithmSelectorCache.do_autotuning(name, ..., inputs_key, choices, ...) not found"
    signature = inspect.signature(do_autotuning)

    def claimed_do_autotuning(self, *args, **kwargs):
        binding = signature.bind(self, *args, **kwargs)
        bound = binding.arguments
        op, inputs_key, choices = bound["name"], bound["inputs_key"], bound["choices"]
        hint = bound.get("hint_override")
        t0, timed_before = time.time(), timed["s"]
        how, error, split = "left to another shard", None, {"choices": len(choices)}
        try:
            known = _call_lookup(self, choices, op, inputs_key, hint)
            if known and len(known) == len(choices):
                # Measured by another shard since this compile lowered the op: answered from the cache, without the
                # candidate builds Inductor's precompile step (made before then) would start.
                how = "cached"
                return known
            if not claim(cache_dir, shape_key(op, inputs_key, hint, torch.get_float32_matmul_precision())):
                return stand_in_timings(choices, lambda c: isinstance(c, extern))
            how = "tuned"
            if stats is not None:  # what a shard stopped mid-shape was doing, and since when
                stats.data["tuning"] = {"cell": cell(), "op": op, "choices": len(choices), "since": t0}
                stats.write()
            precompile = bound.get("precompile_fn")
            if callable(precompile):
                def timed_precompile(*a, **k):
                    started = time.time()
                    try:
                        return precompile(*a, **k)
                    finally:
                        split["precompile_s"] = round(time.time() - started, 2)

                binding.arguments["precompile_fn"] = timed_precompile
            return do_autotuning(*binding.args, **binding.kwargs)
        except Exception as e:
            error = f"{type(e).__name__}: {e}"[:300]
            raise
        finally:
            if stats is not None:
                if how == "tuned":
                    split["benchmark_s"] = round(timed["s"] - timed_before, 2)
                    stats.data.pop("tuning", None)
                stats.shape(cell(), op, how, time.time() - t0, error, split)

    selector.do_autotuning = claimed_do_autotuning
    return True


def _stop_before_codegen(scheduler):
    """A shard's compile ends where code generation would start: every shape of the cell is chosen by then."""
    sched = getattr(scheduler, "Scheduler", None)
    if sched is None or not callable(getattr(sched, "codegen", None)):
        return "Scheduler.codegen not found: the shard compiles and runs the cell"

    def stop(self, *args, **kwargs):
        raise ShardDone("every shape of this cell is chosen; the shard stops before code generation")

    sched.codegen = stop
    return True
