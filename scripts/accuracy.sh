#!/usr/bin/env bash
# Reproduces the ablation in docs/accuracy.md: one row per lever, three seeds each, one job at a time.
#
#   scripts/accuracy.sh run ROW...     train every seed of each row that has no log yet, then score it
#   scripts/accuracy.sh table          print the table of what has been measured so far
#   scripts/accuracy.sh rows           list the rows and their flags
#
# Environment: QUORUM (the binary; default .build/release/quorum), OUT (the folder for models, logs and
# ensembles; default accuracy-runs), SEEDS (default "1 2 3"), NICE (default 10).
# Each run trains at 1 thread; its log records the load average before and after, since img/s on a busy
# machine is noisy. After training, each model is scored without and with test-time augmentation (as a
# one-member ensemble), and the row's seeds together as an ensemble (hard and soft vote).
set -euo pipefail

QUORUM=${QUORUM:-.build/release/quorum}
OUT=${OUT:-accuracy-runs}
SEEDS=${SEEDS:-1 2 3}
NICE=${NICE:-10}

# The rows name every flag whose default has changed since they were measured: cnn-a rows the first recipe,
# and all rows the initialisation (He then, PyTorch's now).
CNNA_ADAM="--model cnn-a --optimizer adam --lr 1e-3 --schedule constant --warmup 0 --label-smoothing 0 --tta none --init he"
CNNC_ADAMW="--model cnn-c --optimizer adamw --lr 2e-3 --label-smoothing 0.1 --augment hflip,crop=2 --init he"

# The flags of each row (besides --seed, --threads and --out).
row_flags() {
  case "$1" in
    cnna-he)              echo "$CNNA_ADAM --augment hflip,crop=2" ;;
    cnna-pytorch)         echo "${CNNA_ADAM/--init he/--init pytorch} --augment hflip,crop=2" ;;
    # PyTorch's reference trains on all 60,000 images; by default 5,000 are held out for validation here.
    cnna-he-all)          echo "$CNNA_ADAM --augment hflip,crop=2 --validation-size 0" ;;
    cnna-pytorch-all)     echo "${CNNA_ADAM/--init he/--init pytorch} --augment hflip,crop=2 --validation-size 0" ;;
    # Without augmentation, as PyTorch's reference table's first row.
    cnna-noaug-he-all)    echo "$CNNA_ADAM --augment none --validation-size 0" ;;
    cnna-noaug-pytorch-all) echo "${CNNA_ADAM/--init he/--init pytorch} --augment none --validation-size 0" ;;
    cnnc-cosine)          echo "$CNNC_ADAMW --schedule cosine --warmup 1" ;;
    cnnc-cosine-pytorch)  echo "${CNNC_ADAMW/--init he/--init pytorch} --schedule cosine --warmup 1" ;;
    cnnc-cosine-nols)     echo "${CNNC_ADAMW/--label-smoothing 0.1/--label-smoothing 0} --schedule cosine --warmup 1" ;;
    cnnc-cosine-ema)      echo "$CNNC_ADAMW --schedule cosine --warmup 1 --ema 0.999" ;;
    cnnc-onecycle)        echo "$CNNC_ADAMW --schedule onecycle" ;;
    cnnc-onecycle-ema)    echo "$CNNC_ADAMW --schedule onecycle --ema 0.999" ;;
    cnnc-onecycle-ema-lr4) echo "${CNNC_ADAMW/--lr 2e-3/--lr 4e-3} --schedule onecycle --ema 0.999" ;;
    cnnc-sgd-onecycle-ema) echo "--model cnn-c --optimizer sgd --lr 0.05 --momentum 0.9 --nesterov --weight-decay 5e-4 --label-smoothing 0.1 --augment hflip,crop=2 --schedule onecycle --ema 0.999 --init he" ;;
    *) echo "unknown row '$1'; see: $0 rows" >&2; return 1 ;;
  esac
}
ROWS="cnna-he cnna-pytorch cnna-he-all cnna-pytorch-all cnna-noaug-he-all cnna-noaug-pytorch-all cnnc-cosine cnnc-cosine-pytorch cnnc-cosine-nols cnnc-cosine-ema cnnc-onecycle cnnc-onecycle-ema cnnc-onecycle-ema-lr4 cnnc-sgd-onecycle-ema"

