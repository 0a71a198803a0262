#!/usr/bin/env python3
"""PyTorch peers for Graphport's GPU benchmark: eager and torch.compile on the zoo models, with our weights.

Runs on the GPU machine (PyTorch 2.11, CUDA, no network, no .NET):

    python3 bench/gpu/torch_peer.py --programs DIR --out FILE.json [--budget-s 280] [--models mlp,unet] [--precompile-procs 6]

DIR holds the zoo programs saved by Graphport's ExportedProgram.Save as <model>.pt2 (mlp, mlp50, resnet18,
resnet50, mobilenet_v2, bert_encoder, unet; zoo/ModelZoo.cs). Each is loaded with torch.export.load and run as
ep.module() on CUDA in float32 ("load": "export"). If that fails, the error is recorded and the same architecture,
written out below in torch.nn after zoo/Models/*.cs, is built with the weights read from the archive by a small
pure-Python reader of the .pt2 layout ("load": "fallback"). Then, at batch 1 and 32, latency (median and p90 of
--runs calls after --warmup, each call bracketed by torch.cuda.synchronize) and throughput (the same number of calls
back to back) for: eager; torch.compile(mode="reduce-overhead") (CUDA graphs); torch.compile(mode=
"max-autotune-no-cudagraphs"), each also as KEY_host_io: the same calls with host tensors in and out, as
Graphport's timings are. Compile time (the first call at each batch) is recorded; a compile mode is skipped,
and the JSON says so, when the model's share of the time budget would not cover it.

Work goes in rounds, so the cheap numbers of every model come before the costly ones of any: eager for every
model, then reduce-overhead for every model (each a fair share of the time left), then max-autotune while time is
left. With --precompile-procs N, max-autotune is first compiled for every model and batch, N processes at a time,
into one Inductor cache, so the max-autotune round finds its compiles done (compile_s is then the warm-cache compile;
the "precompile" record holds each cell's cold compile time, keyed model:bN); --autotune-models unet,resnet18 limits
max-autotune (and its precompile) to those models when a lease is too short for every model's, and
--autotune-cells resnet50:32,unet:1 to those models at those batches (with --modes compile_max_autotune, a lease
that fills in only the cells earlier leases missed; summarize merges the runs). --inductor-cache DIR brings in the
Inductor caches of earlier leases on the same GPU model and --inductor-cache-out DIR packs this run's for the next
(inductor_cache.py), so max-autotune's minutes of benchmarking are paid once across leases, not in every one; with
--autotune-shards N, N processes first share out the autotuning of every cell shape by shape (autotune_shards.py: a
shape is measured once, by the shard that claims it), so the precompile finds its shapes measured; the
cells whose compile the carried archive holds (its notes name them) are timed first, alone on the GPU and before any
precompile starts ("carried_cells" in the JSON). A worker process does the work and writes its progress after every step; the parent kills it when a task
overruns its share (the JSON says where it stopped) and starts another worker for the tasks left, so the whole run
ends within --budget-s (default 280 s).

JSON: {device, torch, cuda, settings, models: {name: {load, load_detail, eager, reduce_overhead,
compile_max_autotune, ...}}}; each mode holds {batch1: {...}, batch32: {...}} or {skipped: why} or {error: ...}.

Without torch the state-dict reader still works (it is plain Python):

    python3 bench/gpu/torch_peer.py --list-state FILE.pt2
"""

import argparse
import json
import math
import os
import platform
import signal
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autotune_shards  # noqa: E402 (beside this file; imports torch only when installed)
import inductor_cache  # noqa: E402 (beside this file; plain Python)

try:
    import torch
except ImportError:  # the .pt2 reader below is plain Python and is checked on machines without torch
    torch = None

# ---------------------------------------------------------------------------------------------------------------
# The .pt2 state dict, read without torch (export/Serialization, shared/reference/torch/serialization.md)
# ---------------------------------------------------------------------------------------------------------------

# schema.ScalarType -> (torch dtype name, struct format, element size); bfloat16 has no struct format.
SCALAR_TYPES = {
    1: ("uint8", "B", 1), 2: ("int8", "b", 1), 3: ("int16", "h", 2), 4: ("int32", "i", 4), 5: ("int64", "q", 8),
    6: ("float16", "e", 2), 7: ("float32", "f", 4), 8: ("float64", "d", 8), 12: ("bool", "?", 1),
    13: ("bfloat16", None, 2), 28: ("uint16", "H", 2),
}


class RawTensor:
    """One state-dict entry: dtype, sizes, strides and storage offset (elements) over its storage's bytes."""

    def __init__(self, name, dtype, sizes, strides, offset, storage, is_param, record):
        self.name, self.dtype, self.sizes, self.strides, self.offset = name, dtype, sizes, strides, offset
        self.storage, self.is_param, self.record = storage, is_param, record

    @property
    def numel(self):
        n = 1
        for s in self.sizes:
            n *= s
        return n

    def values(self):
        """The elements in row-major order as Python numbers (bools for bool), reading through the strides."""
        fmt, size = next((f, e) for (n, f, e) in SCALAR_TYPES.values() if n == self.dtype)
        count = len(self.storage) // size
        if fmt is None:  # bfloat16: the high half of a float32
            halves = struct.unpack("<%dH" % count, self.storage[: count * size])
            flat = [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in halves]
        else:
            flat = list(struct.unpack("<%d%s" % (count, fmt), self.storage[: count * size]))
        out = []
        index = [0] * len(self.sizes)
        for _ in range(self.numel):
            out.append(flat[self.offset + sum(i * s for i, s in zip(index, self.strides))])
            for d in range(len(index) - 1, -1, -1):
                index[d] += 1
                if index[d] < self.sizes[d]:
                    break
                index[d] = 0
        return out


def _sym_int(value, where):
    if "as_int" in value:
        return value["as_int"]
    hint = (value.get("as_expr") or {}).get("hint") or {}
    if "as_int" in hint:
        return hint["as_int"]
    raise ValueError(f"{where}: a symbolic size without a hint: {value}")


def read_pt2_state(path):
    """{name: RawTensor} for the parameters, buffers and constants of a .pt2 archive (raw-bytes payloads only)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if not names or "/" not in names[0]:
            raise ValueError(f"{path}: not a .pt2 archive (records must live under one root folder)")
        root = names[0].split("/")[0] + "/"
        present = set(names)
        fmt = z.read(root + "archive_format").decode().strip() if root + "archive_format" in present else None
        if fmt != "pt2":
            raise ValueError(f"{path}: archive_format is {fmt!r}, expected 'pt2'")
        if root + "byteorder" in present and z.read(root + "byteorder").decode().strip() != "little":
            raise ValueError(f"{path}: only little-endian archives are read")
        state, storages = {}, {}
        for config_path, folder in (("data/weights/model_weights_config.json", "data/weights/"),
                                    ("data/constants/model_constants_config.json", "data/constants/")):
            if root + config_path not in present:
                continue
            config = json.loads(z.read(root + config_path))["config"]
            for name, meta in config.items():
                if meta.get("use_pickle"):
                    raise ValueError(f"{path}: {name} is pickled; only raw-bytes payloads are read")
                tm = meta["tensor_meta"]
                if tm["dtype"] not in SCALAR_TYPES:
                    raise ValueError(f"{path}: {name} has ScalarType {tm['dtype']}, which this reader does not know")
                record = folder + meta["path_name"]
                if record not in storages:
                    storages[record] = z.read(root + record)
                sizes = [_sym_int(s, name) for s in tm["sizes"]]
                strides = [_sym_int(s, name) for s in tm["strides"]]
                offset = _sym_int(tm["storage_offset"], name)
                dtype, _, size = SCALAR_TYPES[tm["dtype"]]
                storage = storages[record]
                numel = 1
                for s in sizes:
                    numel *= s
                if numel and len(storage) < size * (offset + 1 + sum((n - 1) * st for n, st in zip(sizes, strides))):
                    raise ValueError(f"{path}: record {record} is too small for {name} {sizes} {dtype}")
                state[name] = RawTensor(name, dtype, sizes, strides, offset, storage, bool(meta.get("is_param")), record)
        return state


def read_pt2_inputs(path):
    """The user inputs of the archive's program: [(name, dtype, sizes with None for symbolic dims)]."""
    with zipfile.ZipFile(path) as z:
        root = z.namelist()[0].split("/")[0] + "/"
        model = json.loads(z.read(root + "models/model.json"))
    graph = model["graph_module"]["graph"]
    result = []
    for spec in model["graph_module"]["signature"]["input_specs"]:
        if "user_input" not in spec:
            continue
        arg = spec["user_input"]["arg"]
        if "as_tensor" not in arg:
            raise ValueError(f"{path}: a non-tensor user input {arg}")
        name = arg["as_tensor"]["name"]
        meta = graph["tensor_values"][name]
        sizes = [s["as_int"] if "as_int" in s else None for s in meta["sizes"]]
        result.append((name, SCALAR_TYPES[meta["dtype"]][0], sizes))
    return result


