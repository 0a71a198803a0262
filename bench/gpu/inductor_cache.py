#!/usr/bin/env python3
"""TorchInductor's compile caches, carried from one device lease to the next.

torch.compile's max-autotune benchmarks every Triton candidate of every GEMM and convolution on the GPU, which takes
minutes per model and batch: more than one 15-minute lease holds for the seven zoo models at two batches. What that
work leaves in the Inductor cache folder is small and does not depend on the machine, only on the GPU model and the
PyTorch/Triton build, so torch_peer.py packs it into $OUT after each run, the developer keeps it in
bench/gpu/inductor-cache/ (ignored by git) and carries it to the next call, and there the compiles that finished
before are cache hits (seconds) while the time goes to the ones that did not.

What is kept, and why (torch 2.11's layout of TORCHINDUCTOR_CACHE_DIR):
  cache/        select_algorithm's measured time of every candidate (what makes max-autotune slow), per system hash
  *.best_config the configs Triton's heuristics and coordinate descent picked for pointwise and reduction kernels
  aotautograd/  AOTAutograd entries, which name the FX graph entries below
  fxgraph/      whole compiled graphs; each holds its output code, which Inductor writes back to disk on a hit
What is left out: triton/ (compiled kernel binaries, tens of MiB; rebuilt from the source in the graph entries),
locks/, and the generated modules and C++ builds that a hit writes again.

An archive is made for one GPU model (its file is named after it, and its manifest.json says which GPU and
PyTorch made it): Inductor's keys include the device name and the Triton and PyTorch builds, so another GPU's
entries could only miss. No torch import here: this file runs, and is tested, on machines without torch.

    python3 bench/gpu/inductor_cache.py pack CACHE_DIR OUT.tgz --device "NVIDIA H100 80GB HBM3" --torch 2.11.0 [--cap-mib 12]
    python3 bench/gpu/inductor_cache.py unpack IN.tgz CACHE_DIR --device "NVIDIA H100 80GB HBM3" --torch 2.11.0
    python3 bench/gpu/inductor_cache.py list IN.tgz
"""

import argparse
import io
import json
import os
import re
import sys
import tarfile
import time
import zlib

MANIFEST = "manifest.json"
# The device tool brings back files of at most 16 MiB, and what travels to the device is 64 MiB in all.
DEFAULT_CAP_MIB = 12
# Kept in this order, so a cap drops the least useful first: timings, then configs, then whole graphs.
GROUPS = ("autotune_timings", "best_configs", "aotautograd", "fxgraph")
# The manifest, the tar's end blocks and gzip's trailer.
TRAILER_BYTES = 64 * 1024
# No file shrinks more than this under gzip in practice (generated code ~5-10x, weights ~1.1x), so a file over this
# many times the room left is left out without being compressed to find out: a max-autotune run's cache folder
# holds gigabytes of graphs with their constants, and estimating each one took longer than a device step allows.
BEST_RATIO = 20


def file_name(device):
    """The archive's name for one GPU model: inductor-cache-nvidia-h100-80gb-hbm3.tgz."""
    slug = re.sub(r"[^a-z0-9]+", "-", (device or "unknown").lower()).strip("-") or "unknown"
    return f"inductor-cache-{slug}.tgz"


def group_of(relative):
    """Which kept group a path (relative to the cache folder, '/'-separated) belongs to, or None to leave it out."""
    parts = relative.split("/")
    top = parts[0]
    if top in ("triton", "locks"):
        return None
    if top == "cache" and len(parts) > 1:
        return "autotune_timings"
    if relative.endswith(".best_config"):
        return "best_configs"
    if top == "aotautograd" and len(parts) > 1:
        return "aotautograd"
    if top == "fxgraph" and len(parts) > 1:
        return "fxgraph"
    return None


def select(cache_dir):
    """The files worth carrying, in the order they are kept: [(group, relative path, size)]."""
    found = []
    for root, dirs, files in os.walk(cache_dir):
        dirs[:] = sorted(d for d in dirs if not (root == cache_dir and d in ("triton", "locks")))
        for f in sorted(files):
            full = os.path.join(root, f)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            relative = os.path.relpath(full, cache_dir).replace(os.sep, "/")
            group = group_of(relative)
            if group is not None:
                found.append((group, relative, os.path.getsize(full)))
    found.sort(key=lambda item: (GROUPS.index(item[0]), item[1]))
    return found


