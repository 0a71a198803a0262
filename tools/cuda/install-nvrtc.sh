#!/usr/bin/env bash
# NVRTC without a GPU or a CUDA toolkit, so a CPU-only machine (CI, a laptop) compiles every kernel the CUDA
# backend generates to real CUBIN (tests/Graphport.Kernels.Tests/NvrtcCompilesGeneratedKernelsTests.cs). Debian's
# non-free libnvrtc12 and its builtins are downloaded from deb.debian.org (trixie, else sid) and unpacked into
# /opt/graphport-nvrtc/lib, a folder the backend's library search knows (kernels/Interop/CudaLibrarySearch.cs).
# Nothing is installed system-wide; a no-op when the folder already holds NVRTC. Needs apt-get and dpkg (Debian).
set -euo pipefail
DEST=${GRAPHPORT_NVRTC_DIR:-/opt/graphport-nvrtc}
if compgen -G "$DEST/lib/libnvrtc.so.1[0-9]" >/dev/null && compgen -G "$DEST/lib/libnvrtc-builtins.so*" >/dev/null; then
    exit 0
fi
for tool in apt-get apt-cache dpkg; do
    command -v "$tool" >/dev/null || { echo "install-nvrtc: $tool not found (this script needs Debian's apt)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
try_suite() {
    local suite=$1
    rm -rf "$work/lists" "$work/cache" "$work/debs" "$work/root"
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
    echo "deb http://deb.debian.org/debian $suite main contrib non-free" >"$work/sources.list"
    local o=(-oDir::Etc::SourceList="$work/sources.list" -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$work/lists"
        -oDir::Cache="$work/cache" -oDir::State::Status=/dev/null -oAPT::Architecture=amd64 -oAPT::Sandbox::User=root -oDebug::NoLocking=1)
    apt-get "${o[@]}" -qq update >/dev/null 2>&1 || return 1
    # libnvrtc12 depends on the builtins of its own version (libnvrtc-builtins12.4, ...).
    local builtins
    builtins=$(apt-cache "${o[@]}" depends libnvrtc12 2>/dev/null | awk '/Depends: libnvrtc-builtins/ { print $2; exit }')
    [ -n "$builtins" ] || return 1
    (cd "$work/debs" && apt-get "${o[@]}" -qq download libnvrtc12 "$builtins" >/dev/null 2>&1) || return 1
    for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
    compgen -G "$work/root/usr/lib/x86_64-linux-gnu/libnvrtc.so.*" >/dev/null
}
if ! try_suite trixie && ! try_suite sid; then
    echo "install-nvrtc: could not download libnvrtc12 from deb.debian.org (trixie or sid, non-free)" >&2
    exit 1
fi
stage="$DEST.partial.$$"
rm -rf "$stage"
mkdir -p "$stage/lib"
cp -a "$work"/root/usr/lib/x86_64-linux-gnu/libnvrtc* "$stage/lib/"
cp -a "$work"/root/usr/share/doc "$stage/doc" 2>/dev/null || true
rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mv "$stage" "$DEST"
echo "install-nvrtc: $(basename "$(readlink -f "$DEST"/lib/libnvrtc.so.1[0-9])") in $DEST/lib"
