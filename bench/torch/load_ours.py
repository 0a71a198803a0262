#!/usr/bin/env python3
"""Does PyTorch load and run the programs Graphport saves? (issue 3: torch.export.load on our archives)

On a machine with PyTorch 2.11 (no .NET needed):

    python3 bench/torch/load_ours.py DIR results.json [--strict] [--prelude custom_ops.py]

For every <name>.pt2 in DIR (written by Graphport's ExportedProgram.Save; bench/Graphport.OpReference writes them to
OUT_DIR/ours/, tests/fixtures/pt2/graphport/ has more) it records, each step on its own so one failure does not hide
the next:

  load                torch.export.load
  run                 ep.module() on the inputs of <name>.expected.json, case after case on one module (buffer
                      mutations carry over), outputs (pytree leaves) compared with the outputs Graphport computed
                      (rtol 1e-5, atol 1e-5; max_abs_diff recorded; scalar leaves by Python type and value, so a
                      float 2.0 is not the int 2), and where a case has "inputs_after" the inputs
                      too, as the call left them; ep.module() mutates ep's own buffers, so they are put back to
                      their loaded values before each later step
  torch_resave        torch.export.save of the loaded program, torch.export.load again, same outputs
  run_decompositions  ep.run_decompositions() (to Core ATen), same outputs on the first case

Inputs in the expected file: tensors {dtype, shape, data} (floats as exact doubles; "nan", "inf", "-inf", "-0.0"
as strings), lists as JSON arrays, {"tuple": [..]}, {"dict": {..}}, null for None, scalars as {"int": 3}
and the like. The JSON written holds per archive the status of each step, the error (message and traceback tail)
where one failed, the graph's ops and its range constraints.
Every archive is loaded and run first; then each is saved again and decomposed, so a run cut short still has the
first answer for all of them (the JSON is rewritten after every archive). Exit status 0 unless the script itself
failed (--strict: 1 when any archive failed a step). A program calling a custom op (a Graphport Library's) loads
only once torch has that op too: --prelude runs a Python file that registers it first.
"""

import argparse
import json
import os
import runpy
import sys
import tempfile
import time
import traceback

import torch
import torch.ao.quantization.fx._decomposed  # noqa: F401 - registers torch.ops.quantized_decomposed (quantized programs)

from graphport_json import decode_float, tensor_of

RTOL, ATOL = 1e-5, 1e-5
PRELUDES = []


def input_of(j):
    """A program input as load_ours's expected files write them: a tensor, a list, a tuple, a dict, None (JSON null:
    an optional input left out) or a scalar ({"int": 3}, {"float": 2.5}, {"bool": true}, {"str": "a"})."""
    if j is None:
        return None
    if isinstance(j, list):
        return [input_of(x) for x in j]
    if "dtype" in j:
        return tensor_of(j)
    if "tuple" in j:
        return tuple(input_of(x) for x in j["tuple"])
    if "dict" in j:
        return {k: input_of(v) for k, v in j["dict"].items()}
    if len(j) == 1 and next(iter(j)) in ("int", "float", "bool", "str"):
        return expected_leaf(j)
    raise ValueError(f"unknown input form with keys {sorted(j)}")


def expected_leaf(j):
    """An expected output leaf: a tensor {dtype, shape, data}, or a one-key scalar {"int": 3}."""
    if "dtype" in j:
        return tensor_of(j)
    (kind, x), = j.items()
    return None if kind == "none" else decode_float(x) if kind == "float" else x


def leaves(x):
    import torch.utils._pytree as pytree
    return pytree.tree_flatten(x)[0]