def to_torch(raw):
    """A torch tensor (CPU) from a RawTensor: the storage's bytes viewed with the entry's sizes and strides."""
    dtype = getattr(torch, raw.dtype)
    if raw.numel == 0 or not raw.storage:
        return torch.zeros(raw.sizes, dtype=dtype)
    base = torch.frombuffer(bytearray(raw.storage), dtype=dtype)
    return torch.as_strided(base, raw.sizes, raw.strides, raw.offset).clone()


# ---------------------------------------------------------------------------------------------------------------
# The zoo in torch.nn (zoo/Models/*.cs), with Graphport's state-dict names
# ---------------------------------------------------------------------------------------------------------------


def build_zoo_model(name):
    """The torch.nn twin of a zoo model (eval mode); state-dict keys equal the C# module's."""
    nn = torch.nn
    F = torch.nn.functional

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2, self.fc3 = nn.Linear(784, 256), nn.Linear(256, 128), nn.Linear(128, 10)

        def forward(self, x):
            return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))

    class Mlp50(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(nn.Linear(256, 256) for _ in range(50))

        def forward(self, x):
            for i, layer in enumerate(self.layers):
                x = layer(x)
                if i < len(self.layers) - 1:
                    x = F.relu(x)
            return x

    class BasicBlock(nn.Module):
        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.downsample = downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
            out += identity
            return self.relu(out)

    class Bottleneck(nn.Module):
        def __init__(self, inplanes, planes, stride=1, downsample=None):
            super().__init__()
            self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(planes)
            self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(planes)
            self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
            self.bn3 = nn.BatchNorm2d(planes * 4)
            self.relu = nn.ReLU(inplace=True)
            self.downsample = downsample

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.relu(self.bn2(self.conv2(out)))
            out = self.bn3(self.conv3(out))
            out += identity
            return self.relu(out)

    class ResNet(nn.Module):
        def __init__(self, block, blocks, expansion, num_classes=10):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            self.inplanes = 64
            self.layer1 = self._make_layer(block, expansion, 64, blocks[0], 1)
            self.layer2 = self._make_layer(block, expansion, 128, blocks[1], 2)
            self.layer3 = self._make_layer(block, expansion, 256, blocks[2], 2)
            self.layer4 = self._make_layer(block, expansion, 512, blocks[3], 2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(512 * expansion, num_classes)

        def _make_layer(self, block, expansion, planes, count, stride):
            downsample = None
            if stride != 1 or self.inplanes != planes * expansion:
                downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * expansion, 1, stride, bias=False), nn.BatchNorm2d(planes * expansion))
            layers = [block(self.inplanes, planes, stride, downsample)]
            self.inplanes = planes * expansion
            layers += [block(self.inplanes, planes) for _ in range(1, count)]
            return nn.Sequential(*layers)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))

    class InvertedResidual(nn.Module):
        def __init__(self, inp, oup, stride, expand):
            super().__init__()
            hidden = inp * expand
            self.use_residual = stride == 1 and inp == oup
            layers = []
            if expand != 1:
                layers += [nn.Conv2d(inp, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6()]
            layers += [nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(),
                       nn.Conv2d(hidden, oup, 1, bias=False), nn.BatchNorm2d(oup)]
            self.conv = nn.Sequential(*layers)

        def forward(self, x):
            return x + self.conv(x) if self.use_residual else self.conv(x)

    class MobileNetV2(nn.Module):
        SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

        def __init__(self, num_classes=10):
            super().__init__()
            layers = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()]
            inp = 32
            for t, c, n, s in self.SETTINGS:
                for i in range(n):
                    layers.append(InvertedResidual(inp, c, s if i == 0 else 1, t))
                    inp = c
            layers += [nn.Conv2d(inp, 1280, 1, bias=False), nn.BatchNorm2d(1280), nn.ReLU6()]
            self.features = nn.Sequential(*layers)
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))

        def forward(self, x):
            x = F.adaptive_avg_pool2d(self.features(x), (1, 1)).flatten(1)
            return self.classifier(x)

    class SelfAttention(nn.Module):
        def __init__(self, hidden, heads):
            super().__init__()
            self.heads, self.head_size = heads, hidden // heads
            self.query, self.key, self.value, self.output = (nn.Linear(hidden, hidden) for _ in range(4))

        def forward(self, x, mask):
            b, s = x.shape[0], x.shape[1]

            def split(t):
                return t.view(b, s, self.heads, self.head_size).transpose(1, 2)

            ctx = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)), attn_mask=mask)
            return self.output(ctx.transpose(1, 2).reshape(b, s, self.heads * self.head_size))

    class EncoderLayer(nn.Module):
        def __init__(self, hidden, heads, ff):
            super().__init__()
            self.attention = SelfAttention(hidden, heads)
            self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
            self.intermediate = nn.Linear(hidden, ff)
            self.output = nn.Linear(ff, hidden)
            self.output_norm = nn.LayerNorm(hidden, eps=1e-12)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, mask):
            x = self.attention_norm(x + self.dropout(self.attention(x, mask)))
            h = self.output(F.gelu(self.intermediate(x)))
            return self.output_norm(x + self.dropout(h))

    class BertEncoder(nn.Module):
        def __init__(self, vocab=1000, hidden=64, layers=2, heads=4, ff=256, max_positions=128):
            super().__init__()
            self.word_embeddings = nn.Embedding(vocab, hidden)
            self.position_embeddings = nn.Embedding(max_positions, hidden)
            self.embeddings_norm = nn.LayerNorm(hidden, eps=1e-12)
            self.layers = nn.ModuleList(EncoderLayer(hidden, heads, ff) for _ in range(layers))
            self.pooler = nn.Linear(hidden, hidden)

        def forward(self, input_ids, attention_mask):
            positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
            x = self.embeddings_norm(self.word_embeddings(input_ids) + self.position_embeddings(positions))
            mask = (1.0 - attention_mask.float().unsqueeze(1).unsqueeze(2)) * -10000.0
            for layer in self.layers:
                x = layer(x, mask)
            return self.pooler(x[:, 0]).tanh()

    class DoubleConv(nn.Module):
        def __init__(self, inp, out):
            super().__init__()
            self.block = nn.Sequential(nn.Conv2d(inp, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True),
                                       nn.Conv2d(out, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True))

        def forward(self, x):
            return self.block(x)

    class UNet(nn.Module):
        def __init__(self, in_channels=3, classes=2, width=16):
            super().__init__()
            w = width
            self.inc, self.down1, self.down2, self.down3 = DoubleConv(in_channels, w), DoubleConv(w, w * 2), DoubleConv(w * 2, w * 4), DoubleConv(w * 4, w * 8)
            self.up1, self.conv1 = nn.ConvTranspose2d(w * 8, w * 4, 2, 2), DoubleConv(w * 8, w * 4)
            self.up2, self.conv2 = nn.ConvTranspose2d(w * 4, w * 2, 2, 2), DoubleConv(w * 4, w * 2)
            self.up3, self.conv3 = nn.ConvTranspose2d(w * 2, w, 2, 2), DoubleConv(w * 2, w)
            self.outc = nn.Conv2d(w, classes, 1)

        def forward(self, x):
            x1 = self.inc(x)
            x2 = self.down1(F.max_pool2d(x1, 2))
            x3 = self.down2(F.max_pool2d(x2, 2))
            x4 = self.down3(F.max_pool2d(x3, 2))
            y = self.conv1(torch.cat([self.up1(x4), x3], 1))
            y = self.conv2(torch.cat([self.up2(y), x2], 1))
            y = self.conv3(torch.cat([self.up3(y), x1], 1))
            return self.outc(y)

    builders = {
        "mlp": Mlp, "mlp50": Mlp50, "resnet18": lambda: ResNet(BasicBlock, [2, 2, 2, 2], 1),
        "resnet50": lambda: ResNet(Bottleneck, [3, 4, 6, 3], 4), "mobilenetv2": MobileNetV2, "bertencoder": BertEncoder, "unet": UNet,
    }
    key = zoo_key(name)
    if key not in builders:
        raise KeyError(f"no torch.nn twin for '{name}' (known: mlp, mlp50, resnet18, resnet50, mobilenet_v2, bert_encoder, unet)")
    return builders[key]().eval()


