#!/usr/bin/env python3
"""torch.export timing of the two models bench/Graphport.Bench exports, for the Graphport/torch ratio.

Runs on the GPU benchmark machine (PyTorch 2.11, no network, no .NET). Builds Mlp50 and ResNet-18 in plain
torch.nn (torchvision is only used, when importable, to cross-check ResNet-18's parameter names), exports each
with a dynamic batch (torch.export.Dim("batch"), example batch 2), warms up, times the exports and writes

    {model: {median_ms, p10_ms, p90_ms, runs, torch_version, ...}}

to the JSON path given as the first argument. Keys: "Mlp50", "ResNet18" (strict=True, as Graphport's default
strict export), "Mlp50/non-strict", "ResNet18/non-strict" (torch's default since 2.7), and the same keys with
"/inference-ir" appended for export followed by run_decompositions({}), whose graph (aten.convolution,
_native_batch_norm_legit_no_training, t + addmm) is the op level Graphport's export produces.

Usage: python bench/torch/export_time.py bench/results/torch_export.json [--warmup 3] [--runs 20]
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

EXAMPLE_BATCH = 2  # Graphport's BenchCase.ExampleBatch
VERIFY_BATCH = 3   # a batch other than the example's, so the check runs the symbolic dim


class Mlp50(nn.Module):
    """50 Linear layers of width 256, ReLU between consecutive layers (bench/Graphport.Bench/Models/Mlp50.cs)."""

    def __init__(self, depth=50, width=256):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))

    def forward(self, x):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < last:
                x = F.relu(x)
        return x


class BasicBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock (expansion 1), same attribute names."""

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        out = self.relu(out)
        return out


class ResNet18(nn.Module):
    """torchvision.models.resnet18(weights=None), written out so torchvision is not needed."""

    def __init__(self, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(64, stride=1)
        self.layer2 = self._make_layer(128, stride=2)
        self.layer3 = self._make_layer(256, stride=2)
        self.layer4 = self._make_layer(512, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)
        # torchvision's initialization; it does not change export time, only keeps the model the same.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, planes, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )
        first = BasicBlock(self.inplanes, planes, stride, downsample)
        self.inplanes = planes
        return nn.Sequential(first, BasicBlock(self.inplanes, planes))

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return x


# name -> (constructor, input shape without the batch dim); the names are Graphport's BenchCases names.
MODELS = {
    "Mlp50": (Mlp50, (256,)),
    "ResNet18": (ResNet18, (3, 224, 224)),
}


def percentile(samples, q):
    """Linear interpolation between order statistics (numpy's default), as Graphport.Bench's Stats does."""
    xs = sorted(samples)
    position = q * (len(xs) - 1)
    lo, hi = math.floor(position), math.ceil(position)
    return xs[lo] + (xs[hi] - xs[lo]) * (position - lo)


def torchvision_names_match():
    """True/False when torchvision is importable (same state-dict keys and shapes, in order), None otherwise."""
    try:
        import torchvision
    except Exception:  # not installed, or installed against another torch: the check is optional
        return None
    ours = [(k, tuple(v.shape)) for k, v in ResNet18().state_dict().items()]
    theirs = [(k, tuple(v.shape)) for k, v in torchvision.models.resnet18(weights=None).state_dict().items()]
    if ours != theirs:
        missing = sorted(set(theirs) - set(ours))[:5]
        extra = sorted(set(ours) - set(theirs))[:5]
        print(f"warning: ResNet18 differs from torchvision's: missing {missing}, extra {extra}", file=sys.stderr)
    return ours == theirs


def batch_dim():
    # A fresh named dim per export, as Graphport.Bench builds a fresh Dim("batch") spec per export.
    return torch.export.Dim("batch")


def export_once(model, example, strict, inference_ir):
    ep = torch.export.export(model, (example,), dynamic_shapes={"x": {0: batch_dim()}}, strict=strict)
    if inference_ir:
        ep = ep.run_decompositions({})
    return ep


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_export(model, example, strict, inference_ir, warmup, runs, reset, device):
    def once():
        if reset:
            # Outside the timed region: each export starts without Dynamo caches from the previous one.
            torch._dynamo.reset()
        sync(device)
        start = time.perf_counter()
        ep = export_once(model, example, strict, inference_ir)
        sync(device)
        return (time.perf_counter() - start) * 1000.0, ep

    for _ in range(warmup):
        once()
    samples, ep = [], None
    for _ in range(runs):
        ms, ep = once()
        samples.append(ms)
    return samples, ep


def verify(model, ep, shape, device):
    """max |exported - eager| on a batch other than the example's, so a wrong program is never timed."""
    x = torch.randn(VERIFY_BATCH, *shape, device=device)
    with torch.no_grad():
        eager = model(x)
        exported = ep.module()(x)
    diff = (exported - eager).abs().max().item()
    scale = eager.abs().max().item()
    if not diff <= 1e-4 * max(scale, 1e-30):
        raise RuntimeError(f"exported program differs from eager by {diff:.3g} (max |eager| = {scale:.3g})")
    return diff


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="JSON file to write")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--device", default="cpu", help="where the module and example live (cpu or cuda); export itself runs on the host")
    parser.add_argument("--model", action="append", choices=sorted(MODELS), help="only these models (repeatable)")
    parser.add_argument("--no-reset", action="store_true", help="keep Dynamo caches between exports")
    parser.add_argument("--no-inference-ir", action="store_true", help="skip the export + run_decompositions({}) timings")
    args = parser.parse_args()

    device = torch.device(args.device)
    torch.manual_seed(0)
    names_match = torchvision_names_match()
    results = {
        "_meta": {
            "torch_version": torch.__version__,
            "python": platform.python_version(),
            "machine": platform.platform(),
            "processor": platform.processor(),
            "cpu_count": os.cpu_count(),
            "device": str(device),
            "cuda_device": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
            "example_batch": EXAMPLE_BATCH,
            "warmup": args.warmup,
            "dynamo_reset_between_runs": not args.no_reset,
            "resnet18_names_match_torchvision": names_match,
        }
    }
    for name in args.model or list(MODELS):
        factory, shape = MODELS[name]
        model = factory().to(device).eval()
        example = torch.randn(EXAMPLE_BATCH, *shape, device=device)
        for strict in (True, False):
            for inference_ir in (False,) if args.no_inference_ir else (False, True):
                key = name + ("" if strict else "/non-strict") + ("/inference-ir" if inference_ir else "")
                samples, ep = time_export(model, example, strict, inference_ir, args.warmup, args.runs, not args.no_reset, device)
                diff = verify(model, ep, shape, device)
                results[key] = {
                    "median_ms": percentile(samples, 0.5),
                    "p10_ms": percentile(samples, 0.1),
                    "p90_ms": percentile(samples, 0.9),
                    "runs": len(samples),
                    "torch_version": torch.__version__,
                    "strict": strict,
                    "inference_ir": inference_ir,
                    "nodes": len(ep.graph.nodes),
                    "max_abs_diff": diff,
                    "samples_ms": samples,
                }
                r = results[key]
                print(f"{key:32s} {r['nodes']:4d} nodes  median {r['median_ms']:8.1f} ms  "
                      f"p10 {r['p10_ms']:8.1f}  p90 {r['p90_ms']:8.1f}  max|ep-eager| {diff:.3g}", flush=True)
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
