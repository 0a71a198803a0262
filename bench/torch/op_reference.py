#!/usr/bin/env python3
"""Checks Graphport's CPU kernels against PyTorch's, op by op, on the calls bench/Graphport.OpReference wrote.

On a machine with PyTorch (the GPU machine; everything here runs on its CPU):

    python3 bench/torch/op_reference.py OUT_DIR/op_cases.json results.json [--op aten::add.Tensor] [--verbose]

For each case of op_cases.json it calls torch.ops.aten.<name>.<overload> with the case's arguments (positional ones
positionally, keyword-only ones by keyword, as the schema says), then compares with the outputs our kernel computed
(and with the arguments it wrote in place): dtype, shape, then values - exact for integers and bools, within a
tolerance per dtype for floats (looser for ops that sum many terms), NaN where NaN. Cases marked "shape_dtype"
(random ops, uninitialized memory) compare only dtype and shape.

Status per case: match; mismatch; torch_error (torch raised, ours did not); ours_error (ours raised, torch did
not); both_error (both rejected the call: agreement); skipped (the case could not be rebuilt here). The JSON has a
summary, the ops whose schema differs from torch's, and one record per case with max_abs, max_rel and a message.
Exit status 0 unless the script itself failed (--strict: 1 when anything mismatched).
"""

import argparse
import json
import math
import re
import sys
import time
import traceback
import warnings

import torch

from graphport_json import decode_float, tensor_of

FLOAT_TOL = {"float64": (1e-9, 1e-12), "float32": (1e-5, 1e-5), "float16": (4e-3, 2e-3), "bfloat16": (2e-2, 2e-2)}
# Ops that add up many terms: kernels may sum in another order, so allow more.
SUMMING_TOL = {"float64": (1e-7, 1e-9), "float32": (1e-4, 1e-4), "float16": (1e-2, 1e-2), "bfloat16": (5e-2, 5e-2)}
SUMMING = ("mm", "bmm", "addmm", "dot", "matmul", "linear", "convolution", "_backward", "cdist", "pdist", "var", "mean", "sum",
           "prod", "softmax", "norm", "embedding_bag", "grid_sampler", "upsample", "avg_pool", "adaptive", "col2im",
           "scatter_add", "scatter_reduce", "index_put", "baddbmm")
# Never compare values of these, whatever the case says: they draw random numbers or return uninitialized memory.
RANDOM_OPS = {"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "bernoulli", "normal", "uniform",
              "exponential", "multinomial", "empty", "empty_like", "empty_strided", "new_empty", "new_empty_strided"}


def value_of(v):
    """A case value ({"tensor": ..}, {"int": 3}, {"floats": [..]}, ...) as the Python/torch object torch.ops expects."""
    (kind, x), = v.items()
    if kind == "none":
        return None
    if kind == "tensor":
        return tensor_of(x)
    if kind == "tensors":
        return [None if t is None else tensor_of(t) for t in x]
    if kind == "int":
        return int(x)
    if kind == "float":
        return decode_float(x)
    if kind == "bool":
        return bool(x)
    if kind == "ints":
        return [int(i) for i in x]
    if kind == "floats":
        return [decode_float(f) for f in x]
    if kind == "bools":
        return [bool(b) for b in x]
    if kind == "dtype":
        return getattr(torch, x)
    if kind == "str":
        return x
    if kind == "memory_format":
        return getattr(torch, x)
    raise ValueError(f"unknown value kind {kind!r}")


def leaves(x):
    if isinstance(x, (list, tuple)):
        for y in x:
            yield from leaves(y)
    else:
        yield x


def describe(x):
    if isinstance(x, torch.Tensor):
        return f"{str(x.dtype).replace('torch.', '')}{list(x.shape)}"
    return f"{type(x).__name__} {x!r}"


class Comparison:
    def __init__(self):
        self.max_abs = 0.0
        self.max_rel = 0.0
        self.problems = []
        self.notes = []

    def fail(self, message):
        self.problems.append(message)


