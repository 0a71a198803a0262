"""Tensors as Graphport's bench/test JSON writes them ({dtype, shape, data}; NaN, infinities and -0.0 as strings),
decoded into torch tensors. Shared by op_reference.py and load_ours.py, which sit next to this file."""
import math

import torch


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
