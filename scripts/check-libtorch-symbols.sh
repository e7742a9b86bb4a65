#!/usr/bin/env bash
# Compares what TorchSharp's native library needs from LibTorch with what a LibTorch folder exports, and says whether
# the library would load there and which missing symbols PixMix's own runs reach.
#
#   scripts/check-libtorch-symbols.sh [--used FILE] [--direct FILE] [--missing-at-load-out FILE] LIBLIBTORCHSHARP_SO TORCH_LIB_DIR [LABEL]
#
# Needed: the undefined dynamic symbols of libLibTorchSharp.so that carry no symbol version (LibTorch's C++ API; the
# versioned ones come from glibc and libstdc++), weak ones left out. Exported: the defined dynamic symbols of
# libtorch.so, libtorch_cpu.so and libc10.so (and libtorch_cuda.so, libc10_cuda.so where present) in TORCH_LIB_DIR
# (PyTorch's site-packages/torch/lib, or a LibTorch's lib folder).
#
# When a needed symbol is missing, what happens depends on how it is bound. The dynamic loader binds at load time every
# symbol that a data relocation refers to (a vtable slot or a stored function pointer: R_X86_64_64, GLOB_DAT, ...), and
# every symbol when the library asks for immediate binding (BIND_NOW); a symbol reached only through the procedure
# linkage table (a *_JUMP_SLOT relocation) is bound at its first call, because .NET loads native libraries with
# RTLD_LAZY (tests/PixMix.Cli.Tests/Scripts checks this). So a missing load-time symbol stops the library from loading;
# a missing call-time symbol stops the process ("symbol lookup error: ... undefined symbol") only when a code path
# calls it. LD_BIND_NOW in the environment makes every symbol load-time: the GPU check unsets it.
#
# --used FILE    symbols (mangled, one a line) that PixMix's runs bound from libLibTorchSharp.so into LibTorch, recorded
#                on the CPU with LD_DEBUG=bindings by pack-gpu-check.sh; the missing ones among them are missing_used.
# --direct FILE  symbols that PixMix binds itself with NativeLibrary.GetExport (LibTorch's autocast functions, used by
#                --precision bf16/fp16); the ones not exported are direct_missing.
# --missing-at-load-out FILE  writes the missing load-time symbols there, mangled, one a line (gpu-check.sh builds
#                stand-ins for them).
#
# Prints one JSON line with the counts, a verdict and up to 20 names of each kind, demangled. Exit code: 0 nothing
# missing ("verdict":"match"); 3 the library cannot load ("fails_to_load"); 5 it loads but symbols that some calls need
# are missing ("loads_with_gaps": runs that reach them fail, the others work); 2 bad arguments.
set -euo pipefail
usage="usage: check-libtorch-symbols.sh [--used FILE] [--direct FILE] [--missing-at-load-out FILE] libLibTorchSharp.so TORCH_LIB_DIR [LABEL]"
used=""; direct=""; load_out=""
bad() { echo "{\"kind\":\"symbol_check\",\"error\":\"$1\"}"; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --used) [ $# -ge 2 ] || bad "--used needs a file"; used="$2"; shift 2 ;;
    --direct) [ $# -ge 2 ] || bad "--direct needs a file"; direct="$2"; shift 2 ;;
    --missing-at-load-out) [ $# -ge 2 ] || bad "--missing-at-load-out needs a file"; load_out="$2"; shift 2 ;;
    --*) bad "unknown option $1; $usage" ;;
    *) break ;;
  esac
