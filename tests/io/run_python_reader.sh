#!/usr/bin/env bash
# Has libnn write a checkpoint, then reads it with Python's reference
# safetensors package. Exits 77 (CTest: skipped) when that Python or the
# package is not available.
# usage: run_python_reader.sh UNIT_TEST_BINARY PYTHON
set -euo pipefail
tests=$1
python=$2
if ! [ -x "$python" ] || ! "$python" -c "import safetensors, numpy" 2>/dev/null; then
  echo "skipped: $python cannot import safetensors and numpy (cmake/setup.sh test installs them)"
  exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
LIBNN_SAFETENSORS_OUT="$scratch/libnn.safetensors" "$tests" "a file for outside readers (LIBNN_SAFETENSORS_OUT)"
"$python" "$(dirname "${BASH_SOURCE[0]}")/read_with_python.py" "$scratch/libnn.safetensors"
