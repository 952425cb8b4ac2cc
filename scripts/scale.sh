#!/usr/bin/env bash
# Measures a coordinator at scale on one machine: simulated workers (quorum loadtest) against a real
# `quorum coordinator`, at several worker counts, then the end-of-run vote and resume of a large run.
# docs/scaling.md records the figures and explains each one.
#
#   scripts/scale.sh                      every size in SIZES, then the vote and resume measurements
#   SIZES="10 100" scripts/scale.sh       some sizes only
#
# Settings (environment):
#   QUORUM        the executable (default .build/release/quorum; build it with swift build -c release)
#   SIZES         worker counts (default "10 100 500 1000")
#   MEMBERS       members per worker (default 3: three rounds of jobs, so the middle one is steady state)
#   JOB_SECONDS   seconds from a job to its result (default 20)
#   TEST_ROWS     test images each result scores (default 1000)
#   VANISH        share of workers that vanish mid-job, for the re-queue time (default 0.01, at least one)
#   VOTE_MEMBERS  members of the vote measurement (default 1000), each over VOTE_ROWS test images (10000)
#   OUT           where run directories and raw figures go (default scale-runs; removed first)
set -euo pipefail
cd "$(dirname "$0")/.."

Q=${QUORUM:-.build/release/quorum}
SIZES=${SIZES:-"10 100 500 1000"}
MEMBERS=${MEMBERS:-3}
JOB_SECONDS=${JOB_SECONDS:-20}
TEST_ROWS=${TEST_ROWS:-1000}
VANISH=${VANISH:-0.01}
VOTE_MEMBERS=${VOTE_MEMBERS:-1000}
VOTE_ROWS=${VOTE_ROWS:-10000}
OUT=${OUT:-scale-runs}
PORT=${PORT:-5591}
MODEL_ARGS=(--model "flatten dense(10)" --epochs 1 --train-limit 500 --validation-size 0 --batch-size 100)

die() { echo "scale.sh: $*" >&2; exit 1; }
[ -x "$Q" ] || die "no executable $Q (swift build -c release)"
[ -d /usr/share/datasets/fashion-mnist ] || die "Fashion-MNIST is missing (Debian package dataset-fashion-mnist)"
rm -rf "$OUT"
mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) on $(nproc) cores; lscpu in $OUT/lscpu.txt"
lscpu >"$OUT/lscpu.txt"

# Samples a process's CPU ticks (utime + stime) and VmHWM once a second until it exits: "ticks hwm_kb".
sample() {
    local pid=$1 file=$2
    while [ -r "/proc/$pid/stat" ]; do
        local ticks hwm
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || break
        hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
        echo "$ticks $hwm" >>"$file"
        sleep 1
    done
}

