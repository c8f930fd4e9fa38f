#!/usr/bin/env bash
# Times every op of bench_ops in libnn and then in PyTorch (ops.py), in one
# run so both see the same machine load, and prints one table of the two side
# by side (ratio: libnn's time over PyTorch's). PyTorch gets as many CPU
# threads as libnn's OpenMP: OMP_NUM_THREADS when set, else every core.
# usage: bench/reference/compare_ops.sh BUILD_DIR [cpu|cuda] [FILTER_REGEX]
#   PYTHON  the interpreter that has PyTorch (default /usr/bin/python3)
set -euo pipefail
build=${1:-build}
device=${2:-cpu}
filter=${3:-.}
here=$(dirname "${BASH_SOURCE[0]}")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$build/bench/bench_ops" --benchmark_filter="($filter).*/$device/" --benchmark_out="$out" \
  --benchmark_out_format=json >&2
"${PYTHON:-/usr/bin/python3}" "$here/ops.py" --device "$device" --filter "$filter" --threads "${OMP_NUM_THREADS:-$(nproc)}" \
  --libnn "$out"
