"""Values in the JSON of Graphport's bench and test files: tensors as {dtype, shape, data} (NaN, infinities and -0.0 as
strings), scalars as one-key objects ({"int": 3}, {"float": 0.5}, {"bool": true}, {"none": null}, {"str": "a"}),
tuples as {"tuple": [..]}, dicts as {"dict": {..}}, lists as arrays. Decoded for op_reference.py and load_ours.py
(next to this file), encoded for tests/fixtures/pt2's scripts, which write the expected files Graphport checks."""
import math

import torch


def encode_float(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0 and math.copysign(1.0, x) < 0:
        return "-0.0"
    return x


def tensor_json(t):
    """Floats as the exact doubles they are, so float32 values read back bit for bit."""
    t = t.detach().contiguous().to("cpu")
    values = t.reshape(-1).tolist()
    if t.dtype == torch.bool:
        data = [bool(v) for v in values]
    elif t.dtype.is_floating_point:
        data = [encode_float(v) for v in values]
    else:
        data = [int(v) for v in values]
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": data}


def scalar_json(x):
    if x is None:
        return {"none": None}
    if isinstance(x, bool):
        return {"bool": x}
    if isinstance(x, int):
        return {"int": x}
    if isinstance(x, float):
        return {"float": encode_float(x)}
    if isinstance(x, str):
        return {"str": x}
    if isinstance(x, torch.SymInt):  # never expected from ep.module(), which returns plain ints
        return {"int": int(x)}
    raise TypeError(f"no JSON form for a {type(x).__name__} leaf")


def input_json(x):
    if isinstance(x, torch.Tensor):
        return tensor_json(x)
    if isinstance(x, list):
        return [input_json(v) for v in x]
    if isinstance(x, tuple):
        return {"tuple": [input_json(v) for v in x]}
    if isinstance(x, dict):
        return {"dict": {str(k): input_json(v) for k, v in x.items()}}
    return scalar_json(x)


def output_json(leaf):
    """An output leaf: a tensor, or a one-key scalar."""
    return tensor_json(leaf) if isinstance(leaf, torch.Tensor) else scalar_json(leaf)


def decode_float(v):
    if isinstance(v, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0.0": -0.0}[v]
    return float(v)


def tensor_of(j):
    dtype = getattr(torch, j["dtype"])
    data = j["data"]
    if dtype.is_floating_point:
        t = torch.tensor([decode_float(v) for v in data], dtype=torch.float64).to(dtype)
    elif dtype == torch.bool:
        t = torch.tensor([bool(v) for v in data], dtype=torch.bool)
    else:
        t = torch.tensor([int(v) for v in data], dtype=torch.int64).to(dtype)
    # A tensor of its own, not a reshape view of the flat one: torch refuses some in-place ops on views (detach_).
    return t.reshape(j["shape"]).clone()