def zoo_key(name):
    return name.lower().replace("_", "").replace("-", "")


# Cheapest first, so the small models always finish inside the budget.
ZOO_ORDER = ["mlp", "mlp50", "bertencoder", "mobilenetv2", "resnet18", "unet", "resnet50"]


def make_inputs(name, program, batch, device, seed=0):
    """Seeded inputs for a batch: the zoo's (ModelZoo.cs) or, for other programs, from the archive's input specs."""
    g = torch.Generator(device="cpu").manual_seed(seed)
    key = zoo_key(name)
    if key in ("mlp",):
        xs = [torch.randn(batch, 784, generator=g)]
    elif key == "mlp50":
        xs = [torch.randn(batch, 256, generator=g)]
    elif key in ("resnet18", "resnet50", "mobilenetv2"):
        xs = [torch.randn(batch, 3, 32, 32, generator=g)]
    elif key == "bertencoder":
        xs = [torch.randint(0, 1000, (batch, 16), generator=g), torch.ones(batch, 16, dtype=torch.int64)]
    elif key == "unet":
        xs = [torch.randn(batch, 3, 64, 64, generator=g)]
    else:
        xs = []
        for _, dtype, sizes in read_pt2_inputs(program):
            shape = [batch if s is None else s for s in sizes]
            dt = getattr(torch, dtype)
            xs.append(torch.randn(shape, generator=g).to(dt) if dt.is_floating_point else torch.randint(0, 2, shape, generator=g).to(dt))
    return [x.to(device) for x in xs]


# ---------------------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------------------


def percentile(sorted_values, q):
    """Linear interpolation between order statistics (as Graphport.Bench's Stats)."""
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def first_leaf(out):
    while isinstance(out, (list, tuple)):
        out = out[0]
    return out


def max_abs_diff(a, b):
    a, b = first_leaf(a), first_leaf(b)
    return float((a.float() - b.float()).abs().max().item()) if a.numel() else 0.0


def synchronize():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def time_calls(fn, inputs, batch, runs, warmup):
    for _ in range(warmup):
        fn(*inputs)
    synchronize()
    samples = []
    for _ in range(runs):
        synchronize()
        t0 = time.perf_counter()
        fn(*inputs)
        synchronize()
        samples.append((time.perf_counter() - t0) * 1e3)
    synchronize()
    t0 = time.perf_counter()
    for _ in range(runs):
        fn(*inputs)
    synchronize()
    total = time.perf_counter() - t0
    s = sorted(samples)
    return {
        "median_ms": percentile(s, 0.5), "p90_ms": percentile(s, 0.9), "min_ms": s[0], "runs": runs, "warmup": warmup,
        "throughput_samples_per_s": batch * runs / total if total > 0 else None,
        "samples_ms": [round(x, 4) for x in samples],
    }


def to_host(value):
    if isinstance(value, torch.Tensor):
        return value.cpu()
    if isinstance(value, (list, tuple)):
        return type(value)(to_host(v) for v in value)
    return value


def with_host_io(fn, device):
    """fn as a caller with host tensors sees it: inputs copied to the device, outputs back, as Graphport's timed
    ICompiledProgram.Run does (its timings include both copies)."""
    def call(*host_inputs):
        with torch.no_grad():
            return to_host(fn(*[x.to(device) for x in host_inputs]))
    return call


def time_host_io(rec, key, batch_key, fn, inputs, batch, args):
    """The same calls with host inputs and outputs, under KEY_host_io, so the ratio can be read either way."""
    try:
        host_inputs = [x.cpu() for x in inputs]
        rec.setdefault(f"{key}_host_io", {})[batch_key] = time_calls(with_host_io(fn, args.device), host_inputs, batch, args.runs, args.warmup)
    except Exception as e:
        rec.setdefault(f"{key}_host_io", {})[batch_key] = {"error": short_error(e)}


def short_error(e):
    text = f"{type(e).__name__}: {e}".strip()
    return text if len(text) < 2000 else text[:2000] + "..."


# ---------------------------------------------------------------------------------------------------------------
# The worker: tasks (model, mode) in three rounds - eager for every model, then reduce-overhead, then max-autotune -
# so the cheap measurements of every model come before the expensive ones of any; progress written after each step
# ---------------------------------------------------------------------------------------------------------------

# The interpreter for worker processes: this one, unless a wrapper says how to start it (tools/torch/python).
PYTHON = os.environ.get("GRAPHPORT_PYTHON") or sys.executable

ROUNDS = ["eager", "reduce_overhead", "compile_max_autotune"]
COMPILE_MODES = {"reduce_overhead": "reduce-overhead", "compile_max_autotune": "max-autotune-no-cudagraphs"}


class Progress:
    def __init__(self, path):
        self.path = path
        self.data = {"models": {}, "done": [], "current": None, "current_deadline": None, "current_step": None}

    def write(self):
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)


def retarget_factory_devices(ep, device):
    """Points every factory call's device= keyword at the timing device; returns how many nodes changed."""
    target = torch.device(device)
    changed = 0
    for module in ep.graph_module.modules():
        graph = getattr(module, "graph", None)
        if graph is None:
            continue
        for node in graph.nodes:
            # A factory call without device= makes its tensor on the CPU, like one that names the CPU.
            if node.op != "call_function" or not any(a.name == "device" for a in getattr(getattr(node.target, "_schema", None), "arguments", [])):
                continue
            d = node.kwargs.get("device")
            if torch.device(d if d is not None else "cpu") != target:
                node.kwargs = {**node.kwargs, "device": target}
                changed += 1
        if changed and hasattr(module, "recompile"):
            module.recompile()
    return changed


def load_model(name, program, device, twin_too=True):
    """(module to time, record, twin or None): ep.module() if torch loads and runs our archive, else the torch.nn twin.
    A process that only compiles (a precompile, an autotune shard) builds the twin only if the archive fails to load:
    the twin reads every weight in Python, minutes of CPU over fourteen shards that the compiles need."""
    record = {"load_detail": {}}
    detail = record["load_detail"]
    module = None
    try:
        t0 = time.perf_counter()
        ep = torch.export.load(program)
        detail["torch_export_load_s"] = round(time.perf_counter() - t0, 3)
        detail["range_constraints"] = str(ep.range_constraints)
        try:
            from torch.export.passes import move_to_device_pass
            ep = move_to_device_pass(ep, device)
            detail["moved_with"] = "move_to_device_pass"
            # Archives written before Graphport recorded device= on factory calls (until 2026-11-26) leave it out,
            # so the pass cannot retarget them (bert's position ids come from an arange): left alone, they make an
            # index on the CPU for an embedding on the GPU.
            retargeted = retarget_factory_devices(ep, device)
            if retargeted:
                detail["factory_devices_moved"] = retargeted
        except Exception as e:  # older torch, or the pass failed: move the unlifted module instead
            detail["move_to_device_pass_error"] = short_error(e)
        moved = "move_to_device_pass_error" not in detail
        checked = ep.module() if moved else ep.module().to(device)
        with torch.no_grad():
            checked(*make_inputs(name, program, 32, device))
        detail["module_batch32"] = "ok"
        # The timed module skips ep.module()'s input checks: batch 1 is below the exported range (Dim min 2).
        try:
            module = ep.module(check_guards=False)
            detail["timed_module"] = "ep.module(check_guards=False)"
        except TypeError:
            module = ep.module()
            detail["timed_module"] = "ep.module()"
        if not moved:
            module = module.to(device)
        if hasattr(module, "validate_inputs"):
            module.validate_inputs = False
            detail["timed_module"] += ", validate_inputs=False"
        try:
            with torch.no_grad():
                module(*make_inputs(name, program, 1, device))
        except Exception as e:
            detail["batch1_with_input_checks_off"] = short_error(e)
            try:
                module._forward_pre_hooks.clear()
                with torch.no_grad():
                    module(*make_inputs(name, program, 1, device))
                detail["timed_module"] += ", forward pre-hooks removed"
            except Exception as e2:
                detail["batch1_error"] = short_error(e2)
        record["load"] = "export"
    except Exception as e:
        record["export_error"] = short_error(e)
        record["export_traceback"] = traceback.format_exc()[-4000:]
        module = None

    twin = None
    try:
        if not twin_too and module is not None:
            raise LookupError("not built: this process only compiles")
        state = read_pt2_state(program)
        twin = build_zoo_model(name)
        loaded = twin.load_state_dict({k: to_torch(v) for k, v in state.items()}, strict=False)
        detail["twin_missing_keys"] = list(loaded.missing_keys)
        detail["twin_unexpected_keys"] = list(loaded.unexpected_keys)
        twin = twin.to(device)
        if module is not None:
            xs = make_inputs(name, program, 32, device, seed=1)
            with torch.no_grad():
                detail["twin_vs_export_max_abs_diff_batch32"] = max_abs_diff(twin(*xs), module(*xs))
    except Exception as e:
        detail["twin_error"] = short_error(e)
        twin = None

    if module is None:
        if twin is None:
            record["load"] = "error: " + record.get("export_error", "?") + " | twin: " + detail.get("twin_error", "?")
        else:
            record["load"] = "fallback"
            module = twin
    return module, record, twin