# Trains one seed of one row (skipped when its log already ends with a test accuracy).
train() {
  local row=$1 seed=$2 log="$OUT/$1-s$2.log"
  if grep -q "^test accuracy" "$log" 2>/dev/null; then return; fi
  # shellcheck disable=SC2046
  { echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command: quorum train $(row_flags "$row") --seed $seed --threads 1"
    nice -n "$NICE" "$QUORUM" train $(row_flags "$row") --seed "$seed" --threads 1 --quiet \
      --out "$OUT/$row-s$seed.safetensors"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"; } > "$log" 2>&1
}

# Scores the seeds of a row together as one ensemble, without and with test-time augmentation: the
# evaluation lists each member's accuracy and the votes.
score() {
  local row=$1 tta models=()
  for seed in $SEEDS; do
    [[ -f "$OUT/$row-s$seed.safetensors" ]] && models+=("$OUT/$row-s$seed.safetensors")
  done
  [[ ${#models[@]} -gt 0 ]] || return 0
  for tta in none flip; do
    local dir="$OUT/ens/$row-$tta"
    if [[ -f "$dir/eval.json" ]] && grep -q "\"members\" : ${#models[@]}\b" "$dir/count" 2>/dev/null; then continue; fi
    rm -rf "$dir"
    "$QUORUM" ensemble create --members "${models[@]}" --out "$dir" --tta "$tta" > /dev/null
    nice -n "$NICE" "$QUORUM" evaluate --ensemble "$dir" --threads 1 --json > "$dir/eval.json"
    echo "\"members\" : ${#models[@]}" > "$dir/count"
  done
}

table() {
  python3 - "$OUT" $ROWS <<'PY'
import json, os, re, statistics, sys
out, rows = sys.argv[1], sys.argv[2:]
def ms(xs):
    if not xs: return "–"
    return f"{statistics.mean(xs)*100:.2f} ± {statistics.stdev(xs)*100:.2f}" if len(xs) > 1 else f"{xs[0]*100:.2f}"
def comparison(row, tta):
    path = os.path.join(out, "ens", f"{row}-{tta}", "eval.json")
    return json.load(open(path))["evaluation"]["comparison"] if os.path.exists(path) else None
def members(row, tta):
    c = comparison(row, tta)
    return [m["test_accuracy"] for m in c["members"]] if c else []
def vote(row, tta):
    c = comparison(row, tta)
    return {v["rule"]: v["accuracy"] for v in c["votes"]} if c and len(c["members"]) > 1 else {}
print("| row | seeds | member | member, TTA flip | soft vote | hard vote | soft vote, TTA flip | train s | img/s | load |")
print("|---|---|---|---|---|---|---|---|---|---|")
for row in rows:
    logs = [f for f in os.listdir(out) if re.fullmatch(re.escape(row) + r"-s\d+\.log", f)] if os.path.isdir(out) else []
    secs, rates, loads = [], [], []
    for f in logs:
        t = open(os.path.join(out, f)).read()
        m = re.search(r"trained \d+ epochs in ([\d.]+) s, (\d+) img/s", t)
        if m: secs.append(float(m.group(1))); rates.append(float(m.group(2)))
        l = re.search(r"load before: ([\d.]+)", t)
        if l and m: loads.append(float(l.group(1)))
    if not secs: continue
    load = f"{statistics.mean(loads):.1f}" if loads else "–"
    plain, flip, v, vf = members(row, "none"), members(row, "flip"), vote(row, "none"), vote(row, "flip")
    f = lambda x: f"{x*100:.2f}" if x is not None else "–"
    print(f"| {row} | {len(secs)} | {ms(plain)} | {ms(flip)} | {f(v.get('soft'))} | {f(v.get('hard'))} | {f(vf.get('soft'))} "
          f"| {statistics.mean(secs):.0f} | {statistics.mean(rates):.0f} | {load} |")
PY
}

case "${1:-}" in
  run)
    shift
    mkdir -p "$OUT"
    for row in "$@"; do
      row_flags "$row" > /dev/null
      for seed in $SEEDS; do train "$row" "$seed"; done
      score "$row"
    done ;;
  table) table ;;
  rows) for row in $ROWS; do echo "$row: $(row_flags "$row")"; done ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
