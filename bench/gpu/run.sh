#!/usr/bin/env bash
# The device side of the GPU bench, in one call (bench/gpu/README.md):
#   run(command="bash bench/gpu/run.sh", carry=["bench/gpu/publish"], timeout_s=590)
# Runs every step even when one fails, each under `timeout`, all of them within GPU_TOTAL_S seconds (default
# 560), except those GPU_SKIP names, and leaves in $OUT: results.tgz (every result file and log; no .pt2 programs), steps.json, summary.txt
# and run.log. results.tgz and steps.json are rewritten after each step, so a call cut short keeps the steps done.
# Back on a machine with .NET: dotnet run --project bench/Graphport.GpuBench -- summarize FILES_AT
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
ROOT=$PWD
OUT=${OUT:-/tmp/graphport-gpu-out}
WORK=${GPU_WORK:-/tmp/graphport-gpu}
TOTAL=${GPU_TOTAL_S:-560}
PUBLISH=$ROOT/bench/gpu/publish
APP=$PUBLISH/Graphport.GpuBench
START=$(date +%s)
export PYTHONUNBUFFERED=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0

mkdir -p "$OUT"
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/gpubench" "$WORK/fixtures"
: >"$OUT/run.log"
say() { echo "$*" | tee -a "$OUT/run.log"; }

# --- the Python that holds torch (the image's python3 is /opt/torch/.venv/bin/python3) ---
PY=""
for candidate in /opt/torch/.venv/bin/python3 /opt/torch/.venv/bin/python python3 python /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch' >/dev/null 2>&1; then
        PY=$(command -v "$candidate")
        break
    fi
done
if [ -z "$PY" ]; then
    PY=$(command -v python3 || echo python3)
    say "no Python with torch found; the torch steps will fail (using $PY)"
fi
# The CUDA backend also looks for libnvrtc/libcublasLt in these site-packages (nvidia/cu13/lib, ...).
GRAPHPORT_PYTHON_SITE_PACKAGES=$("$PY" -c 'import site; print(":".join(site.getsitepackages()))' 2>/dev/null || true)
export GRAPHPORT_PYTHON_SITE_PACKAGES
[ -f "$APP" ] && chmod +x "$APP"

# --- steps.json, packing, and one step ---
STEPS=()
FAILED=0
write_steps() {
    {
        echo "["
        local i
        for i in "${!STEPS[@]}"; do
            if [ "$i" -gt 0 ]; then echo ","; fi
            printf '  %s' "${STEPS[$i]}"
        done
        echo
        echo "]"
    } >"$WORK/steps.json"
    cp "$WORK/steps.json" "$OUT/steps.json"
}
pack() {
    cp "$OUT/run.log" "$WORK/run.log" 2>/dev/null
    tar czf "$OUT/results.tgz.tmp" -C "$WORK" --exclude=./gpubench/programs --exclude=./gpubench/kernel-cache . 2>/dev/null &&
        mv "$OUT/results.tgz.tmp" "$OUT/results.tgz"
}
record() { # NAME RC SECONDS LIMIT STATUS
    STEPS+=("{\"name\": \"$1\", \"rc\": $2, \"seconds\": $3, \"timeout_s\": $4, \"status\": \"$5\"}")
    write_steps
    pack
}
left() { echo $((TOTAL - ($(date +%s) - START) - 10)); }
clamp() { # the seconds a step wanting $1 may have
    local l
    l=$(left)
    if [ "$1" -lt "$l" ]; then echo "$1"; else echo "$l"; fi
}
# GPU_SKIP="step step ...": steps left out of this call (a second call re-running only what failed, say).
skipped() { case " ${GPU_SKIP:-} " in *" $1 "*) return 0 ;; esac; return 1; }
step() { # NAME LIMIT_S COMMAND... (sets LAST_RC: the exit code, 0 when the step did not run)
    local name=$1 limit=$2
    LAST_RC=0
    shift 2
    if skipped "$name"; then
        say "== $name: left out (GPU_SKIP)"
        record "$name" null 0 0 "left out"
        return
    fi
    limit=$(clamp "$limit")
    if [ "$limit" -lt 5 ]; then
        say "== $name: skipped, out of time"
        record "$name" null 0 0 "skipped: out of time"
        FAILED=$((FAILED + 1))
        return
    fi
    say "== $name (limit ${limit}s): $*"
    local t0 t1 rc seconds status
    t0=$(date +%s.%N)
    timeout -k 5 "$limit" "$@" >"$WORK/logs/$name.log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    case $rc in
        0) status=ok ;;
        124 | 137) status="timed out" ;;
        *) status=failed ;;
    esac
    LAST_RC=$rc
    [ "$rc" -ne 0 ] && FAILED=$((FAILED + 1))
    tail -n 4 "$WORK/logs/$name.log" | cut -c1-300 | sed 's/^/    /' | tee -a "$OUT/run.log"
    say "   -> $status (rc $rc, ${seconds}s)"
    record "$name" "$rc" "$seconds" "$limit" "$status"
}
need() { # FILE: a step that cannot run records why
    if [ -e "$1" ]; then return 0; fi
    say "== $2: skipped, $1 is missing"
    record "$2" null 0 0 "skipped: $1 missing"
    FAILED=$((FAILED + 1))
    return 1
}