class Worker:
    def __init__(self, args):
        self.args = args
        self.progress = Progress(args.progress)
        self.loaded = {}  # name -> {"module", "twin", "inputs", "eager_out"}

    def write(self):
        self.progress.write()

    def step(self, label):
        self.progress.data["current_step"] = label
        self.write()

    def record(self, name):
        return self.progress.data["models"].setdefault(name, {})

    def model(self, name, program):
        if name not in self.loaded:
            self.step("load")
            module, record, twin = load_model(name, program, self.args.device)
            self.record(name).update(record)
            entry = {"module": module, "twin": twin, "eager_out": {}}
            if module is not None:
                entry["inputs"] = {b: make_inputs(name, program, b, self.args.device) for b in self.args.batch_sizes}
            self.loaded[name] = entry
            self.write()
        return self.loaded[name]

    def eager(self, name, program, deadline):
        m = self.model(name, program)
        rec = self.record(name)
        if m["module"] is None:
            return
        for key, module in (("eager", m["module"]), ("eager_nn_module", m["twin"])):
            if module is None or (key == "eager_nn_module" and module is m["module"]):
                continue
            rec[key] = {}
            for b in self.args.batch_sizes:
                self.step(f"{key} batch {b}")
                try:
                    with torch.no_grad():
                        out = module(*m["inputs"][b])
                        if key == "eager":
                            m["eager_out"][b] = out
                        rec[key][f"batch{b}"] = time_calls(module, m["inputs"][b], b, self.args.runs, self.args.warmup)
                    if key == "eager":
                        time_host_io(rec, key, f"batch{b}", module, m["inputs"][b], b, self.args)
                except Exception as e:
                    rec[key][f"batch{b}"] = {"error": short_error(e)}
                self.write()

    def compiled(self, name, program, key, deadline):
        m = self.model(name, program)
        rec = self.record(name)
        if m["module"] is None:
            return
        remaining = deadline - time.time()
        ro = rec.get("reduce_overhead") or {}
        ro_compile = sum(v.get("compile_s", 0) for v in ro.values() if isinstance(v, dict))
        # max-autotune benchmarks kernel candidates: assume it costs several default compiles.
        batches = [b for b in self.args.batch_sizes if key != "compile_max_autotune" or autotuned_cell(self.args, name, b)]
        warm = key == "compile_max_autotune" and any(cell_key(name, b) in self.args.precompiled for b in batches)
        need = self.args.min_compile_s if key == "reduce_overhead" or warm else max(2 * self.args.min_compile_s, 3 * ro_compile)
        if remaining < need:
            rec[key] = {"skipped": f"over the time budget: {remaining:.0f} s left for it, about {need:.0f} s needed"}
            self.write()
            return
        rec[key] = {"mode": COMPILE_MODES[key]}
        try:
            torch._dynamo.reset()
            compiled = torch.compile(m["module"], mode=COMPILE_MODES[key], dynamic=False)
        except Exception as e:
            rec[key]["error"] = short_error(e)
            self.write()
            return
        total = 0.0
        for b in self.args.batch_sizes:
            if b not in batches:
                rec[key][f"batch{b}"] = {"skipped": "not in --autotune-cells (a short lease compiles max-autotune for those only)"}
                continue
            remaining = deadline - time.time()
            if total and remaining < 1.5 * total + 5:
                rec[key][f"batch{b}"] = {"skipped": f"over the time budget: {remaining:.0f} s left, the previous batch compiled in {total:.0f} s"}
                self.write()
                continue
            self.step(f"{key} batch {b}")
            try:
                with torch.no_grad():
                    synchronize()
                    t0 = time.perf_counter()
                    out = compiled(*m["inputs"][b])
                    synchronize()
                    first = time.perf_counter() - t0
                    total += first
                    entry = {"compile_s": round(first, 3)}
                    if b not in m["eager_out"]:
                        m["eager_out"][b] = m["module"](*m["inputs"][b])
                    entry["max_abs_diff_vs_eager"] = max_abs_diff(out, m["eager_out"][b])
                    entry.update(time_calls(compiled, m["inputs"][b], b, self.args.runs, max(self.args.warmup, 3)))
                    rec[key][f"batch{b}"] = entry
                time_host_io(rec, key, f"batch{b}", compiled, m["inputs"][b], b, self.args)
            except Exception as e:
                rec[key][f"batch{b}"] = {"error": short_error(e), "traceback": traceback.format_exc()[-3000:]}
            self.write()
        torch._dynamo.reset()

    def run(self):
        args = self.args
        self.progress.data["worker_pid"] = os.getpid()
        self.progress.data["autotune_patches"] = install_shared_cache_patches()
        self.write()
        apply_settings(args)
        tasks = [tuple(t) for t in args.worker_tasks]  # (name, program, round), in order
        for i, (name, program, round_) in enumerate(tasks):
            now = time.time()
            later = [t for t in tasks[i + 1:]]
            same_round_left = sum(1 for t in later if t[2] == round_)
            if round_ == "eager":
                deadline = now + min(args.model_cap_s, 60)
            elif round_ == "reduce_overhead":
                # A fair share of what is left, so the last models get their compile too.
                deadline = now + min(args.model_cap_s, (args.deadline - now) / (same_round_left + 1))
            else:
                deadline = min(now + args.model_cap_s, args.deadline - 5)
            self.progress.data["current"] = f"{name}:{round_}"
            self.progress.data["current_deadline"] = deadline
            self.step("start")
            try:
                if round_ == "eager":
                    self.eager(name, program, deadline)
                else:
                    self.compiled(name, program, round_, deadline)
            except Exception as e:
                self.record(name).setdefault("errors", []).append(f"{round_}: {short_error(e)}")
            self.progress.data["done"].append(f"{name}:{round_}")
            self.progress.data["current"] = None
            self.write()
        self.progress.data["finished"] = True
        self.write()


def apply_settings(args):
    if args.tf32 == "on":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    elif args.tf32 == "off":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    try:
        torch._dynamo.config.automatic_dynamic_shapes = False  # each batch gets its own static compile
    except Exception:
        pass


def settings_record(args):
    record = {"runs": args.runs, "warmup": args.warmup, "batches": args.batch_sizes, "budget_s": args.budget_s,
              "model_cap_s": args.model_cap_s, "modes": args.modes, "autotune_models": ",".join(args.autotune_models or []) or "all",
              "autotune_cells": ",".join(f"{m}:{b}" for m, b in args.autotune_cells) if args.autotune_cells is not None else "all", "tf32": args.tf32, "dtype": "float32", "device": args.device,
              "rounds": "eager for every model, then reduce-overhead for every model, then max-autotune while time is left",
              "precompile_procs": args.precompile_procs, "autotune_shards": args.autotune_shards}
    try:
        record["cuda_matmul_allow_tf32"] = torch.backends.cuda.matmul.allow_tf32
        record["cudnn_allow_tf32"] = torch.backends.cudnn.allow_tf32
        record["float32_matmul_precision"] = torch.get_float32_matmul_precision()
    except Exception as e:
        record["error"] = short_error(e)
    return record


# ---------------------------------------------------------------------------------------------------------------
# The parent: starts workers, enforces the budget, writes the JSON
# ---------------------------------------------------------------------------------------------------------------