def tolerance(op_name, dtype):
    summing = any(s in op_name for s in SUMMING)
    return (SUMMING_TOL if summing else FLOAT_TOL).get(dtype, (0.0, 0.0))


def compare_tensor(c, where, ours, got, values, op_name):
    if got is None:
        c.fail(f"{where}: torch returned None, ours {ours['dtype']}{ours['shape']}")
        return
    if not isinstance(got, torch.Tensor):
        c.fail(f"{where}: torch returned {describe(got)}, ours a tensor {ours['dtype']}{ours['shape']}")
        return
    got_dtype = str(got.dtype).replace("torch.", "")
    if got_dtype != ours["dtype"]:
        c.fail(f"{where}: dtype {got_dtype} from torch, {ours['dtype']} from ours")
        return
    if list(got.shape) != list(ours["shape"]):
        c.fail(f"{where}: shape {list(got.shape)} from torch, {ours['shape']} from ours")
        return
    if not values:
        return
    got_flat = got.detach().cpu().contiguous().reshape(-1).tolist()
    if got.dtype.is_floating_point:
        rtol, atol = tolerance(op_name, got_dtype)
        bad, first, signed_zero = 0, None, 0
        for i, (e, a) in enumerate(zip((decode_float(v) for v in ours["data"]), got_flat)):
            if math.isnan(e) or math.isnan(a):
                if not (math.isnan(e) and math.isnan(a)):
                    bad += 1
                    first = first or (i, e, a)
                continue
            if e == a:
                if e == 0 and math.copysign(1, e) != math.copysign(1, a):
                    signed_zero += 1
                continue
            if math.isinf(e) or math.isinf(a):
                bad += 1
                first = first or (i, e, a)
                continue
            diff = abs(e - a)
            c.max_abs = max(c.max_abs, diff)
            c.max_rel = max(c.max_rel, diff / max(abs(e), 1e-300))
            if diff > atol + rtol * abs(e):
                bad += 1
                first = first or (i, e, a)
        if bad:
            i, e, a = first
            c.fail(f"{where}: {bad} of {len(got_flat)} elements differ ({got_dtype} rtol {rtol} atol {atol}); first at {i}: torch {a!r}, ours {e!r}")
        if signed_zero:
            c.notes.append(f"{where}: {signed_zero} zero(s) with the other sign")
    else:
        want = [bool(v) for v in ours["data"]] if got.dtype == torch.bool else [int(v) for v in ours["data"]]
        diffs = [i for i, (e, a) in enumerate(zip(want, got_flat)) if e != a]
        if diffs:
            i = diffs[0]
            c.fail(f"{where}: {len(diffs)} of {len(want)} elements differ; first at {i}: torch {got_flat[i]!r}, ours {want[i]!r}")
            if got.dtype != torch.bool:
                c.max_abs = max(c.max_abs, max(abs(want[j] - got_flat[j]) for j in diffs))


def compare_scalar(c, where, kind, ours, got):
    if isinstance(got, torch.Tensor) and got.dim() == 0:
        got = got.item()
    if kind == "none":
        if got is not None:
            c.fail(f"{where}: torch returned {describe(got)}, ours None")
        return
    if isinstance(got, torch.Tensor) or got is None:
        c.fail(f"{where}: torch returned {describe(got)}, ours {kind} {ours!r}")
        return
    if kind == "bool":
        if bool(got) != bool(ours) or not isinstance(got, bool):
            c.fail(f"{where}: torch {got!r}, ours {bool(ours)!r}")
    elif kind == "int":
        if isinstance(got, float) or int(got) != int(ours):
            c.fail(f"{where}: torch {got!r}, ours {int(ours)!r}")
    elif kind == "float":
        e, a = decode_float(ours), float(got)
        if not (e == a or (math.isnan(e) and math.isnan(a)) or abs(e - a) <= 1e-12 + 1e-6 * abs(e)):
            c.fail(f"{where}: torch {got!r}, ours {e!r}")
        if math.isfinite(e) and math.isfinite(a):
            c.max_abs = max(c.max_abs, abs(e - a))


