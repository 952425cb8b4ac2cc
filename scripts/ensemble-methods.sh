#!/usr/bin/env bash
# The rows of docs/ensemble-methods.md: each ensemble method at equal compute (member-epochs), 3 seeds.
#
#   scripts/ensemble-methods.sh run [ROW ...]    train the rows (all by default); a finished row is kept
#   scripts/ensemble-methods.sh table            print the table and the size curves
#
# Environment: QUORUM (default .build/release/quorum), OUT (default ensemble-methods-runs), MODEL (default
# the small conv net of the docs), EPOCHS (an independent member's epochs, default 10: 5 members x 10 =
# 50 member-epochs), SEEDS (default "1 101 201": member i of a run trains with seed S + i), DATA_FLAGS
# (default: all 55,000 training images after the 5,000-image validation split). Rows: independent snapshot
# fge bootstrap subsample pool (selection's pool of 10 short members), then select and stacked, which read
# the pool and the independent runs. INIT (default he, the default when the rows were measured) is --init.
set -euo pipefail
QUORUM=${QUORUM:-.build/release/quorum}
OUT=${OUT:-ensemble-methods-runs}
MODEL=${MODEL:-"conv3x3(16) relu maxpool2 flatten dense(10)"}
EPOCHS=${EPOCHS:-10}
INIT=${INIT:-he}
SEEDS=${SEEDS:-"1 101 201"}
read -r -a data_flags <<< "${DATA_FLAGS:-}"
all_rows=(independent snapshot fge bootstrap subsample pool select stacked)

# The flags of each row: every row spends 5 x EPOCHS member-epochs.
row_flags() {
    case $1 in
        independent) echo "--members 5 --epochs $EPOCHS" ;;
        snapshot) echo "--members 1 --epochs $((5 * EPOCHS)) --snapshots 5" ;;
        fge) echo "--members 1 --epochs $((4 * EPOCHS)) --snapshots 5 --snapshot-style fge --cycle-epochs $((EPOCHS / 5))" ;;
        bootstrap) echo "--members 5 --epochs $EPOCHS --bootstrap" ;;
        subsample) echo "--members 5 --epochs $((EPOCHS * 5 / 4)) --subsample 0.8" ;;
        pool) echo "--members 10 --epochs $((EPOCHS / 2))" ;;
    esac
}

run_row() {
    local row=$1 seed=$2 dir=$OUT/$1-s$2
    case $row in
        select | stacked)
            local from=$OUT/pool-s$seed rule=(--size 5)
            [ "$row" = stacked ] && from=$OUT/independent-s$seed && rule=(--rule stacked)
            [ -f "$dir/ensemble.json" ] || "$QUORUM" ensemble select --ensemble "$from" "${rule[@]}" --out "$dir" ;;
        *)
            [ -f "$dir/summary.json" ] && return 0
            read -r -a flags <<< "$(row_flags "$row")"
            "$QUORUM" local --run-dir "$dir" --workers 2 --model "$MODEL" --init "$INIT" --seed "$seed" --quiet \
                "${data_flags[@]}" "${flags[@]}" > "$dir.log" 2>&1 || { echo "row $row seed $seed failed: $dir.log" >&2; return 1; } ;;
    esac
    [ -f "$dir.eval.json" ] || "$QUORUM" evaluate --ensemble "$dir" --json > "$dir.eval.json"
}

case ${1:-} in
    run)
        shift
        rows=("$@")
        [ ${#rows[@]} -gt 0 ] || rows=("${all_rows[@]}")
        mkdir -p "$OUT"
        for row in "${rows[@]}"; do
            for seed in $SEEDS; do
                echo "$(date +%T) $row seed $seed" >&2
                run_row "$row" "$seed"
            done
        done ;;
    table)
        python3 - "$OUT" "${all_rows[@]}" <<'PY'
import json, os, statistics, sys
out, rows = sys.argv[1], [r for r in sys.argv[2:] if r != "pool"]
def ms(xs):
    xs = [100 * x for x in xs]
    return f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs):.2f} %" if len(xs) > 1 else f"{xs[0]:.2f} %"
print("| method | seeds | vote | best member | mean member | oracle | disagreement | wall time |")
print("|---|---|---|---|---|---|---|---|")
curves = {}
for row in rows:
    evals = sorted(f for f in os.listdir(out) if f.startswith(row + "-s") and f.endswith(".eval.json"))
    if not evals:
        continue
    got = {k: [] for k in ("vote", "best", "mean", "oracle", "dis")}
    walls = []
    for f in evals:
        c = json.load(open(os.path.join(out, f)))["evaluation"]["comparison"]
        answer = c.get("answer_rule", "soft")
        got["vote"].append(next(v["accuracy"] for v in c["votes"] if v["rule"] == answer))
        got["best"].append(c["best_accuracy"]); got["mean"].append(c["mean_accuracy"])
        got["oracle"].append(c["oracle_accuracy"]); got["dis"].append(c["mean_disagreement"])
        summary = os.path.join(out, f[: -len(".eval.json")], "summary.json")
        if os.path.exists(summary):
            s = json.load(open(summary))
            walls.append(s.get("wall_seconds") or 0)
            curves.setdefault(row, []).append([p["soft_accuracy"] for p in s["size_curve"]])
    wall = f"{statistics.mean(walls):.0f} s" if walls else "–"
    print(f"| {row} | {len(evals)} | {ms(got['vote'])} | {ms(got['best'])} | {ms(got['mean'])} | "
          f"{ms(got['oracle'])} | {ms(got['dis'])} | {wall} |")
print()
print("soft vote of k members, mean over the subsets of size k, then mean ± std over the seeds")
for row in ("independent", "snapshot"):
    if row in curves:
        sizes = min(len(c) for c in curves[row])
        print(f"| {row} | " + " | ".join(ms([c[k] for c in curves[row]]) for k in range(sizes)) + " |")
PY
        ;;
    *) sed -n 2,12p "$0"; exit 2 ;;
esac