def discover(programs_dir, only):
    found = {}
    for f in sorted(os.listdir(programs_dir)):
        if f.endswith(".pt2"):
            found[f[:-4]] = os.path.join(programs_dir, f)
    if only:
        wanted = {zoo_key(m) for m in only}
        found = {n: p for n, p in found.items() if zoo_key(n) in wanted}
    rank = {k: i for i, k in enumerate(ZOO_ORDER)}
    return sorted(found.items(), key=lambda item: (rank.get(zoo_key(item[0]), len(rank)), item[0]))


def read_progress(path):
    try:
        with open(path) as f:
            return json.load(f)
    except Exception:
        return None


def measured(entry):
    return isinstance(entry, dict) and "median_ms" in entry


def merge(into, records):
    """Adds a worker's records to the result. A mode's batches are merged one by one, and a batch an earlier worker
    measured is kept when a later one only skipped it: the carried cells are timed by a worker of their own before
    the precompile, and the worker after it records those batches as not in its cells."""
    for name, rec in records.items():
        target = into.setdefault(name, {})
        for key, value in rec.items():
            old = target.get(key)
            if key in ROUNDS and isinstance(old, dict) and isinstance(value, dict):
                merged = dict(old)
                for part, entry in value.items():
                    if not (measured(merged.get(part)) and not measured(entry)):
                        merged[part] = entry
                target[key] = merged
            else:
                target[key] = value


def autotuned(args, name):
    """Whether max-autotune runs for this model: every model, unless --autotune-models or --autotune-cells name a
    subset."""
    if args.autotune_cells is not None:
        return any(zoo_key(m) == zoo_key(name) for m, _ in args.autotune_cells)
    return not args.autotune_models or zoo_key(name) in {zoo_key(m) for m in args.autotune_models}


def autotuned_cell(args, name, batch):
    """Whether max-autotune runs for this model at this batch: --autotune-cells names (model, batch) pairs, for a
    lease that fills in only the cells earlier leases did not measure."""
    if args.autotune_cells is not None:
        return any(zoo_key(m) == zoo_key(name) and b == batch for m, b in args.autotune_cells)
    return autotuned(args, name)


def cell_key(name, batch):
    return f"{name}:b{batch}"


def carried_cells(args, result):
    """The max-autotune cells whose compile the carried archive holds (its notes name them, as compiled_cells
    wrote them: "model:bN compile_max_autotune precompiled" or "model compile_max_autotune bN"), among the cells
    this run autotunes."""
    cache_in = (result.get("inductor_cache") or {}).get("in") or {}
    if not cache_in.get("used"):
        return []
    cells = set()
    for entry in ((cache_in.get("made_on") or {}).get("notes") or {}).get("compiled") or []:
        parts = entry.split()
        if len(parts) != 3 or parts[1] != "compile_max_autotune":
            continue
        if parts[2] == "precompiled":
            model, _, batch = parts[0].rpartition(":b")
        else:
            model, batch = parts[0], parts[2][1:]
        if model and batch.isdigit():
            cells.add((model, int(batch)))
    return sorted(c for c in cells if autotuned_cell(args, *c))


def parse_cells(text):
    cells = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        model, sep, batch = item.rpartition(":")
        if not sep or not model or not batch.isdigit():
            raise SystemExit(f"--autotune-cells: '{item}' is not MODEL:BATCH (e.g. resnet50:32)")
        cells.append((model, int(batch)))
    return cells


def install_shared_cache_patches():
    """In every process that compiles into the shared Inductor cache: writes of autotune timings merge instead of
    overwriting another process's, and timing candidates takes the GPU alone (autotune_shards.py)."""
    folder = os.environ.get("TORCHINDUCTOR_CACHE_DIR")
    if not folder:
        return {"skipped": "no shared Inductor cache folder"}
    try:
        return autotune_shards.install(folder)
    except Exception as e:
        return {"error": short_error(e)}


def shard_done(error):
    """Whether an exception out of torch.compile is the shard's own stop (Dynamo wraps what its backend raised)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, autotune_shards.ShardDone):
            return True
        error = getattr(error, "inner_exception", None) or error.__cause__ or error.__context__
    return False


def shard_one(args):
    """One autotune shard (autotune_shards.py): compiles every cell, starting at its own place in the list, tuning
    only the shapes no other shard has claimed, and stops each compile before code generation. Exit 3 when the
    claims could not be installed in this PyTorch: the shard would only duplicate the precompile's work."""
    index = int(args.autotune_shard.split("/")[0])
    cells = json.loads(args.shard_cells)
    cells = cells[index % len(cells):] + cells[:index % len(cells)] if cells else []
    stats = autotune_shards.Stats(args.shard_stats)
    current = [None]
    applied = autotune_shards.install(os.environ["TORCHINDUCTOR_CACHE_DIR"], shard=True, stats=stats, cell=lambda: current[0])
    if applied.get("claims") is not True:
        print(f"shard {index}: {applied}", file=sys.stderr)
        return 3
    apply_settings(args)
    modules = {}
    for name, program, batch in cells:
        key = cell_key(name, batch)
        current[0] = key
        t0 = time.time()
        try:
            if name not in modules:
                modules[name] = load_model(name, program, args.device, twin_too=False)[0]
            if modules[name] is None:
                stats.data["cells"][key] = {"error": "could not be loaded"}
                continue
            torch._dynamo.reset()
            compiled = torch.compile(modules[name], mode=COMPILE_MODES["compile_max_autotune"], dynamic=False)
            with torch.no_grad():
                compiled(*make_inputs(name, program, batch, args.device))
            outcome = "compiled and ran (no stop before code generation in this PyTorch)"
        except Exception as e:
            outcome = "chosen" if shard_done(e) else short_error(e)
        stats.data["cells"][key] = {"outcome": outcome, "s": round(time.time() - t0, 1)}
        stats.write()
        print(f"shard {index}: {key} {outcome} in {time.time() - t0:.1f} s", flush=True)
    return 0


def ready_cells(shard_stats):
    """The cells every shape of which is measured: a shard went through the cell to its end (every shape was then
    measured, tuned by it, or claimed by another), and no shard is tuning a shape of it now."""
    chosen, busy = set(), set()
    for stats in shard_stats:
        for key, cell in (stats.get("cells") or {}).items():
            if cell.get("outcome") == "chosen":
                chosen.add(key)
        if stats.get("tuning"):
            busy.add(stats["tuning"].get("cell"))
    return chosen - busy