def pack(cache_dir, out_path, device, torch_version, cap_mib=DEFAULT_CAP_MIB, notes=None, seconds=None):
    """Writes the kept files of cache_dir and a manifest into out_path (a .tgz of at most cap_mib MiB); returns
    what it did. Files that would pass the cap are left out and counted, never half written. With seconds, files
    are added only while that much time has not passed (the archive is still completed, so a device step that
    packs at its end keeps to its limit and its archive is readable)."""
    cap = int(cap_mib * 1024 * 1024)
    stop_at = None if seconds is None else time.time() + seconds
    chosen = select(cache_dir) if os.path.isdir(cache_dir) else []
    record = {"file": os.path.basename(out_path), "device": device, "torch": torch_version, "cap_mib": cap_mib,
              "files": 0, "raw_bytes": 0, "left_out": {}, "groups": {g: 0 for g in GROUPS}}
    if not chosen:
        record["skipped"] = f"nothing to carry in {cache_dir}"
        return record
    os.makedirs(os.path.dirname(os.path.abspath(out_path)) or ".", exist_ok=True)
    partial = out_path + ".partial"
    with open(partial, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for group, relative, size in chosen:
                path = os.path.join(cache_dir, relative)
                # A file is added only when the archive, flushed to here, plus that file compressed on its own (a
                # little more than it adds to the stream) plus room for the manifest and the end still fits the cap.
                tar.fileobj.flush()
                room = cap - raw.tell() - TRAILER_BYTES
                if stop_at is not None and time.time() > stop_at:
                    record["left_out"]["out_of_time"] = record["left_out"].get("out_of_time", 0) + 1
                    continue
                if size > BEST_RATIO * room:
                    record["left_out"][group] = record["left_out"].get(group, 0) + 1
                    continue
                with open(path, "rb") as f:
                    # Level 1 compresses no better than tarfile's level 9, so the estimate errs on the safe side.
                    estimate = len(zlib.compress(f.read(), 1)) + 1024
                if estimate > room:
                    record["left_out"][group] = record["left_out"].get(group, 0) + 1
                    continue
                tar.add(path, arcname=relative, recursive=False)
                record["files"] += 1
                record["raw_bytes"] += size
                record["groups"][group] += 1
            manifest = {"device": device, "torch": torch_version, "made_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "files": record["files"], "groups": record["groups"], "left_out": record["left_out"], "notes": notes or {}}
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(data))
    size = os.path.getsize(partial)
    if size > cap:  # not expected after the estimates above; better nothing than a file the device tool drops
        os.remove(partial)
        record["skipped"] = f"the archive came to {size} bytes, over the cap of {cap}"
        return record
    os.replace(partial, out_path)
    record["bytes"] = size
    return record


def read_manifest(tar):
    try:
        member = tar.getmember(MANIFEST)
        return json.loads(tar.extractfile(member).read())
    except (KeyError, ValueError, AttributeError):
        return None


def safe_members(tar):
    """Regular files and folders inside the archive's root only: no links, devices, absolute paths or '..'."""
    for member in tar.getmembers():
        name = member.name
        if member.name == MANIFEST:
            continue
        outside = name.startswith("/") or ".." in name.split("/")
        unexpected = member.isfile() and group_of(name) is None
        if not (member.isfile() or member.isdir()) or outside or unexpected:
            raise ValueError(f"refusing archive member '{name}': only the cache files pack() writes may be unpacked")
        yield member


def unpack(in_path, cache_dir, device, torch_version):
    """Extracts an archive made for this GPU model and PyTorch into cache_dir; returns what it did. An archive of
    another GPU or PyTorch, or a damaged one, is not used, and the record says why."""
    record = {"file": os.path.basename(in_path), "used": False}
    if not os.path.isfile(in_path):
        record["why"] = f"no {in_path}: every compile is cold"
        return record
    try:
        with tarfile.open(in_path, "r:gz") as tar:
            manifest = read_manifest(tar)
            if manifest is None:
                record["why"] = f"{in_path} has no {MANIFEST}; not an archive pack() wrote"
                return record
            record["made_on"] = {k: manifest.get(k) for k in ("device", "torch", "made_utc", "files", "notes")}
            if manifest.get("device") != device or manifest.get("torch") != torch_version:
                record["why"] = (f"made on {manifest.get('device')} with PyTorch {manifest.get('torch')}, "
                                 f"this is {device} with PyTorch {torch_version}: its entries could only miss")
                return record
            members = list(safe_members(tar))
            os.makedirs(cache_dir, exist_ok=True)
            for member in members:
                tar.extract(member, cache_dir, set_attrs=False, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
            record["used"] = True
            record["files"] = sum(1 for m in members if m.isfile())
    except (tarfile.TarError, OSError, EOFError, ValueError) as e:
        record["why"] = f"could not read {in_path}: {e}"
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("pack")
    p.add_argument("cache_dir")
    p.add_argument("out")
    p.add_argument("--device", required=True)
    p.add_argument("--torch", required=True)
    p.add_argument("--cap-mib", type=float, default=DEFAULT_CAP_MIB)
    p.add_argument("--seconds", type=float, help="add files only while this much time has not passed")
    u = sub.add_parser("unpack")
    u.add_argument("archive")
    u.add_argument("cache_dir")
    u.add_argument("--device", required=True)
    u.add_argument("--torch", required=True)
    l = sub.add_parser("list")
    l.add_argument("archive")
    args = parser.parse_args(argv)
    if args.verb == "pack":
        print(json.dumps(pack(args.cache_dir, args.out, args.device, args.torch, args.cap_mib, seconds=args.seconds)))
    elif args.verb == "unpack":
        record = unpack(args.archive, args.cache_dir, args.device, args.torch)
        print(json.dumps(record))
        return 0 if record["used"] else 1
    else:
        with tarfile.open(args.archive, "r:gz") as tar:
            print(json.dumps({"manifest": read_manifest(tar), "members": [m.name for m in tar.getmembers() if m.isfile()]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
