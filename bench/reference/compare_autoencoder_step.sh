#!/usr/bin/env bash
# Times one training step of the celeba_autoencoders models in libnn and in
# PyTorch back to back, in one run, so their ratio is measured under the same
# machine load, and prints libnn's images/s over PyTorch's for each model.
# usage: bench/reference/compare_autoencoder_step.sh BUILD_DIR [cpu|cuda] [MODELS] [STEPS]
#   MODELS  comma-separated model names, or all (default model1,model4)
#   PYTHON  the interpreter that has PyTorch (default /usr/bin/python3)
set -euo pipefail
build=${1:-build}
device=${2:-cpu}
models=${3:-model1,model4}
steps=${4:-3}
here=$(dirname "${BASH_SOURCE[0]}")
python=${PYTHON:-/usr/bin/python3}
# On the CPU PyTorch runs with one thread and with as many as libnn's OpenMP
# (OMP_NUM_THREADS when set, else every core), and its faster setting is the
# reference: on small machines one thread can beat two.
threads=${OMP_NUM_THREADS:-$(nproc)}
thread_settings=("$threads")
if [ "$device" = cpu ] && [ "$threads" -gt 1 ]; then thread_settings=(1 "$threads"); fi
if [ "$models" = all ]; then models=encoder1,encoder2,model1,model2,model3,model4; fi
json=$(mktemp)
trap 'rm -f "$json"' EXIT
for m in ${models//,/ }; do
  "$build/bench/bench_autoencoder_step" --models="$m" --benchmark_filter="autoencoder_step/$m/$device" \
    --benchmark_min_time=3 --benchmark_repetitions=1 --benchmark_out="$json" --benchmark_out_format=json
  # libnn's default run (not the cpu_direct one that the filter also matches).
  libnn=$("$python" -c 'import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
print(next((r["images/s"] for r in runs if "/" + sys.argv[2] + "/" in r["name"]), ""))' "$json" "$device")
  if [ -z "$libnn" ]; then
    echo "compare_autoencoder_step: no $device run of $m (no GPU visible?)" >&2
    exit 1
  fi
  pytorch=0
  for t in "${thread_settings[@]}"; do
    line=$("$python" "$here/autoencoder_step.py" --model "$m" --device "$device" --steps "$steps" --threads "$t")
    echo "$line"
    pytorch=$(awk -v best="$pytorch" -v now="$(sed -E 's/.*: ([0-9.]+) images\/s.*/\1/' <<<"$line")" \
      'BEGIN { print (now > best ? now : best) }')
  done
  awk -v m="$m" -v d="$device" -v a="$libnn" -v b="$pytorch" \
    'BEGIN { printf "%s %s: libnn %.1f images/s, pytorch (its faster setting) %.1f images/s, libnn/pytorch %.2f\n", m, d, a, b, a / b }'
done