def autotune_in_shards(args, programs, stop_at, runner=None, precompile_stop_at=None):
    """Before the precompile: --autotune-shards processes share out the autotuning of every max-autotune cell (each
    shape measured once, by whichever shard claims it), so the precompile's one process per cell finds its shapes
    measured. With a runner (Precompiles), a cell's precompile starts as soon as its shapes are measured, while the
    shards go on with the other cells; the shards stop when every cell's has started. Returns the stage's record: per
    shard what it tuned, left to others or found cached."""
    folder = os.environ["TORCHINDUCTOR_CACHE_DIR"]
    autotune_shards.clear_claims(folder)
    cells = precompile_queue(args, programs)
    record = {"procs": args.autotune_shards, "cells": [cell_key(n, b) for n, _, b in cells], "shards": []}
    if not cells:
        record["skipped"] = "no max-autotune cell left to compile"
        return record
    logs = tempfile.mkdtemp(prefix="torch_peer_shards_")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # Each shard builds its candidates on a share of the cores (the processes, not threads, are the parallelism).
    env.setdefault("TORCHINDUCTOR_COMPILE_THREADS", str(max(1, (os.cpu_count() or 16) // args.autotune_shards)))
    # A shard's graphs are made with stand-ins for the shapes others tune: never to be cached, even where a PyTorch
    # lacks the stop before code generation and the compile runs to its end.
    env["TORCHINDUCTOR_FX_GRAPH_CACHE"] = "0"
    env["TORCHINDUCTOR_AUTOGRAD_CACHE"] = "0"
    t0 = time.time()
    running = []
    for k in range(args.autotune_shards):
        stats_path, log_path = os.path.join(logs, f"shard{k}.json"), os.path.join(logs, f"shard{k}.log")
        cmd = [PYTHON, os.path.abspath(__file__), "--autotune-shard", f"{k}/{args.autotune_shards}", "--shard-stats", stats_path,
               "--shard-cells", json.dumps(cells)] + passthrough(args)
        with open(log_path, "w") as log:
            running.append((subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env), stats_path, log_path))
    keys = [cell_key(n, b) for n, _, b in cells]
    why_stopped = "the shards' share of the time budget ran out"
    while any(p.poll() is None for p, _, _ in running):
        if time.time() >= stop_at:
            break
        if any(p.poll() == 3 for p, _, _ in running):
            why_stopped = "another shard could not install its claims"
            break
        if runner is not None:
            ready = ready_cells([read_progress(path) or {} for _, path, _ in running])
            for name, path, batch in cells:
                key = cell_key(name, batch)
                if key in ready and key not in runner.started and runner.has_room():
                    runner.start(name, path, batch, why=f"as its shapes were measured, {time.time() - t0:.0f} s into the shards")
                    record.setdefault("precompiles_started", {})[key] = round(time.time() - t0, 1)
            runner.poll(precompile_stop_at or stop_at)
            if all(k in runner.started for k in keys):
                why_stopped = "every cell's precompile had started"
                break
        time.sleep(0.5)
    for proc, stats_path, log_path in running:
        entry = {"rc": proc.poll()}
        if entry["rc"] is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            entry = {"killed": why_stopped}
        stats = read_progress(stats_path) or {}
        shapes = stats.get("shapes") or []
        entry["patches"] = stats.get("patches")
        entry["cells"] = stats.get("cells")
        entry["gpu_lock_waited_s"] = stats.get("gpu_lock_waited_s")
        for how in ("tuned", "cached", "left to another shard"):
            done = [x for x in shapes if x.get("how") == how]
            entry[how] = {"shapes": len(done), "s": round(sum(x.get("s", 0) for x in done), 1)}
        tuned = [x for x in shapes if x.get("how") == "tuned"]
        # Where a tuned shape's time went: the candidates' precompile, Inductor's timing step, the rest.
        entry["tuned"]["precompile_s"] = round(sum(x.get("precompile_s", 0) for x in tuned), 1)
        entry["tuned"]["benchmark_s"] = round(sum(x.get("benchmark_s", 0) for x in tuned), 1)
        if stats.get("tuning"):
            entry["stopped_while_tuning"] = dict(stats["tuning"], for_s=round(time.time() - stats["tuning"].get("since", time.time()), 1))
        record.setdefault("slowest_shapes", []).extend(tuned)
        with open(log_path, errors="replace") as f:
            entry["log_tail"] = f.read()[-600:]
        record["shards"].append(entry)
    record["seconds"] = round(time.time() - t0, 1)
    record["shapes_tuned"] = sum(e["tuned"]["shapes"] for e in record["shards"])
    record["slowest_shapes"] = sorted(record.get("slowest_shapes", []), key=lambda x: -x.get("s", 0))[:8]
    return record


def precompile_one(args):
    """One model's max-autotune compiles at every batch, into the shared Inductor cache; nothing is timed."""
    patches = install_shared_cache_patches()
    print(f"shared cache patches: {patches}", flush=True)
    apply_settings(args)
    name, program = args.precompile_one, args.program
    module, _, _ = load_model(name, program, args.device, twin_too=False)
    if module is None:
        print(f"{name}: could not be loaded", file=sys.stderr)
        return 1
    torch._dynamo.reset()
    compiled = torch.compile(module, mode=COMPILE_MODES["compile_max_autotune"], dynamic=False)
    for b in args.batch_sizes:
        t0 = time.perf_counter()
        with torch.no_grad():
            compiled(*make_inputs(name, program, b, args.device))
        synchronize()
        print(f"{name} batch {b}: {COMPILED_MARK} {time.perf_counter() - t0:.1f} s", flush=True)
    # Everything the timing rounds need is on disk by now (graphs, autotuning, kernels are written as they are made);
    # Python's own exit, with Inductor's compile pool to shut down, took long enough on the H200 (run 13) for the
    # precompile's deadline to kill a process whose cell was compiled.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# What precompile_one prints after each batch it compiled: the parent reads it from the log of a process it had to
# stop, so a cell compiled just before its deadline is still timed warm.
COMPILED_MARK = "compiled in"


def compiled_in_log(text, batches):
    """Whether a precompile log says every one of these batches compiled."""
    return all(f"batch {b}: {COMPILED_MARK} " in text for b in batches)


def precompile_queue(args, programs):
    """The max-autotune cells to compile, one process each (a model's two batches autotune different shapes, so they
    need not wait for each other); the costliest first, so the last to start is a cheap one."""
    return [(name, path, b) for name, path in reversed(programs)
            for b in sorted(args.batch_sizes, reverse=True)
            if autotuned_cell(args, name, b) and cell_key(name, b) not in args.precompiled]


class Precompiles:
    """The precompile's processes, one per cell, at most --precompile-procs at once: started by the shard stage as
    soon as a cell's shapes are all measured, and by the precompile stage for the rest; each is stopped at the
    deadline it was given. Its record is the precompile's ("models": one entry per cell)."""

    def __init__(self, args):
        self.args = args
        self.running = {}
        self.started = set()
        self.logs = tempfile.mkdtemp(prefix="torch_peer_precompile_")
        self.record = {"procs": args.precompile_procs, "cache_dir": os.environ["TORCHINDUCTOR_CACHE_DIR"], "models": {}}

    def has_room(self):
        return len(self.running) < self.args.precompile_procs

    def start(self, name, path, batch, why=None):
        key = cell_key(name, batch)
        log_path = os.path.join(self.logs, f"{name}_b{batch}.log")
        cmd = [PYTHON, os.path.abspath(__file__), "--precompile-one", name, "--program", path] + passthrough(self.args) + \
            ["--batches", str(batch)]
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.running[proc] = (key, time.time(), log_path, why)
        self.started.add(key)

    def poll(self, stop_at):
        """Collects the processes that ended, and stops those still running past stop_at."""
        for proc in list(self.running):
            key, t0, log_path, why = self.running[proc]
            if proc.poll() is None and time.time() < stop_at:
                continue
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                entry = {"killed": "the precompile share of the time budget ran out"}
            else:
                entry = {"rc": proc.returncode}
            entry["seconds"] = round(time.time() - t0, 1)
            if why:
                entry["started"] = why
            with open(log_path, errors="replace") as f:
                text = f.read()
            entry["log_tail"] = text[-600:]
            entry["compiled"] = compiled_in_log(text, [int(key.rpartition(":b")[2])])
            self.record["models"][key] = entry
            del self.running[proc]


def precompile(args, programs, stop_at, runner=None):
    """max-autotune compiles every model first, --precompile-procs at a time, each in its own process, into one
    Inductor cache (TORCHINDUCTOR_CACHE_DIR, set here before any process starts): compiling is mostly CPU work
    (Triton builds every candidate kernel) and the machine has 16 cores, while the timing rounds after it then
    find every graph and autotuning choice in the cache. Candidates of different models may be benchmarked on the
    GPU at the same time, so a choice can differ from a lone compile's; the timings themselves run alone, later.
    `runner` brings the processes the shard stage started already."""
    runner = runner or Precompiles(args)
    queue = [c for c in precompile_queue(args, programs) if cell_key(c[0], c[2]) not in runner.started]
    while queue or runner.running:
        while queue and runner.has_room() and time.time() < stop_at:
            runner.start(*queue.pop(0))
        if not runner.running:
            break
        time.sleep(0.5)
        runner.poll(stop_at)
    for name, _, batch in queue:
        runner.record["models"][cell_key(name, batch)] = {"skipped": "the precompile share of the time budget ran out before it started"}
    return runner.record


def run_workers(args, result, pending, deadline, tmp, label, cells=None):
    """Runs the tasks (name, program, round) in worker processes until done or out of time: a worker that overruns a
    task's share is killed and the next one goes on after it. `cells` limits max-autotune to those (model, batch)
    pairs for these workers. Returns the tasks not run."""
    attempt = 0
    while pending:
        if deadline - time.time() < 10:
            break
        attempt += 1
        progress_path = os.path.join(tmp, f"progress_{label}_{attempt}.json")
        log_path = os.path.join(tmp, f"worker_{label}_{attempt}.log")
        cmd = [PYTHON, os.path.abspath(__file__), "--worker", "--progress", progress_path, "--deadline", str(deadline),
               "--worker-tasks", json.dumps(pending)] + passthrough(args, cells)
        killed = None
        with open(log_path, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            while proc.poll() is None:
                time.sleep(0.5)
                p = read_progress(progress_path) or {}
                current, limit = p.get("current"), p.get("current_deadline")
                now = time.time()
                if now > deadline + args.grace_s or (current and limit and now > limit + args.grace_s):
                    killed = (current, p.get("current_step"))
                    os.killpg(proc.pid, signal.SIGKILL)  # the worker and the compile processes it started
                    proc.wait()
                    break
        p = read_progress(progress_path) or {}
        merge(result["models"], p.get("models", {}))
        save(args, result)
        with open(log_path, errors="replace") as f:
            result.setdefault("worker_log_tails", []).append(f.read()[-2500:])
        done = set(p.get("done", []))
        dropped = set()
        if killed and killed[0]:
            name, round_ = killed[0].split(":", 1)
            rec = result["models"].setdefault(name, {})
            rec.setdefault(round_, {})["killed"] = f"stopped at '{killed[1]}': its share of the time budget ran out"
            # A model that overran one round would overrun the costlier rounds after it.
            dropped = {f"{name}:{r}" for r in ROUNDS[ROUNDS.index(round_):]}
            for r in ROUNDS[ROUNDS.index(round_) + 1:]:
                if r in args.modes:
                    rec[r] = {"skipped": f"not tried: the {round_} round of this model overran its share"}
        elif proc.returncode != 0:
            result["notes"].append(f"worker {label} {attempt} exited with {proc.returncode} (its log: worker_log_tails)")
            if p.get("current"):
                name, round_ = p["current"].split(":", 1)
                result["models"].setdefault(name, {}).setdefault(round_, {})["error"] = \
                    f"the worker died during '{p.get('current_step')}' (exit {proc.returncode})"
                dropped = {p["current"]}
        still = [t for t in pending if f"{t[0]}:{t[2]}" not in done | dropped]
        if len(still) == len(pending):  # no progress at all: do not start the same worker again
            result["notes"].append(f"worker {label} {attempt} made no progress; {len(still)} task(s) not run")
            break
        pending = still
    return pending


def run_parent(args):
    start = time.time()
    result = {"script": "bench/gpu/torch_peer.py", "models": {}, "notes": []}
    try:
        result["torch"] = torch.__version__
        result["cuda"] = torch.version.cuda
        result["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
        result["python"] = platform.python_version()
        result["cuda_available"] = torch.cuda.is_available()
        result["device"] = torch.cuda.get_device_name(0) if args.device == "cuda" and torch.cuda.is_available() else args.device
        apply_settings(args)
        result["settings"] = settings_record(args)
        if args.device == "cuda" and not torch.cuda.is_available():
            result["error"] = "CUDA is not available: no GPU peers measured"
            return result
        programs = discover(args.programs, args.models)
        if not programs:
            result["error"] = f"no .pt2 programs in {args.programs}"
            return result
        for name, _ in programs:
            result["models"][name] = {"program": os.path.basename(dict(programs)[name])}
        compiles = any(m != "eager" for m in args.modes)
        # The cache is packed at the end within the budget: the workers stop that much earlier.
        packing = PACK_RESERVE_S if compiles and args.inductor_cache_out else 0
        deadline = start + args.budget_s - packing
        if compiles and (args.precompile_procs > 0 or args.inductor_cache or args.inductor_cache_out):
            # A folder of this run's own, so what is packed at the end is what this run compiled or brought in. Set,
            # not defaulted: importing torch already put Inductor's default folder into the environment. With
            # --cache-dir, a fixed folder instead: a second call on the same warm machine goes on from the autotuning
            # the first one finished, even a compile it cut short.
            if args.cache_dir:
                os.makedirs(args.cache_dir, exist_ok=True)
                args.own_cache_dir = args.cache_dir
            else:
                args.own_cache_dir = tempfile.mkdtemp(prefix="torch_peer_inductor_")
            os.environ["TORCHINDUCTOR_CACHE_DIR"] = args.own_cache_dir
            # Both caches are on by default in torch 2.x; said explicitly, since the timing rounds rely on them.
            os.environ.setdefault("TORCHINDUCTOR_FX_GRAPH_CACHE", "1")
            os.environ.setdefault("TORCHINDUCTOR_AUTOTUNE_LOCAL_CACHE", "1")
        if compiles and args.inductor_cache:
            # The compiles of earlier leases on this GPU model (bench/gpu/inductor_cache.py): hits take seconds.
            archive = os.path.join(args.inductor_cache, inductor_cache.file_name(result["device"]))
            result["inductor_cache"] = {"in": inductor_cache.unpack(archive, os.environ["TORCHINDUCTOR_CACHE_DIR"], result["device"], torch.__version__)}
        if "compile_max_autotune" in args.modes:
            # The cells the carried archive already holds compiled are timed first, alone on the GPU and before any
            # precompile starts: seconds each, so a lease measures them even when the precompiles overrun.
            carried = carried_cells(args, result)
            if carried:
                args.precompiled += [cell_key(m, b) for m, b in carried]
                tasks = [(name, path, "compile_max_autotune") for name, path in programs
                         if any(zoo_key(m) == zoo_key(name) for m, _ in carried)]
                with tempfile.TemporaryDirectory(prefix="torch_peer_") as tmp:
                    run_workers(args, result, tasks, deadline, tmp, "carried", cells=carried)
                done = [(m, b) for m, b in carried
                        if measured(((result["models"].get(m) or {}).get("compile_max_autotune") or {}).get(f"batch{b}"))]
                result["carried_cells"] = {"compiled_in_archive": [cell_key(m, b) for m, b in carried],
                                           "timed_first": [cell_key(m, b) for m, b in done]}
                # What is left for the precompile and the timing rounds: the cells not measured yet.
                left = [(name, b) for name, _ in programs for b in args.batch_sizes
                        if autotuned_cell(args, name, b) and (name, b) not in done]
                args.autotune_cells = left
                save(args, result)
        # The precompile stops in time for the timing round to time what it compiled (run 10's precompile took its
        # whole share of a short budget, and the cell it finished went untimed).
        precompile_stop_at = min(start + args.precompile_share * args.budget_s, deadline - TIMING_RESERVE_S)
        runner = Precompiles(args) if args.precompile_procs > 0 and "TORCHINDUCTOR_CACHE_DIR" in os.environ else None
        if args.autotune_shards > 0 and "compile_max_autotune" in args.modes and "TORCHINDUCTOR_CACHE_DIR" in os.environ:
            try:
                stop_at = min(start + args.shard_share * args.budget_s, deadline - TIMING_RESERVE_S)
                result["autotune_shards"] = autotune_in_shards(args, [p for p in programs if autotuned(args, p[0])], stop_at,
                                                               runner, precompile_stop_at)
            except Exception as e:
                result["autotune_shards"] = {"error": short_error(e), "traceback": traceback.format_exc()[-3000:]}
            carry_cache_out(args, result, PACK_RESERVE_S / 2)
            save(args, result)
        if args.precompile_procs > 0 and "compile_max_autotune" in args.modes:
            try:
                result["precompile"] = precompile(args, [p for p in programs if autotuned(args, p[0])], precompile_stop_at, runner)
                args.precompiled += [n for n, e in result["precompile"]["models"].items() if e.get("compiled")]
            except Exception as e:
                result["precompile"] = {"error": short_error(e)}
            # The precompile's autotuning is what the next lease most needs: packed now too, so a timing round that
            # overruns cannot lose it.
            carry_cache_out(args, result, PACK_RESERVE_S / 2)
            save(args, result)
        pending = [(name, path, r) for r in ROUNDS if r in args.modes for name, path in programs
                   if r != "compile_max_autotune" or autotuned(args, name)]
        # In the max-autotune round, the models whose every cell compiled into the cache come first (seconds each);
        # one whose precompile was cut short goes on from the autotuning it finished, with the time left.
        def all_precompiled(name):
            return all(cell_key(name, b) in args.precompiled for b in args.batch_sizes if autotuned_cell(args, name, b))
        pending.sort(key=lambda t: (ROUNDS.index(t[2]), t[2] == "compile_max_autotune" and not all_precompiled(t[0])))
        for name, _ in programs:
            if "compile_max_autotune" in args.modes and not autotuned(args, name) and "compile_max_autotune" not in result["models"][name]:
                result["models"][name]["compile_max_autotune"] = {"skipped": "not in --autotune-models or --autotune-cells (a short lease compiles max-autotune for those only)"}
        with tempfile.TemporaryDirectory(prefix="torch_peer_") as tmp:
            pending = run_workers(args, result, pending, deadline, tmp, "rounds")
        for name, _, round_ in pending:
            rec = result["models"].setdefault(name, {})
            if round_ not in rec:
                rec[round_] = {"skipped": "over the time budget before this round reached the model"}
    except Exception as e:
        result["error"] = short_error(e)
        result["traceback"] = traceback.format_exc()
    finally:
        carry_cache_out(args, result, max(5.0, start + args.budget_s - time.time()))
        result["elapsed_s"] = round(time.time() - start, 1)
    return result


def save(args, result):
    """Writes the JSON as it stands (atomically), so a step killed at its limit still leaves what it measured."""
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    partial = args.out + ".partial"
    with open(partial, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(partial, args.out)


def compiled_cells(result):
    """'model mode bN' for every compile that finished in this run: what the archive it packs holds for sure."""
    cells = []
    for name, rec in (result.get("models") or {}).items():
        for mode in ("reduce_overhead", "compile_max_autotune"):
            for b, entry in (rec.get(mode) or {}).items():
                if b.startswith("batch") and isinstance(entry, dict) and "compile_s" in entry:
                    cells.append(f"{name} {mode} b{b[5:]}")
    for name, entry in ((result.get("precompile") or {}).get("models") or {}).items():
        if entry.get("compiled"):
            cells.append(f"{name} compile_max_autotune precompiled")
    return cells


# Seconds kept at the end of --budget-s for packing the Inductor cache (inductor_cache.pack stops adding files then).
PACK_RESERVE_S = 20

# Seconds the precompile leaves before the workers' deadline: one warm max-autotune compile (the graph and its
# autotuning found in the cache, the Triton kernels built again) and its timed calls.
TIMING_RESERVE_S = 45


def carry_cache_out(args, result, seconds):
    """Packs this run's Inductor cache into --inductor-cache-out for the next lease (bench/gpu/inductor_cache.py),
    adding files for at most `seconds`."""
    folder = getattr(args, "own_cache_dir", None)  # never Inductor's default folder, which holds other runs' compiles
    if not args.inductor_cache_out or not folder or torch is None:
        return
    try:
        out = os.path.join(args.inductor_cache_out, inductor_cache.file_name(result.get("device")))
        record = inductor_cache.pack(folder, out, result.get("device"), torch.__version__, args.inductor_cache_cap_mib,
                                     notes={"compiled": compiled_cells(result)}, seconds=seconds)
    except Exception as e:
        record = {"error": short_error(e)}
    result.setdefault("inductor_cache", {})["out"] = record


def passthrough(args, cells=None):
    cells = args.autotune_cells if cells is None else cells
    return ["--runs", str(args.runs), "--warmup", str(args.warmup), "--batches", ",".join(map(str, args.batch_sizes)),
            "--modes", ",".join(args.modes), "--tf32", args.tf32, "--model-cap-s", str(args.model_cap_s),
            "--min-compile-s", str(args.min_compile_s), "--budget-s", str(args.budget_s), "--device", args.device,
            "--precompiled", ",".join(args.precompiled)] + \
        (["--autotune-cells", ",".join(f"{m}:{b}" for m, b in cells)] if cells is not None else [])


def list_state(path):
    state = read_pt2_state(path)
    for name, t in state.items():
        values = t.values()
        total = sum(float(v) for v in values)
        print(f"{name}\t{t.dtype}\t{t.sizes}\tstrides {t.strides}\toffset {t.offset}\t{t.record}\tsum {total!r}\tfirst {values[:3]}")
    print(f"{len(state)} tensors; inputs {read_pt2_inputs(path)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--programs", help="folder of <model>.pt2 archives written by ExportedProgram.Save")
    parser.add_argument("--out", help="JSON file to write")
    parser.add_argument("--models", help="comma-separated subset (names as the files, e.g. mlp,bert_encoder)")
    parser.add_argument("--batches", default="1,32")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--modes", default="eager,reduce_overhead,compile_max_autotune")
    parser.add_argument("--autotune-models", help="comma-separated: max-autotune only for these (its compiles take minutes per model); default every model")
    parser.add_argument("--autotune-cells", help="comma-separated MODEL:BATCH (resnet50:32,unet:1): max-autotune, its precompile included, for these cells only, to fill in what earlier leases did not measure")
    parser.add_argument("--budget-s", type=float, default=280, help="the whole run, starting workers included")
    parser.add_argument("--model-cap-s", type=float, default=90, help="at most this long on one model")
    parser.add_argument("--min-compile-s", type=float, default=15, help="a compile mode is started only with this much left")
    parser.add_argument("--grace-s", type=float, default=10, help="past a model's deadline before its worker is killed")
    parser.add_argument("--tf32", choices=["default", "on", "off"], default="default")
    parser.add_argument("--device", default="cuda", help="cuda (the benchmark); cpu only to try the script where there is no GPU")
    parser.add_argument("--list-state", metavar="FILE.pt2", help="print the archive's state dict (no torch needed) and exit")
    parser.add_argument("--precompile-procs", type=int, default=0,
                        help="compile max-autotune for every model first, this many processes at once, into a shared Inductor cache (0: off)")
    parser.add_argument("--precompile-share", type=float, default=0.45, help="the share of --budget-s the precompile stage may use")
    parser.add_argument("--autotune-shards", type=int, default=0,
                        help="before the precompile, this many processes share out max-autotune's autotuning shape by shape (autotune_shards.py; 0: off)")
    parser.add_argument("--shard-share", type=float, default=0.55, help="the share of --budget-s after which the autotune shards are stopped")
    parser.add_argument("--inductor-cache", metavar="DIR",
                        help="a folder of archives from earlier runs (inductor_cache.py); the one made on this GPU model is unpacked into the Inductor cache first")
    parser.add_argument("--cache-dir", metavar="DIR", help="Inductor's cache folder (default a new temporary one): a fixed one lets a later call on the same machine resume")
    parser.add_argument("--inductor-cache-out", metavar="DIR", help="write this run's Inductor cache there as inductor-cache-<gpu>.tgz, for the next run")
    parser.add_argument("--inductor-cache-cap-mib", type=float, default=inductor_cache.DEFAULT_CAP_MIB, help="the largest archive --inductor-cache-out writes")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--precompile-one", help=argparse.SUPPRESS)
    parser.add_argument("--autotune-shard", help=argparse.SUPPRESS)
    parser.add_argument("--shard-stats", help=argparse.SUPPRESS)
    parser.add_argument("--shard-cells", help=argparse.SUPPRESS)
    parser.add_argument("--program", help=argparse.SUPPRESS)
    parser.add_argument("--precompiled", default="", help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--worker-tasks", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.batch_sizes = [int(b) for b in args.batches.split(",") if b.strip()]
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    args.models = [m.strip() for m in args.models.split(",")] if args.models else None
    args.autotune_models = [m.strip() for m in args.autotune_models.split(",") if m.strip()] if args.autotune_models else None
    args.precompiled = [m for m in args.precompiled.split(",") if m]
    args.autotune_cells = parse_cells(args.autotune_cells) if args.autotune_cells is not None else None

    if args.list_state:
        list_state(args.list_state)
        return 0
    if torch is None:
        print("torch is not installed: only --list-state works without it", file=sys.stderr)
        return 2
    if args.precompile_one:
        return precompile_one(args)
    if args.autotune_shard:
        return shard_one(args)
    if args.worker:
        args.worker_tasks = json.loads(args.worker_tasks)
        Worker(args).run()
        return 0
    if not args.programs or not args.out:
        parser.error("--programs and --out are required")
    result = run_parent(args)
    save(args, result)
    for name, rec in result.get("models", {}).items():
        line = [name, str(rec.get("load", rec.get("skipped", rec.get("error", "?"))))]
        for key in ("eager", "reduce_overhead", "compile_max_autotune"):
            m = rec.get(key) or {}
            if "skipped" in m:
                line.append(f"{key}: skipped")
            for b in ("batch1", "batch32"):
                e = m.get(b) or {}
                if "median_ms" in e:
                    line.append(f"{key} {b} {e['median_ms']:.3f} ms")
        print("  ".join(line))
    print(f"wrote {args.out} ({result.get('elapsed_s')} s){' ERROR: ' + result['error'] if 'error' in result else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
