#!/usr/bin/env python3
"""Fails when an #include in libnn, kernels/ or apps/ reaches up a layer.

Usage: check_includes.py REPO_ROOT     check the repository, name each violation as file:line
       check_includes.py --self-test   check a made-up tree with one violation per rule

The layers, lowest first, and what a file in each may include:

  kernels   kernels/                          kernels/ only (a leaf; the per-element math and
                                              the CUDA launchers)
  backend   libnn/src/cpu, cuda, geometry,    kernels/, its own folder, geometry/, memory/ and
            memory                            the tensor vocabulary among the public headers
                                              (VOCABULARY below); never ops/ or the other backend
  core      libnn/src (the rest: tensors,     kernels/, the backends, core
            autograd, ops seam, nn, io),
            libnn/include/nn
  data      libnn/data, nn/data/*.hpp         anything below
  evaluation
            libnn/evaluation,                 anything below (data and core)
            nn/evaluation/*.hpp
  apps      apps/                             anything below

The installed headers (libnn/include) include only installed headers. tests/, bench/ and
examples/ are not layered. An #include resolves like the compilers do: the including
file's folder first, then the include roots; one that names no file of the repository is
a system or third-party header and is not checked, except a spelling nn/data/... (data
layer wherever it lives), nn/evaluation/... (evaluation layer) or nn/... (core).
"""
import re
import sys
import tempfile
from pathlib import Path

SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cu", ".cuh"}
LAYERED_DIRS = ["kernels", "libnn", "apps"]
# Searched in this order after the including file's folder; every folder named
# include under libnn/ joins them (the data layer may bring its own).
INCLUDE_ROOTS = ["libnn/include", "libnn/src", "kernels", "apps"]
BACKENDS = {"cpu", "cuda", "geometry", "memory"}
# The backends' view of the public headers: tensors, their dtypes and devices,
# errors, random draws, loss enums, the CPU and CUDA switches and CUDA memory
# statistics, but no op, module, optimiser or I/O above them.
VOCABULARY = {"nn/tensor.hpp", "nn/dtype.hpp", "nn/device.hpp", "nn/error.hpp", "nn/random.hpp", "nn/loss.hpp",
              "nn/cpu.hpp", "nn/cuda.hpp"}
RANK = {"kernels": 0, "backend": 1, "core": 2, "data": 3, "evaluation": 4, "apps": 5}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(path):
    """(layer, unit) of a repository-relative path; unit is the backend folder."""
    parts = path.split("/")
    if parts[0] == "kernels":
        return "kernels", None
    if parts[0] == "apps":
        return "apps", None
    if path.startswith("libnn/data/") or path.startswith("libnn/include/nn/data/"):
        return "data", None
    if path.startswith("libnn/evaluation/") or path.startswith("libnn/include/nn/evaluation/"):
        return "evaluation", None
    if path.startswith("libnn/src/") and len(parts) > 3 and parts[2] in BACKENDS:
        return "backend", parts[2]
    if parts[0] == "libnn":
        return "core", None
    return None, None


def include_roots(root):
    extra = sorted(p.relative_to(root).as_posix() for p in (root / "libnn").glob("**/include") if p.is_dir())
    return INCLUDE_ROOTS + [r for r in extra if r not in INCLUDE_ROOTS]


def resolve(root, roots, includer, spelled, quoted):
    """The repository-relative path an #include names, or None for a file outside the repository."""
    candidates = [(root / includer).parent / spelled] if quoted else []
    candidates += [root / r / spelled for r in roots]
    for c in candidates:
        if c.is_file():
            try:
                return c.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:  # a relative path climbing out of the repository
                return None
    return None


def target_layer(resolved, spelled):
    if spelled.startswith("nn/data/"):
        return "data", None
    if spelled.startswith("nn/evaluation/"):
        return "evaluation", None
    if resolved is None:
        return ("core", None) if spelled.startswith("nn/") else (None, None)
    layer, unit = layer_of(resolved)
    return (layer, unit) if layer else ("outside", None)


def why_not(includer, layer, unit, resolved, spelled, target, target_unit):
    """Why `includer` may not include the target, or None when it may."""
    if target == "outside":
        return "reaches outside the layered folders"
    if includer.startswith("libnn/include/") and resolved and not resolved.startswith("libnn/include/"):
        return "an installed header may include only installed headers"
    if layer == "kernels" and target != "kernels":
        return "kernels/ is a leaf and includes only kernels/ files"
    if layer == "backend" and target == "core":
        if resolved is None or not resolved.startswith("libnn/include/"):
            return "a backend may not include core (ops/, the tensor internals, nn/, io/)"
        if resolved.removeprefix("libnn/include/") not in VOCABULARY:
            return "a backend may include only the tensor vocabulary among the public headers"
        return None
    if layer == "backend" and target == "backend" and target_unit not in {unit, "geometry", "memory"}:
        return f"the {unit}/ backend may not include the {target_unit}/ backend"
    if RANK[target] > RANK[layer]:
        return f"{layer} may not include the higher {target} layer"
    return None