def compare_value(c, where, ours, got, values, op_name):
    (kind, x), = ours.items()
    if kind == "tensor":
        compare_tensor(c, where, x, got, values, op_name)
    else:
        compare_scalar(c, where, kind, x, got)


# How str(op._schema) prints defaults that native_functions.yaml (and Graphport's declarations) spell by name:
# a ScalarType or MemoryFormat default as its enum value (dtype=long is dtype=4), an int[1] default as a list.
SCALAR_TYPE_VALUES = {"uint8": 0, "Byte": 0, "int8": 1, "Char": 1, "int16": 2, "Short": 2, "int": 3, "int32": 3,
                      "Int": 3, "long": 4, "int64": 4, "Long": 4, "half": 5, "float16": 5, "Half": 5, "float": 6,
                      "float32": 6, "Float": 6, "double": 7, "float64": 7, "Double": 7, "bool": 11, "Bool": 11,
                      "bfloat16": 15, "BFloat16": 15}
MEMORY_FORMAT_VALUES = {"contiguous_format": 0, "preserve_format": 1, "channels_last": 2, "channels_last_3d": 3}


def normalized_schema(text):
    """Schema text without spellings that differ only in print: a float default 2 as "2." or "2.0", string quotes,
    enum defaults by name or by value, an int[1] default as 0 or [0]."""
    text = re.sub(r"=(-?\d+)\.0*(?=[,)])", r"=\1", text).replace('"', "'")
    text = re.sub(r"(ScalarType\?? \w+)=(\w+)",
                  lambda m: f"{m[1]}={SCALAR_TYPE_VALUES.get(m[2], m[2])}", text)
    text = re.sub(r"(MemoryFormat\?? \w+)=(\w+)",
                  lambda m: f"{m[1]}={MEMORY_FORMAT_VALUES.get(m[2], m[2])}", text)
    return re.sub(r"(int\[1\]\?? \w+)=(-?\d+)(?=[,)])", r"\1=[\2]", text)


def resolve(op):
    name, overload = op["torch_name"], op["overload"]
    packet = getattr(torch.ops.aten, name)
    return getattr(packet, overload)


