#!/usr/bin/env bash
# Configures, builds and runs the add_subdirectory consumer against this
# checkout (CPU backend only, to keep the build short).
# usage: run.sh LIBNN_SOURCE_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
libnn_source=$1
source_dir=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake -S "$source_dir" -B "$scratch/build" -G Ninja -DLIBNN_SOURCE_DIR="$libnn_source" -DLIBNN_WITH_CUDA=OFF >/dev/null
cmake --build "$scratch/build" -j "$(nproc)" --target consumer >/dev/null
"$scratch/build/consumer"
