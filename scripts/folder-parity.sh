#!/usr/bin/env bash
# Accuracy parity of image folders with IDX files: Fashion-MNIST written as a PNG folder and as a JPEG
# (quality 95) folder trains cnn-a as the IDX files do, seed for seed (docs/data.md, "Accuracy parity").
#
#   scripts/folder-parity.sh run      export the folders if missing, train every (source, seed) without a log
#   scripts/folder-parity.sh table    print test accuracy per source and seed, the means and the gaps to IDX
#
# Environment: QUORUM (default .build/release/quorum), OUT (default parity-runs), SEEDS (default "1 2 3"),
# IDX (the Fashion-MNIST IDX folder; default Debian's dataset-fashion-mnist), JOBS (runs at once, default 2;
# each trains at 1 thread), NICE (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."

QUORUM=${QUORUM:-.build/release/quorum}
OUT=${OUT:-parity-runs}
SEEDS=${SEEDS:-1 2 3}
IDX=${IDX:-/usr/share/datasets/fashion-mnist}
JOBS=${JOBS:-2}
NICE=${NICE:-10}
SOURCES="idx png jpeg"
FLAGS="--model cnn-a --epochs 10 --threads 1 --quiet"

data_of() {
  case "$1" in
    idx) echo "$IDX" ;;
    *) echo "$OUT/$1" ;;
  esac
}

train_one() {
  local source=$1 seed=$2 log="$OUT/$1-s$2.log"
  if grep -q "^test accuracy" "$log" 2>/dev/null; then return; fi
  # shellcheck disable=SC2086
  nice -n "$NICE" "$QUORUM" train --data "$(data_of "$source")" $FLAGS --seed "$seed" \
    --out "$OUT/$source-s$seed.safetensors" > "$log" 2>&1
}

run() {
  mkdir -p "$OUT"
  for format in png jpeg; do
    if [[ ! -d "$OUT/$format/test" ]]; then
      echo "writing the $format folder" >&2
      python3 scripts/export_image_folder.py "$IDX" "$OUT/$format.partial" "$format"
      mv "$OUT/$format.partial" "$OUT/$format"
    fi
  done
  local running=0
  for seed in $SEEDS; do
    for source in $SOURCES; do
      train_one "$source" "$seed" &
      running=$((running + 1))
      if ((running >= JOBS)); then wait -n; running=$((running - 1)); fi
    done
  done
  wait
}

accuracy_of() {
  sed -n 's/^test accuracy: \([0-9.]*\) %.*/\1/p' "$OUT/$1-s$2.log" 2>/dev/null | tail -n 1
}

table() {
  echo "| source | $(for s in $SEEDS; do printf 'seed %s | ' "$s"; done)mean | mean − IDX |"
  echo "|---|$(for _ in $SEEDS; do printf -- '---|'; done)---|---|"
  local idx_mean=""
  for source in $SOURCES; do
    local values=() row="| $source |"
    for seed in $SEEDS; do
      local a; a=$(accuracy_of "$source" "$seed")
      row+=" ${a:-–} |"
      [[ -n "$a" ]] && values+=("$a")
    done
    local mean="–" gap="–"
    if ((${#values[@]} > 0)); then
      mean=$(printf '%s\n' "${values[@]}" | awk '{s += $1} END {printf "%.2f", s / NR}')
    fi
    if [[ $source == idx ]]; then idx_mean=$mean; elif [[ $mean != "–" && $idx_mean != "–" && -n $idx_mean ]]; then
      gap=$(awk -v a="$mean" -v b="$idx_mean" 'BEGIN {printf "%+.2f", a - b}')
    fi
    echo "$row $mean | $gap |"
  done
}

case "${1:-}" in
  run) run ;;
  table) table ;;
  *) echo "usage: $0 run|table" >&2; exit 2 ;;
esac