def check(root):
    """(violations, number of includes checked)."""
    roots = include_roots(root)
    violations, checked = [], 0
    for top in LAYERED_DIRS:
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            includer = path.relative_to(root).as_posix()
            layer, unit = layer_of(includer)
            if layer is None:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                spelled = m.group(2).strip()
                resolved = resolve(root, roots, includer, spelled, m.group(1) == '"')
                target, target_unit = target_layer(resolved, spelled)
                if target is None:
                    continue
                checked += 1
                reason = why_not(includer, layer, unit, resolved, spelled, target, target_unit)
                if reason:
                    names = f'"{spelled}"' + (f" ({resolved})" if resolved and resolved != spelled else "")
                    violations.append(f"{includer}:{number}: includes {names}: {reason}")
    return violations, checked


def self_test():
    """Every rule must catch its violation in a made-up tree, and a clean tree must pass."""
    files = {
        "kernels/math.hpp": '#include <cmath>\n#include "common.hpp"\n',
        "kernels/common.hpp": "",
        "libnn/include/nn/tensor.hpp": "",
        "libnn/include/nn/ops.hpp": '#include "nn/tensor.hpp"\n',
        "libnn/src/ops/checks.hpp": "",
        "libnn/src/cpu/fill.hpp": '#include "math.hpp"\n#include "nn/tensor.hpp"\n#include "geometry/g.hpp"\n',
        "libnn/src/geometry/g.hpp": "",
        "libnn/src/cuda/fill.cpp": '#include "cuda/backend.hpp"\n',
        "libnn/src/cuda/backend.hpp": "",
        "libnn/src/tensor.cpp": '#include "cpu/fill.hpp"\n#include "ops/checks.hpp"\n',
        "libnn/evaluation/src/metric.cpp": '#include "nn/evaluation/metric.hpp"\n#include "nn/data/loader.hpp"\n'
        '#include "nn/ops.hpp"\n',
        "libnn/evaluation/include/nn/evaluation/metric.hpp": '#include "nn/tensor.hpp"\n',
        "apps/app/main.cpp": '#include "nn/ops.hpp"\n#include "nn/data/loader.hpp"\n'
        '#include "nn/evaluation/metric.hpp"\n',
    }
    bad = {
        "kernels/bad.cu": ('#include "cuda/backend.hpp"\n', "kernels/bad.cu:1:"),
        "libnn/src/cpu/bad.cpp": ('#include "ops/checks.hpp"\n', "libnn/src/cpu/bad.cpp:1:"),
        "libnn/src/cpu/bad_ops.cpp": ('#include "nn/ops.hpp"\n', "libnn/src/cpu/bad_ops.cpp:1:"),
        "libnn/src/cuda/bad.cpp": ('#include <string>\n#include "cpu/fill.hpp"\n', "libnn/src/cuda/bad.cpp:2:"),
        "libnn/src/bad_data.cpp": ('#include "nn/data/loader.hpp"\n', "libnn/src/bad_data.cpp:1:"),
        "libnn/src/bad_app.cpp": ('#include "app/main.cpp"\n', "libnn/src/bad_app.cpp:1:"),
        "libnn/include/nn/bad.hpp": ('#include "ops/checks.hpp"\n', "libnn/include/nn/bad.hpp:1:"),
        "libnn/data/src/bad_evaluation.cpp": ('#include "nn/evaluation/metric.hpp"\n',
                                              "libnn/data/src/bad_evaluation.cpp:1:"),
        "libnn/src/bad_evaluation.cpp": ('#include "nn/evaluation/metric.hpp"\n', "libnn/src/bad_evaluation.cpp:1:"),
        "libnn/evaluation/src/bad_app.cpp": ('#include "app/main.cpp"\n', "libnn/evaluation/src/bad_app.cpp:1:"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        clean, _ = check(root)
        if clean:
            print("self-test: the clean tree was flagged:\n  " + "\n  ".join(clean))
            return 1
        for name, (text, _) in bad.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        found, _ = check(root)
    missed = [where for _, (_, where) in bad.items() if not any(v.startswith(where) for v in found)]
    if missed or len(found) != len(bad):
        print("self-test: missed " + ", ".join(missed) + "; reported:\n  " + "\n  ".join(found))
        return 1
    print(f"self-test: all {len(bad)} planted violations reported")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    violations, checked = check(Path(argv[1]))
    if checked == 0:
        print(f"no #include found under {argv[1]}: wrong repository root?")
        return 1
    for v in violations:
        print(v)
    print(f"{checked} includes checked, {len(violations)} reach up a layer")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
