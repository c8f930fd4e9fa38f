#!/usr/bin/env bash
# One-command set-up for libnn on Debian:
#   cmake/setup.sh demo   install what is missing, build, run the main job
#   cmake/setup.sh test   install what is missing, build, run the whole suite
#                         (release build with CUDA compiled when a toolkit is
#                         present, then the CPU suite under ASan and UBSan)
#   cmake/setup.sh bench  also install Debian's PyTorch (python3-torch), build,
#                         and time libnn beside PyTorch: every op, then one
#                         training step of the main job (on CUDA too when a
#                         GPU is visible)
# Re-running is cheap: packages already present are not touched and the
# build directories are reused.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
jobs=$(nproc)

packages=(build-essential cmake ninja-build pkg-config catch2 libopenblas-dev libstb-dev
          libbenchmark-dev libcli11-dev python3-venv zlib1g-dev dataset-fashion-mnist)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "setup: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Python's safetensors reads libnn's checkpoints in the interoperability test;
# without network access the test is skipped, not failed.
python_reader_env() {
  local env="$root/build-pyenv"
  "$env/bin/python" -c "import safetensors, numpy" 2>/dev/null && return
  python3 -m venv "$env" && "$env/bin/pip" install -q safetensors numpy ||
    echo "setup: could not install safetensors and numpy; that test will be skipped"
}

# configure_and_build DIR TARGET [CMAKE_ARGS...]; TARGET "all" builds everything.
configure_and_build() {
  local dir=$1 target=$2
  shift 2
  cmake -S "$root" -B "$dir" -G Ninja "$@"
  cmake --build "$dir" -j "$jobs" --target "$target"
}

case "$mode" in
  bench)
    packages+=(python3-torch)
    install_missing
    configure_and_build "$root/build" all
    devices=(cpu)
    command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 && devices+=(cuda)
    for device in "${devices[@]}"; do
      "$root/bench/reference/compare_ops.sh" "$root/build" "$device"
      "$root/bench/reference/compare_acgan_step.sh" "$root/build" "$device" 5
      "$root/bench/reference/compare_dcgan_step.sh" "$root/build" "$device" all 3
      "$root/bench/reference/compare_autoencoder_step.sh" "$root/build" "$device" model1,model4 3
    done
    ;;
  demo)
    install_missing
    # Only the app and what it links: the tests and benchmarks wait for `test`.
    build_start=$SECONDS
    configure_and_build "$root/build" acgan_celeba
    echo "setup: configured and built acgan_celeba in $((SECONDS - build_start)) s"
    # The app refuses a folder that holds another run; an earlier demo run is
    # kept and a new one goes to the next free folder.
    out="$root/out/acgan_celeba"
    n=1
    while [ -e "$out/config.json" ]; do
      n=$((n + 1))
      out="$root/out/acgan_celeba-$n"
    done
    "$root/build/apps/acgan_celeba/acgan_celeba" --out "$out" "${@:2}"
    ;;
  test)
    install_missing
    start=$(date +%s)
    python_reader_env
    configure_and_build "$root/build" all
    ctest --test-dir "$root/build" --output-on-failure -j "$jobs"
    echo "setup: sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer)"
    configure_and_build "$root/build-sanitize" all -DLIBNN_WITH_CUDA=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLIBNN_SANITIZE=address,undefined
    # The learnability and judge tests train CNNs for minutes; the release
    # suite runs them.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir "$root/build-sanitize" --output-on-failure -j "$jobs" -L "unit|gradcheck|data|evaluation" \
        -E "small CNN learns|attribute judge and the generator evaluation"
    echo "setup: whole suite took $(( $(date +%s) - start )) s"
    ;;
  *)
    echo "usage: cmake/setup.sh demo|test|bench" >&2
    exit 2
    ;;
esac