# --- the steps, most important first ---
# What the machine is (summarize reads the "gpu:" and "kit:" lines of env.txt).
step env 30 bash -c '
    PY=$1
    echo "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
    if [ -f bench/gpu/publish/kit.json ]; then echo "kit: $(tr -d "\n" <bench/gpu/publish/kit.json)"; fi
    echo "python: $PY"
    "$PY" -c "import sys, torch; print(\"torch:\", torch.__version__, \"cuda\", torch.version.cuda, \"available\", torch.cuda.is_available(), \"python\", sys.version.split()[0])"
    echo "site-packages: $GRAPHPORT_PYTHON_SITE_PACKAGES"
    uname -a; nproc; free -g | head -2
    nvidia-smi 2>&1 | head -20
    ldconfig -p 2>/dev/null | grep -E "libcuda[.]so|libnvrtc|libcublasLt" | head
    for d in ${GRAPHPORT_PYTHON_SITE_PACKAGES//:/ }; do ls -d "$d"/nvidia/*/lib 2>/dev/null; done
    true
' env-probe "$PY"
cp "$WORK/logs/env.log" "$WORK/env.txt" 2>/dev/null

if need "$APP" gpubench; then
    step gpubench_setup 60 "$APP" run "$WORK/gpubench" --phase device,programs
    step gpubench_bandwidth 45 "$APP" run "$WORK/gpubench" --phase bandwidth
    L=$(clamp 90)
    step gpubench_ops "$L" "$APP" run "$WORK/gpubench" --phase ops --budget-s $((L > 20 ? L - 10 : 10))
    L=$(clamp 170)
    step gpubench_zoo "$L" "$APP" run "$WORK/gpubench" --phase zoo --budget-s $((L > 30 ? L - 15 : 15))
    # Exit 3: a kernel fault lost the process's CUDA context (the driver keeps that error for the process), so a new
    # process resumes after the model that faulted, twice at most.
    for retry in 1 2; do
        [ "${LAST_RC:-0}" -eq 3 ] || break
        L=$(clamp 120)
        step "gpubench_zoo_resume$retry" "$L" "$APP" run "$WORK/gpubench" --phase zoo --resume --budget-s $((L > 30 ? L - 15 : 15))
    done
    # The zoo again through what executor grains on a GPU silo use (backend selector, CudaExecutionBackend).
    L=$(clamp 60)
    step gpubench_executor "$L" "$APP" run "$WORK/gpubench" --phase executor --budget-s $((L > 20 ? L - 10 : 10))
    L=$(clamp 60)
    step gpubench_onnx "$L" "$APP" run "$WORK/gpubench" --phase onnx --budget-s $((L > 20 ? L - 10 : 10))
    L=$(clamp 120)
    step gpubench_profile "$L" "$APP" run "$WORK/gpubench" --phase profile --budget-s $((L > 20 ? L - 10 : 10))
    # Last and alone: a kernel stores through null, which must be reported as a lost context (fault.json).
    step gpubench_fault 30 "$APP" run "$WORK/gpubench" --phase fault
fi
# The PyTorch peers next: issue 5's comparison needs every model in every mode from this one run. max-autotune is
# compiled for all models first, TORCH_PEER_PRECOMPILE processes at a time (default 6 of the 16 cores' worth), into
# one Inductor cache that the timing rounds then hit. torch_peer.py keeps to its own --budget-s.
# Inductor's caches travel between leases (bench/gpu/inductor_cache.py): the archive carried in bench/gpu/inductor-cache/
# (when it was carried) is unpacked first, and this run's is packed into $OUT as inductor-cache-<gpu>.tgz to keep there.
# The cache folder is fixed (TORCH_PEER_CACHE_DIR) and outside the work folder, so a second call on the same warm
# machine resumes the compiles the first one cut short instead of starting them cold. With TORCH_PEER_SHARDS=N, N
# processes first share out max-autotune's autotuning shape by shape (bench/gpu/autotune_shards.py), so the precompile
# finds the shapes measured.
if need bench/gpu/torch_peer.py torch_peer; then
    L=$(clamp $(($(left) < ${TORCH_PEER_S:-430} ? $(left) : ${TORCH_PEER_S:-430})))
    CACHE_IN=()
    [ -d "$ROOT/bench/gpu/inductor-cache" ] && CACHE_IN=(--inductor-cache "$ROOT/bench/gpu/inductor-cache")
    step torch_peer "$L" "$PY" bench/gpu/torch_peer.py --programs "$WORK/gpubench/programs" --out "$WORK/torch_peer.json" \
        --budget-s $((L > 30 ? L - 20 : 15)) --precompile-procs "${TORCH_PEER_PRECOMPILE:-6}" --autotune-shards "${TORCH_PEER_SHARDS:-0}" \
        "${CACHE_IN[@]}" --inductor-cache-out "$OUT" \
        --cache-dir "${TORCH_PEER_CACHE_DIR:-/tmp/graphport-inductor-cache}" ${TORCH_PEER_ARGS:-}
fi
# PyTorch 2.11's view of our CPU kernels and .pt2 archives: the same checks run in CI against PyTorch 2.14
# (tools/torch/install.sh), so these take what time is left.
if need bench/torch/op_reference.py op_reference && need "$PUBLISH/op_cases.json" op_reference; then
    step op_reference 45 "$PY" bench/torch/op_reference.py "$PUBLISH/op_cases.json" "$WORK/op_reference.json"
fi
if need bench/torch/load_ours.py pt2_load && need "$PUBLISH/ours" pt2_load; then
    step pt2_load 40 "$PY" bench/torch/load_ours.py "$PUBLISH/ours" "$WORK/pt2_load.json"
fi
if need tests/fixtures/pt2/make_fixtures.py pt2_fixtures; then
    step pt2_fixtures 40 "$PY" tests/fixtures/pt2/make_fixtures.py --out "$WORK/fixtures"
    # The torch-made archives it wrote, to commit under tests/fixtures/pt2/torch/ (README there).
    mkdir -p "$WORK/fixtures/torch" && cp tests/fixtures/pt2/torch/* "$WORK/fixtures/torch/" 2>/dev/null
fi
step torch_export 45 "$PY" bench/torch/export_time.py "$WORK/torch_export.json" --runs 5 --warmup 1 --no-inference-ir

# --- summary ---
"$PY" - "$WORK" <<'EOF' >"$OUT/summary.txt" 2>&1 || true
import json, os, sys
work = sys.argv[1]
def load(*parts):
    try:
        with open(os.path.join(work, *parts)) as f:
            return json.load(f)
    except Exception as e:
        return None
steps = load("steps.json") or []
print("steps: " + ", ".join(f"{s['name']} {s['status']} ({s['seconds']}s)" for s in steps))
device = load("gpubench", "device.json") or {}
print("device:", device.get("description") or device.get("message"))
ops = load("gpubench", "ops.json")
if ops:
    cases = ops.get("cases", [])
    bad = [c["name"] for c in cases if c.get("status") != "passed"]
    print(f"ops on {ops.get('backend')}: {len(cases) - len(bad)} of {len(cases)} passed" + (f"; not passed: {', '.join(bad)}" if bad else ""))
zoo = load("gpubench", "zoo.json")
if zoo:
    print(f"zoo on {zoo.get('backend')}: {zoo.get('correct')} of {zoo.get('compared')} outputs match")
    for m in zoo.get("models", []):
        parts = []
        for b, e in (m.get("batches") or {}).items():
            lat = e.get("latency") or {}
            parts.append(f"b{b} {e.get('status')} {lat.get('median_ms', '-')} ms")
        print(f"  {m['model']}: {m.get('status')}; " + "; ".join(parts))
executor = load("gpubench", "executor.json")
if executor:
    print(f"executor backend (grains) on {executor.get('device')}: {executor.get('backend')} on {executor.get('runs_on')}, "
          f"{executor.get('passed')} of {len(executor.get('models', []))} models match, {executor.get('kernel_store_files')} CUBINs in its kernel store")
fault = load("gpubench", "fault.json")
if fault:
    print(f"fault: passed {fault.get('passed')}; executor after the fault: {(fault.get('executor') or {}).get('passed')}")
onnx = load("gpubench", "onnx.json")
if onnx:
    print(f"onnx models on {onnx.get('backend')}: {onnx.get('correct')} of {onnx.get('compared')} match" +
          "".join(f"; {m['model']} {m.get('status')} {(m.get('latency') or {}).get('median_ms', '-')} ms" for m in onnx.get("models", [])))
bw = load("gpubench", "bandwidth.json")
if bw:
    for name, r in (bw.get("results") or {}).items():
        print(f"bandwidth {name}: {r.get('gbs')} GB/s ({r.get('fraction_of_peak')} of {bw.get('peak_gbs')} peak)")
cache = (load("torch_peer.json") or {}).get("inductor_cache") or {}
if cache:
    came, went = cache.get("in") or {}, cache.get("out") or {}
    print(f"inductor cache in: {'used, ' + str(came.get('files')) + ' files' if came.get('used') else came.get('why', 'none')}; "
          f"out: {went.get('file')} {went.get('bytes', 0)} bytes, {went.get('files')} files" + (f" ({went['skipped']})" if went.get("skipped") else ""))
for name in ("torch_peer.json", "op_reference.json", "pt2_load.json", "torch_export.json", "fixtures/results.json"):
    print(f"{name}: {'present' if os.path.exists(os.path.join(work, name)) else 'missing'}")
EOF
cp "$OUT/summary.txt" "$WORK/summary.txt" 2>/dev/null
pack
say ""
say "---- summary ($(($(date +%s) - START)) s) ----"
cat "$OUT/summary.txt"
say "results in \$OUT: $(ls "$OUT" | tr '\n' ' ')"
exit $((FAILED > 0 ? 1 : 0))