def compare(outputs, expected, where):
    """Max |difference| over all leaves; raises on a count, dtype, shape or value mismatch."""
    if len(outputs) != len(expected):
        raise AssertionError(f"{where}: {len(outputs)} outputs from torch, {len(expected)} expected")
    worst = 0.0
    for i, (got, want) in enumerate(zip(outputs, expected)):
        if not isinstance(want, torch.Tensor):
            # The Python type too: a program returning the float 2.0 must not return the int 2 (or True for 1).
            if type(got) is not type(want) or got != want:
                raise AssertionError(f"{where} output {i}: torch {got!r} ({type(got).__name__}), expected {want!r} ({type(want).__name__})")
            continue
        if not isinstance(got, torch.Tensor):
            raise AssertionError(f"{where} output {i}: torch returned {type(got).__name__}, expected a tensor")
        got = got.detach().cpu()
        if got.dtype != want.dtype or list(got.shape) != list(want.shape):
            raise AssertionError(f"{where} output {i}: {got.dtype}{list(got.shape)} from torch, expected {want.dtype}{list(want.shape)}")
        if got.numel() == 0:
            continue
        if got.dtype.is_floating_point:
            g, w = got.double(), want.double()
            both_nan = torch.isnan(g) & torch.isnan(w)
            diff = torch.where(both_nan | (g == w), torch.zeros_like(g), (g - w).abs())
            worst = max(worst, float(diff.max()))
            if not bool(torch.all(diff <= ATOL + RTOL * w.abs())):
                i_bad = int(torch.argmax((diff - (ATOL + RTOL * w.abs())).reshape(-1)))
                raise AssertionError(f"{where} output {i} differs: at {i_bad} torch {float(g.reshape(-1)[i_bad])!r}, "
                                     f"expected {float(w.reshape(-1)[i_bad])!r} (max |diff| {worst:.3g})")
        elif not torch.equal(got, want):
            raise AssertionError(f"{where} output {i} differs (exact dtype {got.dtype})")
    return worst


def error_record(e):
    return {"error": f"{type(e).__name__}: {str(e).strip()[:2000]}", "traceback": traceback.format_exc()[-3000:]}


def snapshot_state(ep):
    """Copies of the program's buffers and constants: ep.module() shares them with ep and mutates them in place."""
    return {name: t.detach().clone() for name, t in list(ep.state_dict.items()) + list(ep.constants.items())
            if isinstance(t, torch.Tensor)}


def restore_state(ep, snapshot):
    """Puts the saved values back, so the next module starts from the program's initial state."""
    with torch.no_grad():
        for name, t in list(ep.state_dict.items()) + list(ep.constants.items()):
            if name in snapshot:
                t.copy_(snapshot[name])


def run_cases(program, cases):
    module = program.module()
    worst = 0.0
    for i, case in enumerate(cases):
        inputs = [input_of(x) for x in case["inputs"]]
        with torch.no_grad():
            outputs = leaves(module(*inputs))
        worst = max(worst, compare(outputs, [expected_leaf(x) for x in case["outputs"]], f"case {i}"))
        if "inputs_after" in case:
            # A program that writes into its inputs (USER_INPUT_MUTATION) must leave them as Graphport's did.
            after = leaves([input_of(x) for x in case["inputs_after"]])
            worst = max(worst, compare(leaves(inputs), after, f"case {i} inputs after the call"))
    return worst


def load_and_run(path, expected_path):
    """The first pass: torch.export.load and ep.module() on the cases.

    Returns (record, ep or None, cases or None, the state ep was loaded with)."""
    rec = {"archive": os.path.basename(path), "bytes": os.path.getsize(path), "steps": {}}
    steps = rec["steps"]
    cases = None
    initial = {}
    if os.path.exists(expected_path):
        with open(expected_path) as f:
            cases = json.load(f)["cases"]
    else:
        rec["note"] = f"no {os.path.basename(expected_path)}: loaded only"
    try:
        t0 = time.perf_counter()
        ep = torch.export.load(path)
        steps["load"] = {"status": "ok", "seconds": round(time.perf_counter() - t0, 3)}
    except Exception as e:
        steps["load"] = {"status": "failed", **error_record(e)}
        return rec, None, cases, initial
    try:
        rec["range_constraints"] = str(ep.range_constraints)
        rec["ops"] = sorted({str(n.target) for n in ep.graph.nodes if n.op == "call_function"})
        rec["program"] = str(ep)[:20000]
    except Exception as e:
        rec["describe_error"] = f"{type(e).__name__}: {e}"
    if cases is not None:
        initial = snapshot_state(ep)
        try:
            steps["run"] = {"status": "ok", "cases": len(cases), "max_abs_diff": run_cases(ep, cases)}
        except Exception as e:
            steps["run"] = {"status": "failed", **error_record(e)}
        # The cases mutated ep's buffers (ep.module() shares them); the later steps start from the first case again.
        restore_state(ep, initial)
    return rec, ep, cases, initial


