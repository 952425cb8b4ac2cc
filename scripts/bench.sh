#!/usr/bin/env bash
# Speed of the core, release build. `quorum bench` names the compute engine and the instruction set oneDNN
# runs here (AVX2, AVX-512, …). Extra arguments go to `quorum bench` (e.g. --json, --seconds 2).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product quorum >/dev/null
.build/release/quorum bench "$@"