done
so="${1:-}"; dir="${2:-}"; label="${3:-$dir}"
[ -n "$so" ] && [ -n "$dir" ] || bad "$usage"
for tool in nm readelf; do command -v "$tool" >/dev/null || bad "$tool not found (binutils)"; done
[ -f "$so" ] || bad "no such file: $so"
for f in "$used" "$direct"; do [ -z "$f" ] || [ -f "$f" ] || bad "no such file: $f"; done
shopt -s nullglob
# The libraries in the loader scope of libLibTorchSharp.so: its NEEDED LibTorch libraries and, for CUDA, theirs.
libs=(); for n in libtorch.so libtorch_cpu.so libc10.so libtorch_cuda.so libc10_cuda.so; do [ -f "$dir/$n" ] && libs+=("$dir/$n"); done
[ ${#libs[@]} -gt 0 ] || { echo "{\"kind\":\"symbol_check\",\"label\":\"$label\",\"error\":\"no libtorch*.so or libc10*.so in $dir\"}"; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Undefined, non-weak (type U), without @VERSION.
nm -D --undefined-only "$so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' | sort -u > "$tmp/needed"
for lib in "${libs[@]}"; do nm -D --defined-only "$lib" 2>/dev/null | awk '{ print $3 }' | sed 's/@.*//'; done | sort -u > "$tmp/exported"
comm -23 "$tmp/needed" "$tmp/exported" > "$tmp/missing"

# Load-time symbols: every one under BIND_NOW, else those that some relocation other than a PLT slot refers to.
bind_now=false
if readelf -d "$so" | grep -Eq '\(BIND_NOW\)|\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW'; then bind_now=true; fi
if [ "$bind_now" = true ]; then
  cp "$tmp/needed" "$tmp/load_time"
else
  readelf -rW "$so" | awk '$3 ~ /^R_/ && $3 !~ /_JUMP_SLOT$/ && NF >= 5 { sub(/@.*/, "", $5); print $5 }' | sort -u > "$tmp/load_time"
fi
comm -12 "$tmp/missing" "$tmp/load_time" > "$tmp/missing_load"
comm -23 "$tmp/missing" "$tmp/load_time" > "$tmp/missing_call"
[ -z "$load_out" ] || cp "$tmp/missing_load" "$load_out"
: > "$tmp/missing_used"; : > "$tmp/direct_missing"; : > "$tmp/direct"
[ -z "$used" ] || { sed 's/[[:space:]]*$//' "$used" | grep -v '^$' | sort -u | comm -12 "$tmp/missing" - > "$tmp/missing_used"; }
if [ -n "$direct" ]; then
  sed 's/[[:space:]]*$//' "$direct" | grep -v '^$' | sort -u > "$tmp/direct" || true
  comm -23 "$tmp/direct" "$tmp/exported" > "$tmp/direct_missing"
fi

count() { wc -l < "$1" | tr -d ' '; }
names() { # names FILE: a JSON array of up to 20 of the file's symbols, demangled
  head -n 20 "$1" | (command -v c++filt >/dev/null && c++filt || cat) | sed 's/\\/\\\\/g; s/"/\\"/g' |
    awk 'BEGIN { ORS = ""; print "[" } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 } END { print "]" }'
}
missing=$(count "$tmp/missing"); missing_load=$(count "$tmp/missing_load"); missing_call=$(count "$tmp/missing_call")
direct_missing=$(count "$tmp/direct_missing")
if [ "$missing_load" -gt 0 ]; then verdict=fails_to_load; code=3
elif [ "$missing" -gt 0 ] || [ "$direct_missing" -gt 0 ]; then verdict=loads_with_gaps; code=5
else verdict=match; code=0; fi
missing_used=null; [ -z "$used" ] || missing_used=$(count "$tmp/missing_used")
direct_needed=null; [ -z "$direct" ] || direct_needed=$(count "$tmp/direct")
direct_missing_json=null; [ -z "$direct" ] || direct_missing_json=$direct_missing
libnames=$(for lib in "${libs[@]}"; do basename "$lib"; done | awk 'BEGIN{ORS=""} { printf "%s\"%s\"", (NR>1?",":""), $0 }')
echo "{\"kind\":\"symbol_check\",\"label\":\"$label\",\"verdict\":\"$verdict\",\"undefined_total\":$(nm -D --undefined-only "$so" | wc -l),\"needed_from_libtorch\":$(count "$tmp/needed"),\"exported_by_torch_lib\":$(count "$tmp/exported"),\"missing\":$missing,\"bind_now\":$bind_now,\"missing_at_load\":$missing_load,\"missing_at_call\":$missing_call,\"missing_used\":$missing_used,\"direct_needed\":$direct_needed,\"direct_missing\":$direct_missing_json,\"libraries\":[$libnames],\"missing_at_load_first_20\":$(names "$tmp/missing_load"),\"missing_used_first_20\":$(names "$tmp/missing_used"),\"direct_missing_names\":$(names "$tmp/direct_missing"),\"missing_first_20\":$(names "$tmp/missing")}"
exit "$code"