def resave_and_decompose(rec, ep, cases, initial, name):
    """The second pass: torch.export.save + load again, and run_decompositions(), each checked on the first case."""
    steps = rec["steps"]
    try:
        restore_state(ep, initial)
        with tempfile.TemporaryDirectory() as tmp:
            again = os.path.join(tmp, name + ".pt2")
            torch.export.save(ep, again)
            reloaded = torch.export.load(again)
            steps["torch_resave"] = {"status": "ok", "max_abs_diff": run_cases(reloaded, cases[:1])}
    except Exception as e:
        steps["torch_resave"] = {"status": "failed", **error_record(e)}
    try:
        restore_state(ep, initial)
        decomposed = ep.run_decompositions()
        steps["run_decompositions"] = {"status": "ok", "max_abs_diff": run_cases(decomposed, cases[:1])}
    except Exception as e:
        steps["run_decompositions"] = {"status": "failed", **error_record(e)}


def finish(report, start, out):
    for rec in report["archives"].values():
        failed = [s for s, v in rec["steps"].items() if v.get("status") != "ok"]
        rec["status"] = "failed: " + ", ".join(failed) if failed else "passed"
    statuses = [r["status"] for r in report["archives"].values()]
    report["summary"] = {"archives": len(statuses), "passed": statuses.count("passed"), "failed": len(statuses) - statuses.count("passed")}
    report["elapsed_s"] = round(time.time() - start, 1)
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=1)
    os.replace(tmp, out)


def line(name, rec):
    return f"{name}: " + ", ".join(f"{s} {v.get('status')}" + (f" ({v['error'].splitlines()[0][:160]})" if "error" in v else "")
                                   for s, v in rec["steps"].items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", help="folder of .pt2 archives with <name>.expected.json beside them")
    parser.add_argument("out", help="JSON file to write (rewritten after every archive, so a run cut short keeps what it did)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any archive failed a step")
    parser.add_argument("--prelude", metavar="FILE.py", action="append", default=[],
                        help="a Python file to run first, e.g. one registering the custom ops the programs call "
                             "(torch.export.load needs them registered, as for any program torch exported); repeatable")
    args = parser.parse_args(argv)
    for prelude in args.prelude:
        # Kept: a torch.library.Library made there unregisters its ops when it is garbage-collected.
        PRELUDES.append(runpy.run_path(prelude, run_name="__load_ours_prelude__"))

    start = time.time()
    report = {"script": "bench/torch/load_ours.py", "torch": torch.__version__, "dir": args.dir, "archives": {},
              "note": "First every archive is loaded and run, then each is saved again by torch and decomposed."}
    try:
        archives = sorted(f for f in os.listdir(args.dir) if f.endswith(".pt2"))
        if not archives:
            report["error"] = f"no .pt2 archives in {args.dir}"
        loaded = {}
        for archive in archives:
            name = archive[:-4]
            try:
                rec, ep, cases, initial = load_and_run(os.path.join(args.dir, archive), os.path.join(args.dir, name + ".expected.json"))
            except Exception as e:
                rec, ep, cases, initial = {"archive": archive, "steps": {"check": {"status": "failed", **error_record(e)}}}, None, None, {}
            report["archives"][name] = rec
            if ep is not None and cases:
                loaded[name] = (ep, cases, initial)
            print(line(name, rec))
            finish(report, start, args.out)
        for name, (ep, cases, initial) in loaded.items():
            rec = report["archives"][name]
            try:
                resave_and_decompose(rec, ep, cases, initial, name)
            except Exception as e:
                rec["steps"]["check"] = {"status": "failed", **error_record(e)}
            print(("PASS " if all(v.get("status") == "ok" for v in rec["steps"].values()) else "FAIL ") + line(name, rec))
            finish(report, start, args.out)
    except Exception as e:
        report["error"] = f"{type(e).__name__}: {e}"
        report["traceback"] = traceback.format_exc()
    finish(report, start, args.out)
    print(f"{report['summary']['passed']} passed, {report['summary']['failed']} failed; wrote {args.out}")
    if "error" in report:
        print(report["error"], file=sys.stderr)
        return 2
    return 1 if args.strict and report["summary"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
