#!/usr/bin/env bash
# Times one AE-AC-GAN training step at batch 64 in libnn and in PyTorch back
# to back, in one run, so their ratio is measured under the same machine
# load. Both report wall-clock time over a window of steps between two device
# synchronisations. race_acgan_step.sh runs the larger batches, TF32, BF16
# and torch.compile.
# usage: bench/reference/compare_acgan_step.sh BUILD_DIR [cpu|cuda] [STEPS]
#   PYTHON  the interpreter that has PyTorch (default /usr/bin/python3)
set -euo pipefail
build=${1:-build}
device=${2:-cpu}
steps=${3:-10}
here=$(dirname "${BASH_SOURCE[0]}")
"$build/bench/bench_acgan_step" --benchmark_filter="^acgan_step/${device}(_direct|_fastest)?/batch:64/" \
  --benchmark_min_time=6 --benchmark_repetitions=1
# PyTorch gets as many CPU threads as libnn's OpenMP (OMP_NUM_THREADS when
# set, else every core; Debian's build would otherwise use one) and, on the
# CPU, one: on small machines one thread can be its faster setting, which is
# the reference.
python=${PYTHON:-/usr/bin/python3}
threads=${OMP_NUM_THREADS:-$(nproc)}
thread_settings=("$threads")
if [ "$device" = cpu ] && [ "$threads" -gt 1 ]; then thread_settings=(1 "$threads"); fi
for t in "${thread_settings[@]}"; do
  "$python" "$here/acgan_step.py" --device "$device" --steps "$steps" --threads "$t"
done
# On CUDA also the fastest cuDNN algorithms, beside libnn's acgan_step/cuda_fastest.
if [ "$device" = cuda ]; then
  "$python" "$here/acgan_step.py" --device cuda --steps "$steps" --threads "$threads" --fastest
fi
