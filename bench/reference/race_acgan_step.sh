#!/usr/bin/env bash
# The AE-AC-GAN training step race: images/s of libnn's step
# (bench_acgan_step) and of PyTorch's (acgan_step.py), eager and under
# torch.compile, against batch size; a CSV (implementation, mode, precision,
# batch, images_per_s), a table with libnn's speed-up over each PyTorch row
# and an SVG plot (race_report.py). Both sides time wall-clock windows of
# steps after a warm-up, between device synchronisations, with the fastest
# cuDNN algorithms (libnn's acgan_step/cuda_fastest*, PyTorch's
# cudnn.benchmark).
#   On CUDA (libnn sees a GPU): batch 64, 256 and 512; libnn in fp32 and tf32
#   (it has no BF16 yet); PyTorch eager, then compiled in reduce-overhead and
#   max-autotune mode, each in fp32, tf32 and bf16 (torch.autocast).
#   On the CPU: batch 64, fp32, eager only.
# Each row is appended to the CSV once measured, the eager ones first, so a
# run stopped by the budget keeps what it measured; the report covers those.
# usage: bench/reference/race_acgan_step.sh BUILD_DIR [OUT_DIR] [BUDGET_SECONDS]
#   OUT_DIR         where race_acgan_step.csv and .svg go (default BUILD_DIR/race_acgan_step)
#   BUDGET_SECONDS  no run starts once this much time has passed, none outlives it (default 0: no limit)
#   PYTHON          the interpreter that has PyTorch (default /usr/bin/python3)
set -uo pipefail
build=$1
out=${2:-$build/race_acgan_step}
budget=${3:-0}
here=$(dirname "${BASH_SOURCE[0]}")
python=${PYTHON:-/usr/bin/python3}
bench="$build/bench/bench_acgan_step"
threads=${OMP_NUM_THREADS:-$(nproc)}
start=$(date +%s)
failures=0 unfinished=0
mkdir -p "$out"
csv="$out/race_acgan_step.csv"
echo "implementation,mode,precision,batch,images_per_s" >"$csv"

if "$bench" --benchmark_list_tests --benchmark_filter='^acgan_step/cuda/' 2>/dev/null | grep -q .; then
  device=cuda batches=(64 256 512) libnn_precisions=(fp32 tf32) torch_precisions=(fp32 tf32 bf16)
  compile_modes=(reduce-overhead max-autotune) steps=30 min_time=3
else
  device=cpu batches=(64) libnn_precisions=(fp32) torch_precisions=(fp32) compile_modes=() steps=3 min_time=1
fi
echo "race_acgan_step: $device, batch ${batches[*]}; libnn has no BF16 yet, its rows are ${libnn_precisions[*]} only"

# Runs "$@" within what is left of the budget; 125 when nothing is left.
limited() {
  if ((budget == 0)); then
    "$@"
    return
  fi
  local left=$((budget - ($(date +%s) - start)))
  ((left < 10)) && return 125
  timeout "$left" "$@"
}

# Counts a run that gave no figure: cut short or never started for the
# budget (timeout's 124, limited's 125), or failed.
outcome() {
  local status=$1 what=$2
  if ((budget > 0 && (status == 124 || status == 125))); then
    unfinished=$((unfinished + 1))
  else
    echo "race_acgan_step: $what failed (exit $status)"
    failures=$((failures + 1))
  fi
}

libnn_row() {
  local precision=$1 batch=$2 variant=cpu json
  [ "$device" = cuda ] && variant=cuda_fastest && [ "$precision" = tf32 ] && variant=cuda_fastest_tf32
  json=$(mktemp)
  limited "$bench" --benchmark_filter="^acgan_step/$variant/batch:$batch/" --benchmark_min_time="$min_time" \
    --benchmark_out="$json" --benchmark_out_format=json
  local status=$? rate
  if ((status == 0)); then
    rate=$("$python" -c 'import json, sys; print("%.1f" % json.load(open(sys.argv[1]))["benchmarks"][0]["images/s"])' \
      "$json") || status=$?
  fi
  rm -f "$json"
  if ((status == 0)); then
    echo "libnn,eager,$precision,$batch,$rate" >>"$csv"
  else
    outcome "$status" "libnn $precision batch $batch"
  fi
}

# A compiled run warms up longer: compilation, then CUDA-graph recording.
torch_row() {
  local mode=$1 precision=$2 batch=$3 warmup=1 output rate
  [ "$mode" != none ] && warmup=5
  output=$(limited "$python" "$here/acgan_step.py" --device "$device" --batch "$batch" --steps "$steps" \
    --warmup "$warmup" --threads "$threads" --fastest --compile "$mode" --precision "$precision" 2>&1)
  local status=$?
  [ -n "$output" ] && echo "$output"
  rate=$(sed -n 's/.*: \([0-9.]*\) images\/s.*/\1/p' <<<"$output")
  if ((status != 0)); then
    outcome "$status" "pytorch ${mode/none/eager} $precision batch $batch"
  elif [ -n "$rate" ]; then
    echo "pytorch,${mode/none/eager},$precision,$batch,$rate" >>"$csv"
  elif grep -q "torch.compile is not available" <<<"$output"; then
    return 3
  fi
}

for batch in "${batches[@]}"; do
  for precision in "${libnn_precisions[@]}"; do libnn_row "$precision" "$batch"; done
  for precision in "${torch_precisions[@]}"; do torch_row none "$precision" "$batch"; done
done
for mode in ${compile_modes[@]+"${compile_modes[@]}"}; do
  for batch in "${batches[@]}"; do
    for precision in "${torch_precisions[@]}"; do
      torch_row "$mode" "$precision" "$batch" || break 3  # no torch.compile: no compiled rows at all
    done
  done
done

"$python" "$here/race_report.py" "$csv" "$out/race_acgan_step.svg" \
  --title "AE-AC-GAN training step on $device: images/s against batch size" || failures=$((failures + 1))
echo "race_acgan_step: $(($(date +%s) - start)) s; $csv, $out/race_acgan_step.svg; $failures run(s) failed," \
  "$unfinished left unfinished by the budget"
((failures == 0))
