#!/usr/bin/env bash
# Packs what cmake/gpu_check.sh runs from a release build with CUDA into one
# compressed archive, for a GPU machine that has the CUDA toolkit and cuDNN
# but not this machine's libraries: the stripped test, app and benchmark
# programs in the build's own layout, the shared libraries they need that
# are neither CUDA's nor the C library's (OpenBLAS, Google Benchmark, stb,
# the Fortran and OpenMP runtimes), and env.sh, which points the loader at
# them and at the GPU machine's cuBLAS and cuDNN.
# usage: cmake/gpu_bundle.sh BUILD_DIR ARCHIVE.tar.xz
# on the GPU machine:
#   mkdir DIR && tar -xJf ARCHIVE.tar.xz -C DIR && . DIR/env.sh && cmake/gpu_check.sh DIR OUT_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
archive=$2
programs=(tests/libnn_cuda_tests apps/acgan_celeba/acgan_celeba apps/dcgan/dcgan
  apps/celeba_autoencoders/celeba_autoencoders bench/bench_ops bench/bench_acgan_step
  bench/bench_dcgan_step bench/bench_autoencoder_step)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
for program in "${programs[@]}"; do
  mkdir -p "$stage/$(dirname "$program")"
  strip -o "$stage/$program" "$build/$program"
  ldd "$build/$program" | awk '$3 ~ /^\// {print $3}' |
    grep -vE '/(libcuda|libcudart|libcublas|libcublasLt|libcudnn[a-z_]*|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s)\.so' |
    xargs -r cp -Lu -t "$stage/lib"
done
cat >"$stage/env.sh" <<'EOF'
# Sourced on the GPU machine: the carried libraries, then CUDA's own and the
# cuDNN that comes with that machine's PyTorch.
bundle=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cuda_dirs=$(find /usr/local/cuda*/lib64 /usr/local/cuda*/lib /opt /usr/lib /usr/local/lib \
  \( -name 'libcudnn.so.9' -o -name 'libcublas.so.13' -o -name 'libcudart.so.13' \) 2>/dev/null |
  xargs -r -n1 dirname | awk '!seen[$0]++' | paste -sd:)
export LD_LIBRARY_PATH=$bundle/lib:$cuda_dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
[ -d /usr/local/cuda/bin ] && export PATH=$PATH:/usr/local/cuda/bin
EOF
tar -C "$stage" -cJf "$archive" .
echo "gpu_bundle: $archive, $(du -h "$archive" | cut -f1)"
