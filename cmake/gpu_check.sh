#!/usr/bin/env bash
# Everything a GPU session checks, in one command that fits a short lease.
# Correctness first, so a lease that runs out still covers the paths that
# never ran on a GPU: the CUDA test cases, the three apps on CUDA (and the
# main job's run-to-run and resume reproducibility), compute-sanitizer's
# memcheck; then the benchmarks beside PyTorch (the step race first), then
# racecheck and initcheck. Each stage writes its log to OUT_DIR and gets what
# is left of a total time budget, so a slow stage cannot starve the report.
# Leaks are the test runner's own check (every block back, every segment
# freed); memcheck looks for bad accesses, since cuBLAS's handle lives to exit.
# usage: cmake/gpu_check.sh BUILD_DIR OUT_DIR [BUDGET_SECONDS]
#   BUILD_DIR  a release build with CUDA (tests/, bench/, apps/ inside)
#   PYTHON     the interpreter that has PyTorch (default python3)
set -uo pipefail
build=$(cd "$1" && pwd)
out=$2
budget=${3:-540}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
start=$(date +%s)
mkdir -p "$out"

# Runs "$@" for at most CAP seconds or what is left of the budget, logging
# the command, its exit status and its time to LOG.
stage() {
  local log=$1 cap=$2
  shift 2
  local left=$((budget - ($(date +%s) - start)))
  ((left < cap)) && cap=$left
  if ((cap < 10)); then
    echo "== skipped (budget spent): $*" >>"$log"
    return
  fi
  echo "== $* (limit ${cap} s)" >>"$log"
  local t0=$(date +%s)
  timeout "$cap" "$@" >>"$log" 2>&1
  echo "== exit $? after $(($(date +%s) - t0)) s" >>"$log"
}

{
  date -u
  nvidia-smi
  ldd "$build/tests/libnn_cuda_tests" | grep -E "not found|cud|blas"
} >"$out/tests.log" 2>&1

stage "$out/tests.log" 120 "$build/tests/libnn_cuda_tests" --durations yes

run_dir=$(mktemp -d)
stage "$out/app.log" 120 "$build/apps/acgan_celeba/acgan_celeba" --device cuda --out "$run_dir/run" \
  --cache "$run_dir/cache"
tar -C "$run_dir/run" -cf "$out/app_run.tar" --exclude='*.safetensors' . 2>>"$out/app.log"
# Two fresh runs and one stopped and resumed halfway must log the same losses
# bit for bit (deterministic algorithms are the default); a short warm-up so
# that the GAN sub-steps (the code bank, E reading G's images) run too.
stage "$out/app.log" 90 bash -c 'app=$1 dir=$2
  "$app" --device cuda --steps 60 --ae-warmup 20 --out "$dir/a" --cache "$dir/cache" >/dev/null &&
  "$app" --device cuda --steps 60 --ae-warmup 20 --out "$dir/b" --cache "$dir/cache" >/dev/null &&
  "$app" --device cuda --steps 30 --ae-warmup 20 --out "$dir/c" --cache "$dir/cache" >/dev/null &&
  "$app" --device cuda --steps 60 --out "$dir/c" --cache "$dir/cache" \
    --resume "$dir/c/checkpoint_last.safetensors" >/dev/null &&
  cmp "$dir/a/losses.csv" "$dir/b/losses.csv" && cmp "$dir/a/losses.csv" "$dir/c/losses.csv" &&
  echo "reproducible: two fresh runs and a resumed one logged identical losses"' _ \
  "$build/apps/acgan_celeba/acgan_celeba" "$run_dir"
