#!/usr/bin/env bash
# Speed of the core, release build, measured twice in one session: with the environment as it is, then
# with OpenBLAS left to pick its own kernel for this CPU (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
# for that one run only). Extra arguments go to `quorum bench` (e.g. --json, --seconds 2).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product quorum >/dev/null
bin=.build/release/quorum
echo "== environment as it is (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})"
"$bin" bench "$@"
echo
echo "== OpenBLAS picks its own kernel"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$bin" bench "$@"
