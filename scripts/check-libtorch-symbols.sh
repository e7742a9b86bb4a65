#!/usr/bin/env bash
# Compares what TorchSharp's native library needs from LibTorch with what a LibTorch folder exports.
#
#   scripts/check-libtorch-symbols.sh LIBLIBTORCHSHARP_SO TORCH_LIB_DIR [LABEL]
#
# Needs: the undefined dynamic symbols of libLibTorchSharp.so that carry no symbol version (LibTorch's C++ API; the
# versioned ones come from glibc and libstdc++), weak ones left out. Exports: the defined dynamic symbols of
# libtorch.so, libtorch_cpu.so and libc10.so (and libtorch_cuda.so, libc10_cuda.so where present) in TORCH_LIB_DIR
# (PyTorch's site-packages/torch/lib, or a LibTorch's lib folder).
# Prints one JSON line: counts, and up to 20 of the missing symbols demangled. Exit code 0 when nothing is missing,
# 3 when symbols are missing (the library would fail to load with "undefined symbol"), 2 on bad arguments.
set -euo pipefail
so="${1:?usage: check-libtorch-symbols.sh libLibTorchSharp.so TORCH_LIB_DIR [LABEL]}"
dir="${2:?usage: check-libtorch-symbols.sh libLibTorchSharp.so TORCH_LIB_DIR [LABEL]}"
label="${3:-$dir}"
command -v nm >/dev/null || { echo '{"kind":"symbol_check","error":"nm not found (binutils)"}'; exit 2; }
[ -f "$so" ] || { echo "{\"kind\":\"symbol_check\",\"error\":\"no such file: $so\"}"; exit 2; }
shopt -s nullglob
# The libraries in the loader scope of libLibTorchSharp.so: its NEEDED LibTorch libraries and, for CUDA, theirs.
libs=(); for n in libtorch.so libtorch_cpu.so libc10.so libtorch_cuda.so libc10_cuda.so; do [ -f "$dir/$n" ] && libs+=("$dir/$n"); done
[ ${#libs[@]} -gt 0 ] || { echo "{\"kind\":\"symbol_check\",\"label\":\"$label\",\"error\":\"no libtorch*.so or libc10*.so in $dir\"}"; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Undefined, non-weak (type U), without @VERSION.
nm -D --undefined-only "$so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' | sort -u > "$tmp/needed"
for lib in "${libs[@]}"; do nm -D --defined-only "$lib" 2>/dev/null | awk '{ print $3 }' | sed 's/@.*//'; done | sort -u > "$tmp/exported"
comm -23 "$tmp/needed" "$tmp/exported" > "$tmp/missing"
needed=$(wc -l < "$tmp/needed"); exported=$(wc -l < "$tmp/exported"); missing=$(wc -l < "$tmp/missing")
total=$(nm -D --undefined-only "$so" | wc -l)
names=""
if [ "$missing" -gt 0 ]; then
  names=$(head -n 20 "$tmp/missing" | (command -v c++filt >/dev/null && c++filt || cat) | sed 's/\\/\\\\/g; s/"/\\"/g' | awk 'BEGIN{ORS=""} { printf "%s\"%s\"", (NR>1?",":""), $0 }')
fi
libnames=$(for lib in "${libs[@]}"; do basename "$lib"; done | awk 'BEGIN{ORS=""} { printf "%s\"%s\"", (NR>1?",":""), $0 }')
echo "{\"kind\":\"symbol_check\",\"label\":\"$label\",\"undefined_total\":$total,\"needed_from_libtorch\":$needed,\"exported_by_torch_lib\":$exported,\"missing\":$missing,\"libraries\":[$libnames],\"missing_first_20\":[$names]}"
[ "$missing" -eq 0 ] || exit 3
