#!/usr/bin/env bash
# Installs PyTorch 2.x for the CPU-side checks against PyTorch (op agreement, .pt2 interop both ways, torch.export
# timing; torchvision's and transformers' architectures exported by torch) where PyPI is out of reach: a minimal Debian
# "forky" (testing) root with Debian's python3-torch, python3-torchvision and python3-transformers, built by
# debootstrap from deb.debian.org into GRAPHPORT_TORCH_ROOT (default /opt/graphport-torch). About 90 s and 1.8 GB.
# Run it as root (debootstrap needs it); afterwards tools/torch/python runs that root's Python as any user.
#
#   bash tools/torch/install.sh            # no-op when the root already imports torch
#   tools/torch/python -c 'import torch; print(torch.__version__)'
#
# Why a separate root and not apt on this machine: bookworm (Debian 12) packages torch 1.13, which has no torch.export;
# forky's python3-torch is 2.14 and needs forky's own libc and Python 3.14, so they live in a root of their own.
set -euo pipefail
ROOT=${GRAPHPORT_TORCH_ROOT:-/opt/graphport-torch}
# forky (testing) first; sid (unstable) carries the same torch and stands in while testing is mid-transition.
SUITES=${GRAPHPORT_TORCH_SUITES:-forky sid}
MIRROR=${GRAPHPORT_TORCH_MIRROR:-http://deb.debian.org/debian}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if "$HERE/python" -c 'import torch.export, torchvision, transformers' >/dev/null 2>&1; then
    echo "PyTorch $("$HERE/python" -c 'import torch; print(torch.__version__)') is already installed in $ROOT"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "tools/torch/install.sh must run as root (debootstrap creates device nodes and chroots); try: sudo bash $0" >&2
    exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
fi
# debootstrap names testing suites after the "sid" script; pass it so an older debootstrap knows a newer suite.
SCRIPT=/usr/share/debootstrap/scripts/sid

# Built beside the final folder and moved into place whole, so an interrupted install never looks installed.
STAGING="$ROOT.staging.$$"
trap 'rm -rf "$STAGING" "$STAGING.log"' EXIT
rm -rf "$STAGING"
mkdir -p "$(dirname "$ROOT")"
installed=""
for SUITE in $SUITES; do
    echo "installing Debian $SUITE with python3-torch, python3-torchvision and python3-transformers into $ROOT (about a minute)"
    rm -rf "$STAGING"
    if debootstrap --variant=minbase --include=python3-torch,python3-torchvision,python3-transformers,python3-numpy "$SUITE" "$STAGING" "$MIRROR" "$SCRIPT" \
        >"$STAGING.log" 2>&1; then
        installed=$SUITE
        break
    fi
    tail -n 20 "$STAGING.log" >&2
    echo "debootstrap of Debian $SUITE failed (log above)" >&2
done
if [ -z "$installed" ]; then
    echo "could not install python3-torch from Debian ($SUITES) via $MIRROR; is it reachable?" >&2
    exit 1
fi
rm -f "$STAGING.log"
# The downloaded .deb files are not needed once unpacked (about 400 MB).
rm -rf "$STAGING/var/cache/apt/archives/"*.deb
rm -rf "$ROOT"
mv "$STAGING" "$ROOT"
"$HERE/python" -c 'import torch, torch.export, torchvision, transformers; print("installed PyTorch", torch.__version__, "torchvision", torchvision.__version__, "and transformers", transformers.__version__, "in '"$ROOT"'")'
