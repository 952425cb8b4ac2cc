#!/usr/bin/env bash
# Measures what a coordinator sends to ship the data set to WORKERS real workers, with and without a data URL
# (--data-url), and how long until the last worker has it. docs/scaling.md records the figures.
#
#   scripts/data_egress.sh              (as root: each worker runs in its own mount namespace)
#
# The coordinator trains on a copy of Fashion-MNIST that the workers cannot see (a tmpfs is mounted over it in
# each worker's namespace), so each must fetch it: from the coordinator in chunks, or from the URL. The
# coordinator's egress is its quorum_data_bytes_shipped_total metric. Settings (environment): QUORUM
# (default .build/release/quorum), WORKERS (default 8), OUT (default egress-runs; removed first).
set -euo pipefail
cd "$(dirname "$0")/.."
Q=$(readlink -f "${QUORUM:-.build/release/quorum}")
WORKERS=${WORKERS:-8}
OUT=${OUT:-egress-runs}
die() { echo "data_egress.sh: $*" >&2; exit 1; }
[ -x "$Q" ] || die "no executable $Q (swift build -c release)"
[ "$(id -u)" = 0 ] || die "run as root: workers need their own mount namespace (unshare -m)"
rm -rf "$OUT"
mkdir -p "$OUT/hidden/fashion-mnist" "$OUT/share"
OUT=$(readlink -f "$OUT")
cp /usr/share/datasets/fashion-mnist/* "$OUT/hidden/fashion-mnist/"
cp /usr/share/datasets/fashion-mnist/* "$OUT/share/"
python3 -m http.server --bind 127.0.0.1 --directory "$OUT/share" 8765 >/dev/null 2>&1 &
http=$!
trap 'kill $http 2>/dev/null || true' EXIT

# One run: the coordinator with extra flags "$2", WORKERS workers; prints one table row.
measure() {
    local label=$1 flags=$2 port=5700 metrics=9470 dir="$OUT/run-$1"
    # shellcheck disable=SC2086
    "$Q" coordinator --bind "tcp://127.0.0.1:$port" --data "$OUT/hidden/fashion-mnist" --members "$WORKERS" \
        --model "flatten dense(10)" --epochs 1 --train-limit 500 --test-limit 500 --validation-size 0 --quiet \
        --metrics "127.0.0.1:$metrics" --run-dir "$dir" $flags >"$OUT/coordinator-$label.log" 2>&1 &
    local coordinator=$! start
    sleep 3
    start=$(date +%s.%N)
    local pids=()
    for i in $(seq 1 "$WORKERS"); do
        unshare -m sh -c "mount -t tmpfs none '$OUT/hidden' && exec '$Q' worker \
            --connect tcp://127.0.0.1:$port --cache-dir '$OUT/cache-$label-$i' --name w$i" \
            >"$OUT/worker-$label-$i.log" 2>&1 &
        pids+=($!)
    done
    # The last worker has the data once every cache holds a checked copy (its SHA256SUMS is written last).
    local last=""
    while [ -z "$last" ]; do
        local have=0
        for i in $(seq 1 "$WORKERS"); do
            compgen -G "$OUT/cache-$label-$i/datasets/*/SHA256SUMS" >/dev/null && have=$((have + 1))
        done
        if [ "$have" = "$WORKERS" ]; then last=$(date +%s.%N); fi
        kill -0 "$coordinator" 2>/dev/null || break
        sleep 0.05
    done
    local shipped
    shipped=$(curl -s "http://127.0.0.1:$metrics/metrics" | awk '/^quorum_data_bytes_shipped_total / {print $2}')
    wait "$coordinator" || true
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    awk -v l="$label" -v n="$WORKERS" -v b="${shipped:-0}" -v s="$start" -v e="${last:-$start}" \
        'BEGIN { printf "| %s | %d | %.1f MB | %.1f s |\n", l, n, b / 1e6, e - s }'
}

echo "| data from | workers | coordinator egress (data) | until the last worker has it |"
echo "|---|---:|---:|---:|"
measure chunks ""
measure http "--data-url http://127.0.0.1:8765"
measure path "--data-url $OUT/share"
