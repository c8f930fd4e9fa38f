#!/usr/bin/env bash
# Times one DCGAN training step in libnn and in PyTorch back to back, in one
# run, so their ratio is measured under the same machine load.
# usage: bench/reference/compare_dcgan_step.sh BUILD_DIR [cpu|cuda] [ARCH] [STEPS]
#   ARCH    radford64, wlu128, or all for both (default)
#   PYTHON  the interpreter that has PyTorch (default /usr/bin/python3)
set -euo pipefail
build=${1:-build}
device=${2:-cpu}
arch=${3:-all}
steps=${4:-3}
here=$(dirname "${BASH_SOURCE[0]}")
python=${PYTHON:-/usr/bin/python3}
if [ "$arch" = all ]; then archs="radford64 wlu128"; else archs=$arch; fi
threads=${OMP_NUM_THREADS:-$(nproc)}
thread_settings=("$threads")
if [ "$device" = cpu ] && [ "$threads" -gt 1 ]; then thread_settings=(1 "$threads"); fi
for a in $archs; do
  "$build/bench/bench_dcgan_step" --benchmark_filter="dcgan_step/$a/$device" --benchmark_min_time=3 \
    --benchmark_repetitions=1
  # PyTorch runs with as many CPU threads as libnn's OpenMP (OMP_NUM_THREADS
  # when set, else every core) and, on the CPU, with one: on small machines
  # one thread can be its faster setting, which is the reference.
  for t in "${thread_settings[@]}"; do
    "$python" "$here/dcgan_step.py" --arch "$a" --device "$device" --steps "$steps" --threads "$t"
  done
done