# The main job's other modes on CUDA, from the quick run's checkpoint, and
# the recipe options the presets leave off, a few steps each.
stage "$out/app.log" 90 bash -c 'app=$1 dir=$2 faces=$2/cache/synthetic_faces_3000/img_align_celeba
  ck=$dir/run/checkpoint_last.safetensors
  "$app" --device cuda --generate "$ck" --attr Male --attr Eyeglasses --out "$dir/generate" &&
  "$app" --device cuda --reconstruct "$ck" --images "$faces/000001.jpg,$faces/000002.jpg" --out "$dir/reconstruct" &&
  "$app" --device cuda --evaluate "$ck" --cache "$dir/cache" --out "$dir/evaluate" | tail -4 &&
  "$app" --device cuda --steps 40 --ae-warmup 20 --eval-every 0 --z encoder --fake-labels train-flip \
    --d-fake-y-weight 0.5 --ae-z-noise 0.1 --g-read-z-weight 1 --out "$dir/options_a" --cache "$dir/cache" &&
  "$app" --device cuda --steps 40 --ae-warmup 20 --eval-every 0 --fake-labels code-flip --ae-y labels \
    --g-average 0.99 --out "$dir/options_b" --cache "$dir/cache"' _ \
  "$build/apps/acgan_celeba/acgan_celeba" "$run_dir"
# The three DCGANs' steps on CUDA, a few each (the tutorial28 D's batch norm
# keeps batch statistics in eval mode); tutorial28 also trains its judge and
# scores its generator on CUDA at the end.
for arch in radford64 wlu128 tutorial28; do
  evaluation=(--eval-every 0)
  [ "$arch" = tutorial28 ] && evaluation=()
  stage "$out/app.log" 60 "$build/apps/dcgan/dcgan" --device cuda --arch "$arch" --steps 30 \
    ${evaluation[@]+"${evaluation[@]}"} --out "$run_dir/dcgan_$arch" --cache "$run_dir/cache"
done
# celeba_autoencoders' six models on CUDA, a few steps each on the 3,000
# faces the other apps drew; model1 and model3 start from the encoders
# trained just before them; model2 also scores its sampled faces at the end.
autoencoders="$build/apps/celeba_autoencoders/celeba_autoencoders"
for model in encoder1 encoder2 model2 model4 model1:encoder1 model3:encoder2; do
  encoder=() evaluation=(--eval-every 0)
  [[ $model == *:* ]] && encoder=(--encoder "$run_dir/ae_${model#*:}/checkpoint_last.safetensors")
  [ "$model" = model2 ] && evaluation=()
  stage "$out/app.log" 45 "$autoencoders" --device cuda --model "${model%%:*}" ${encoder[@]+"${encoder[@]}"} \
    --synthetic-count 3000 --batch 8 --steps 30 ${evaluation[@]+"${evaluation[@]}"} --out "$run_dir/ae_${model%%:*}" \
    --cache "$run_dir/cache"
done

stage "$out/sanitizer.log" 150 compute-sanitizer --tool memcheck --error-exitcode 3 \
  "$build/tests/libnn_cuda_tests" "[parity]"

# The step race (batch 64/256/512, PyTorch eager and compiled, TF32 and
# BF16): eager rows first, then as many compiled ones as its budget allows;
# CSV, table and SVG in OUT_DIR/race.
stage "$out/bench.log" 160 env PYTHON="$python" "$here/bench/reference/race_acgan_step.sh" "$build" "$out/race" 150
stage "$out/bench.log" 90 env PYTHON="$python" "$here/bench/reference/compare_acgan_step.sh" "$build" cuda 20
stage "$out/bench.log" 90 env PYTHON="$python" "$here/bench/reference/compare_dcgan_step.sh" "$build" cuda all 10
stage "$out/bench.log" 60 env PYTHON="$python" "$here/bench/reference/compare_autoencoder_step.sh" "$build" cuda model1,model4 10
stage "$out/bench.log" 150 env PYTHON="$python" "$here/bench/reference/compare_ops.sh" "$build" cuda

stage "$out/sanitizer.log" 120 compute-sanitizer --tool racecheck --error-exitcode 3 \
  "$build/tests/libnn_cuda_tests" "[reduce],[pool],[batch_norm],[loss],[optim]"
stage "$out/sanitizer.log" 120 compute-sanitizer --tool initcheck --error-exitcode 3 \
  "$build/tests/libnn_cuda_tests" "[activation],[concat],[random],[elementwise]"

echo "gpu_check: $(($(date +%s) - start)) s; logs in $out"
grep -E "^== |^test cases|^All tests|ERROR SUMMARY|RACECHECK SUMMARY|^reproducible|differ|^race_acgan_step: [0-9]" "$out"/*.log
