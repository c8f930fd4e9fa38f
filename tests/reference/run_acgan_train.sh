#!/usr/bin/env bash
# The PyTorch reference recipe (bench/reference/acgan_train.py) trains 3 steps
# on a tiny image cache made by acgan_celeba, and the app then generates and
# reconstructs faces from the checkpoint it wrote; check_reconstruction.py
# compares PyTorch's G(E(x)) with the app's on those weights. Exits 77 (CTest:
# skipped) when PYTHON cannot import torch and numpy.
# usage: run_acgan_train.sh ACGAN_CELEBA PYTHON REFERENCE_DIR
set -euo pipefail
app=$1
python=$2
reference=$3
if ! "$python" -c "import torch, numpy" 2>/dev/null; then
  echo "skipped: $python cannot import torch and numpy"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
# One libnn step makes the cache (80 training faces) and a config.json at batch 8.
"$app" --steps 1 --synthetic-count 100 --batch 8 --eval-every 0 --out "$scratch/libnn" --cache "$scratch/cache" --device cpu >/dev/null
cache="$scratch/cache/synthetic_100_train_1.000000_face64_area.cache"
"$python" "$reference/acgan_train.py" --config "$scratch/libnn/config.json" --cache-file "$cache" --steps 3 \
  --out "$scratch/torch" --threads "$OMP_NUM_THREADS"
test "$(wc -l < "$scratch/torch/losses.csv")" -eq 4
"$app" --generate "$scratch/torch/checkpoint_last.safetensors" --attr Male --attr Smiling,Eyeglasses --samples 4 \
  --out "$scratch/generated" --device cpu
test -s "$scratch/generated/generated.png"
"$python" "$reference/check_reconstruction.py" --app "$app" --checkpoint "$scratch/torch/checkpoint_last.safetensors" \
  --cache-file "$cache" --count 4
