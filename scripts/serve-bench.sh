#!/usr/bin/env bash
# Loads `quorum serve` with wrk: single 28×28 PNGs posted to /v1/vote at 1, 8 and 64 connections (images/s,
# p50 and p99 latency), `quorum vote`'s batch throughput on the same ensemble for comparison, the server's
# RSS over a soak at 64 connections and its peak, and the same wrk runs against the PyTorch + FastAPI baseline
# (scripts/serve_baseline.py) when torch, fastapi and uvicorn import. Results are printed as markdown rows.
#
# Usage: scripts/serve-bench.sh [ENSEMBLE_DIR]
#   Without a folder, five cnn-a members (seeds 1-5, 2 epochs on 10,000 Fashion-MNIST images) are trained into
#   runs/serve-bench first. Environment: QUORUM (binary, default .build/release/quorum), DURATION (each wrk
#   run, default 20s), SOAK (seconds at 64 connections for the RSS samples, default 180; 0 skips it), PORT
#   (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."
quorum=${QUORUM:-.build/release/quorum}
duration=${DURATION:-20s}
soak=${SOAK:-180}
port=${PORT:-18080}
data=/usr/share/datasets/fashion-mnist
command -v wrk >/dev/null || { echo "serve-bench: wrk is missing (scripts/setup.sh --with-python installs it)" >&2; exit 1; }
[ -x "$quorum" ] || { echo "serve-bench: no $quorum (swift build -c release)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

ensemble=${1:-}
if [ -z "$ensemble" ]; then
    ensemble=runs/serve-bench/ensemble
    if [ ! -f "$ensemble/ensemble.json" ]; then
        mkdir -p runs/serve-bench
        for seed in 1 2 3 4 5; do
            "$quorum" train --model cnn-a --epochs 2 --train-limit 10000 --test-limit 1000 --seed "$seed" --quiet \
                --out "runs/serve-bench/member$seed.safetensors" >/dev/null
        done
        "$quorum" ensemble create --out "$ensemble" --members runs/serve-bench/member{1,2,3,4,5}.safetensors >/dev/null
    fi
fi

# One 28×28 grey PNG: the first Fashion-MNIST test image.
python3 - "$data/t10k-images-idx3-ubyte.gz" "$work/image.png" <<'PY'
import gzip, struct, sys, zlib
raw = gzip.open(sys.argv[1]).read()[16:16 + 784]
rows = b"".join(b"\x00" + raw[y * 28:(y + 1) * 28] for y in range(28))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
cat >"$work/post.lua" <<LUA
local f = assert(io.open("$work/image.png", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "image/png"
LUA

wait_for() {  # URL: waits up to 120 s for a 200
    for _ in $(seq 1 1200); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "serve-bench: $1 did not answer" >&2
    return 1
}

load() {  # NAME URL: wrk at 1, 8 and 64 connections, one markdown row each
    for c in 1 8 64; do
        t=$((c < 2 ? 1 : 2))
        out=$(wrk -t "$t" -c "$c" -d "$duration" --latency -s "$work/post.lua" "$2")
        rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
        errors=$(awk '/Socket errors/ {print $0}' <<<"$out")
        printf '| %s | %d | %.0f | %s | %s | %s |\n' "$1" "$c" "$rate" "$p50" "$p99" "${bad:-0}${errors:+ ($errors)}"
    done
}

rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
peak() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

echo "machine: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) cores"
echo "binary: $quorum; ensemble: $ensemble; wrk runs of $duration"
vote=$("$quorum" vote --ensemble "$ensemble" --input "$data/t10k-images-idx3-ubyte.gz" --json)
echo "quorum vote, 10,000 test images: $(python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(round(s["images_per_second"]), "images/s")' <<<"$vote")"

"$quorum" serve --ensemble "$ensemble" --bind "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
pids+=("$server")
wait_for "http://127.0.0.1:$port/readyz"
echo "quorum serve RSS when ready: $(rss "$server") MiB"
echo
echo "| server | connections | images/s | p50 | p99 | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- |"
load "quorum serve" "http://127.0.0.1:$port/v1/vote"

if python3 -c "import torch, fastapi, uvicorn, PIL" 2>/dev/null; then
    # One torch thread: with two intra-op threads on two busy cores, OpenMP's waiting made it ten times slower.
    python3 scripts/serve_baseline.py "$ensemble" --port $((port + 1)) --threads 1 2>"$work/baseline.log" &
    baseline=$!
    pids+=("$baseline")
    wait_for "http://127.0.0.1:$((port + 1))/healthz"
    load "PyTorch + FastAPI" "http://127.0.0.1:$((port + 1))/v1/vote"
    echo "baseline peak RSS: $(peak "$baseline") MiB"
    kill "$baseline"
else
    echo "(baseline skipped: pip install torch fastapi uvicorn python-multipart pillow)"
fi

[ "$soak" -gt 0 ] || exit 0
echo
echo "soak: $soak s at 64 connections; quorum serve RSS every 10 s (MiB):"
wrk -t 2 -c 64 -d "${soak}s" -s "$work/post.lua" "http://127.0.0.1:$port/v1/vote" >"$work/soak.txt" &
soaker=$!
samples=()
for _ in $(seq 1 $((soak / 10))); do sleep 10; samples+=("$(rss "$server")"); done
wait "$soaker" || true
echo "${samples[*]}"
echo "soak: $(awk '/^Requests\/sec:/ {printf "%.0f images/s", $2}' "$work/soak.txt"); peak RSS $(peak "$server") MiB"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^quorum_serve_(images_voted_total|batch_size_images_(sum|count))'
