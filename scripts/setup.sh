#!/usr/bin/env bash
# Installs what Quorum needs from Debian's packages. Quiet, idempotent, uses sudo when not root.
# With --with-python it also installs what scripts/example_worker.py (and the test that runs it) needs:
# python3-zmq and python3-numpy, from Debian too (no pip).
set -euo pipefail
packages=(libzmq3-dev libdnnl-dev zlib1g-dev libturbojpeg0-dev libcurl4-openssl-dev dataset-fashion-mnist graphviz)
if [ "${1:-}" = "--with-python" ]; then packages+=(python3 python3-zmq python3-numpy); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
