#!/usr/bin/env bash
# Installs what Quorum needs from Debian's packages. Quiet, idempotent, uses sudo when not root.
# libcurl4-openssl-dev: Foundation's URL loading (workers fetching a data URL) links libcurl.
# With --with-python (scripts/test.sh passes it) it also installs what the tests and benchmarks use:
# python3-zmq and python3-numpy for scripts/example_worker.py and the test that runs it; chromium for the
# headless page and report tests (they skip without it); wrk for scripts/serve-bench.sh; and schemathesis from
# PyPI for scripts/test.sh's OpenAPI run.
set -euo pipefail
packages=(libzmq3-dev libdnnl-dev zlib1g-dev libturbojpeg0-dev libcurl4-openssl-dev dataset-fashion-mnist graphviz)
python=0
if [ "${1:-}" = "--with-python" ]; then
    python=1
    packages+=(python3 python3-zmq python3-numpy chromium wrk)
fi
# schemathesis comes from PyPI; a failed install only skips the OpenAPI run, it does not stop the set-up.
pip_packages() {
    [ "$python" -eq 1 ] || return 0
    command -v st >/dev/null && return 0
    python3 -m pip install --quiet schemathesis >/dev/null 2>&1 \
        || python3 -m pip install --quiet --break-system-packages schemathesis >/dev/null 2>&1 \
        || echo "setup: could not install schemathesis from PyPI; the OpenAPI run will be skipped" >&2
}
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    pip_packages
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
pip_packages