def run_case(case, op, fn):
    result = {"id": case["id"], "op": case["op"], "description": case.get("description", ""), "status": None,
              "max_abs": None, "max_rel": None, "message": ""}
    if "args_error" in case or "args" not in case:
        result.update(status="skipped", message=f"the dumper could not write the arguments: {case.get('args_error')}")
        return result
    if fn is None:
        result.update(status="torch_error", message=f"torch has no {op['torch_name']}.{op['overload']}")
        return result
    try:
        positional, keywords, by_index = [], {}, {}
        for i, a in enumerate(case["args"]):
            v = value_of(a["value"])
            by_index[i] = v
            if a["kwarg_only"]:
                keywords[a["name"]] = v
            else:
                if keywords:
                    raise ValueError(f"positional argument {a['name']} after keyword-only ones")
                positional.append(v)
    except Exception as e:
        result.update(status="skipped", message=f"could not rebuild the arguments: {type(e).__name__}: {e}")
        return result

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = fn(*positional, **keywords)
        torch_error = None
    except Exception as e:
        got, torch_error = None, f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"[:500]

    ours_error = case.get("error")
    if ours_error and torch_error:
        result.update(status="both_error", message=f"torch: {torch_error} | ours: {ours_error}")
        return result
    if ours_error:
        result.update(status="ours_error", message=f"ours: {ours_error}")
        return result
    if torch_error:
        result.update(status="torch_error", message=f"torch: {torch_error}")
        return result

    values = case.get("compare", "values") == "values" and op["torch_name"] not in RANDOM_OPS
    c = Comparison()
    try:
        got_leaves = list(leaves(got))
        ours = case.get("outputs", [])
        checked = case.get("check_outputs")
        if len(got_leaves) != len(ours):
            c.fail(f"{len(got_leaves)} outputs from torch ({', '.join(describe(g) for g in got_leaves)}), {len(ours)} from ours")
        else:
            for i, (o, g) in enumerate(zip(ours, got_leaves)):
                if checked is not None and i not in checked:
                    continue
                compare_value(c, f"output {i}", o, g, values, op["torch_name"])
        for m in case.get("mutated", []):
            compare_value(c, f"argument {m['name']} (written in place)", m["value"], by_index.get(m["index"]), values, op["torch_name"])
    except Exception as e:
        c.fail(f"comparing failed: {type(e).__name__}: {e}")
    result["max_abs"] = c.max_abs
    result["max_rel"] = c.max_rel
    result["status"] = "mismatch" if c.problems else "match"
    result["message"] = "; ".join(c.problems + c.notes)[:1500]
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", help="op_cases.json written by bench/Graphport.OpReference")
    parser.add_argument("out", help="JSON file to write")
    parser.add_argument("--op", action="append", help="only this op (repeatable), e.g. aten::add.Tensor")
    parser.add_argument("--verbose", action="store_true", help="print every case that did not match")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a case mismatched or only one side raised")
    args = parser.parse_args(argv)

    start = time.time()
    report = {"script": "bench/torch/op_reference.py", "torch": torch.__version__, "cases_file": args.cases}
    results = []
    try:
        torch.manual_seed(0)
        torch.set_num_threads(max(1, min(8, torch.get_num_threads())))
        with open(args.cases) as f:
            document = json.load(f)
        ops = document["ops"]
        report["uncovered_by_dumper"] = document.get("uncovered", {})
        report["core_ops_total"] = document.get("core_ops_total")
        report["core_ops_covered"] = document.get("core_ops_covered")
        resolved, schema_differences = {}, {}
        for name, op in ops.items():
            try:
                fn = resolve(op)
                resolved[name] = fn
                theirs = str(fn._schema)
                if normalized_schema(theirs) != normalized_schema(op["schema"]):
                    schema_differences[name] = {"torch": theirs, "ours": op["schema"]}
            except Exception as e:
                resolved[name] = None
                schema_differences[name] = {"torch": f"not found: {type(e).__name__}: {e}", "ours": op["schema"]}
        report["schema_differences"] = schema_differences
        for case in document["cases"]:
            if args.op and case["op"] not in args.op:
                continue
            try:
                r = run_case(case, ops[case["op"]], resolved.get(case["op"]))
            except Exception as e:
                r = {"id": case.get("id"), "op": case.get("op"), "status": "skipped", "message": f"the check crashed: {type(e).__name__}: {e}"}
            results.append(r)
            if args.verbose and r["status"] not in ("match", "both_error"):
                print(f"{r['status']:12} {r['id']} {r.get('description', '')}: {r['message']}")
    except Exception as e:
        report["error"] = f"{type(e).__name__}: {e}"
        report["traceback"] = traceback.format_exc()

    summary, per_op = {}, {}
    for r in results:
        summary[r["status"]] = summary.get(r["status"], 0) + 1
        counts = per_op.setdefault(r["op"], {})
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    report["summary"] = {"cases": len(results), **summary}
    report["ops_with_problems"] = {op: c for op, c in sorted(per_op.items()) if set(c) - {"match", "both_error"}}
    report["per_op"] = per_op
    report["elapsed_s"] = round(time.time() - start, 1)
    report["results"] = results
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)

    print(f"torch {torch.__version__}: {len(results)} cases, " + ", ".join(f"{k} {v}" for k, v in sorted(summary.items())))
    for op, c in report["ops_with_problems"].items():
        print(f"  {op}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    if report.get("schema_differences"):
        print(f"  {len(report['schema_differences'])} op(s) whose schema differs from torch's (see schema_differences)")
    print(f"wrote {args.out}")
    if "error" in report:
        print(report["error"], file=sys.stderr)
        return 2
    if args.strict and any(r["status"] in ("mismatch", "torch_error", "ours_error") for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