# One size: a coordinator with N x MEMBERS members and N simulated workers. Prints one table row.
measure() {
    local n=$1 m=$(($1 * MEMBERS)) dir="$OUT/n$1" port=$((PORT + $1 % 1000))
    local vanish
    vanish=$(awk -v n="$n" -v s="$VANISH" 'BEGIN { v = s; if (v * n < 1) v = 1 / n; print v }')
    "$Q" coordinator --bind "tcp://127.0.0.1:$port" --members "$m" "${MODEL_ARGS[@]}" --test-limit "$TEST_ROWS" \
        --quiet --run-dir "$dir" >"$OUT/coordinator-$n.log" 2>&1 &
    local coordinator=$!
    sample "$coordinator" "$OUT/samples-$n.txt" &
    local sampler=$!
    sleep 2
    local start
    start=$(date +%s.%N)
    "$Q" loadtest --connect "tcp://127.0.0.1:$port" --workers "$n" --job-seconds "$JOB_SECONDS" \
        --result-rows "$TEST_ROWS" --vanish-share "$vanish" --json >"$OUT/loadtest-$n.json" 2>"$OUT/loadtest-$n.log" || true
    wait "$coordinator" || true
    wait "$sampler" 2>/dev/null || true
    local wall
    wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    python3 - "$n" "$m" "$dir" "$OUT/samples-$n.txt" "$OUT/loadtest-$n.json" "$wall" "$JOB_SECONDS" \
        "$OUT/coordinator-$n.log" <<'EOF'
import json, os, re, sys
n, m, run_dir, samples, report, wall, job, log = sys.argv[1:9]
n, m, wall, job = int(n), int(m), float(wall), float(job)
hz = os.sysconf("SC_CLK_TCK")
rows = [tuple(map(int, line.split())) for line in open(samples) if len(line.split()) == 2]
ticks = [r[0] for r in rows]
cpu = ticks[-1] / hz if ticks else 0
# Steady state: the first round of jobs, every worker connected and busy, heartbeats and PROGRESS flowing and
# no result yet (the rounds' results come in bursts, costed separately below).
per_second = [(b - a) / hz for a, b in zip(ticks, ticks[1:])]
mid = per_second[3:int(job) - 1] or per_second
steady = sorted(mid)[len(mid) // 2] if mid else 0
peak = max(r[1] for r in rows) / 1024 if rows else 0
r = json.load(open(report))
# At steady state: the coordinator's CPU seconds per second over the messages per second it handled.
rate = 3 * n  # per second and worker: a heartbeat each way and a PROGRESS
# Each result's share of the CPU: what the run took beyond start-up (the first second) and the steady load.
per_result = (cpu - per_second[0] - steady * (len(per_second) - 1)) / max(m, 1) if per_second else 0
# The coordinator's expiries: "silent for X s: expired". The vanished workers' X is the re-queue time after
# their last message; any other expiry is a live worker expired.
silences = [float(x) for x in re.findall(r"silent for ([0-9.]+) s: expired", open(log).read())]
expired_live = max(0, len(silences) - r["vanished"]) + r["silent_reconnects"]
journal = os.path.getsize(os.path.join(run_dir, "journal.jsonl")) if os.path.exists(os.path.join(run_dir, "journal.jsonl")) else 0
stored = len([f for f in os.listdir(os.path.join(run_dir, "predictions"))]) if os.path.isdir(os.path.join(run_dir, "predictions")) else 0
handout = max(r["requeue_seconds"]) if r["requeue_seconds"] else float("nan")
requeue = max(silences) if silences else float("nan")
print(f"| {n} | {m} | {stored} | {r['results_sent'] / r['seconds']:.1f} | {steady * 100:.1f} % | "
      f"{steady / max(rate, 1e-9) * 1e6:.0f} µs ({rate:.0f}/s) | {per_result * 1e3:.1f} ms | {peak:.0f} MB | "
      f"{r['longest_coordinator_silence']:.2f} s | {expired_live} | {requeue:.1f} s / {handout:.1f} s | "
      f"{journal / 1024:.0f} KiB | {cpu:.1f} s / {wall:.0f} s |")
EOF
}

echo
echo "| workers | members | stored | jobs/s | CPU at steady state | CPU per message (rate) | CPU per result |" \
    "peak RSS | longest silence | live workers expired | re-queue / re-handout | journal | CPU / wall |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do measure "$n"; done

# The end-of-run vote: VOTE_MEMBERS members over VOTE_ROWS test images, trained by as many simulated workers,
# then voted again by `quorum report` (the same summary step) under /usr/bin/time.
vote_dir="$OUT/vote"
"$Q" coordinator --bind "tcp://127.0.0.1:$((PORT + 999))" --members "$VOTE_MEMBERS" "${MODEL_ARGS[@]}" \
    --test-limit "$VOTE_ROWS" --quiet --run-dir "$vote_dir" >"$OUT/coordinator-vote.log" 2>&1 &
coordinator=$!
sleep 2
"$Q" loadtest --connect "tcp://127.0.0.1:$((PORT + 999))" --workers "$VOTE_MEMBERS" --job-seconds 5 \
    --result-rows "$VOTE_ROWS" --json >"$OUT/loadtest-vote.json" 2>"$OUT/loadtest-vote.log" || true
wait "$coordinator" || true
echo
/usr/bin/time -f "vote of $VOTE_MEMBERS members over $VOTE_ROWS test images (quorum report): %e s, peak RSS %M KB" \
    "$Q" report "$vote_dir" >/dev/null
echo "run directory: $(du -sh "$vote_dir" | cut -f1), journal $(du -h "$vote_dir/journal.jsonl" | cut -f1)," \
    "$(ls "$vote_dir/members" | wc -l) files in members/, $(ls "$vote_dir/predictions" | wc -l) in predictions/"

# Resume at scale: the same run with one member's predictions gone, resumed. The time is from the start of
# `quorum coordinator --resume` to its listening line (plan, journal, every member's files checked, data
# loaded and hashed); one simulated worker then trains the missing member and the run is voted again.
victim=$(find "$vote_dir/predictions" -name '*.safetensors' -print -quit)
rm -f "$victim"
port=$((PORT + 998))
start=$(date +%s.%N)
"$Q" coordinator --bind "tcp://127.0.0.1:$port" --resume "$vote_dir" >"$OUT/coordinator-resume.log" 2>&1 &
coordinator=$!
until grep -q "listening on" "$OUT/coordinator-resume.log" 2>/dev/null; do
    kill -0 "$coordinator" 2>/dev/null || die "the resumed coordinator exited: $(tail -n 3 "$OUT/coordinator-resume.log")"
    sleep 0.02
done
resumed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
"$Q" loadtest --connect "tcp://127.0.0.1:$port" --workers 1 --job-seconds 0 --json >/dev/null 2>&1 || true
wait "$coordinator" || true
echo "resume of $VOTE_MEMBERS members with $((VOTE_MEMBERS - 1)) stored, to listening: $resumed s" \
    "($(ls "$vote_dir/predictions" | wc -l) members stored after it)"
