#!/usr/bin/env bash
# The GPU check of PixMix.MLNet's TorchSharp trainer, on a Linux machine with an NVIDIA GPU and PyTorch (with CUDA)
# installed, no .NET SDK and no network needed. Prints one JSON line per step and per measurement (stdout; progress
# and the programs' own messages go to stderr):
#   {"kind":"environment",...}   python, PyTorch version, CUDA availability, GPU name, driver, cores
#   {"kind":"symbol_check",...}  what TorchSharp 0.107's libLibTorchSharp.so (built for LibTorch 2.10) needs from LibTorch
#                                that PyTorch's torch/lib does not export. When only call-time symbols are missing it
#                                goes on (a run that reaches one fails with {"kind":"failed",...,"error":"undefined
#                                symbol: ..."}). When functions needed at load time are missing, it builds stand-ins
#                                that abort naming the symbol if called, preloads them into our runs and says so
#                                ({"kind":"symbol_stand_ins",...}; --no-stubs stops instead); it stops ({"kind":"stop"})
#                                when a missing load-time symbol is not a function or no C compiler is there
#   {"kind":"check",...}         the CUDA tests (pixmix selftest cuda: the measurements the test project's [CudaFact] tests assert on)
#   one line per measurement     ours (pixmix bench train --json) and the PyTorch reference (reference_train_bench.py),
#                                same fields: device, architecture, batch_size, precision, channels_last, pixmix,
#                                images_per_s, data_wait_fraction, peak_gpu_memory_bytes, device_wait_fraction, ...
# Usage (from the unpacked payload that scripts/pack-gpu-check.sh makes, or from the repository after packing):
#   pixmix-gpu-check/scripts/gpu-check.sh [--device cuda|cpu] [--python PY] [--torch-lib DIR] [--images N] [--epochs E]
#       [--depth D] [--widen W] [--batch-size B] [--timeout SECONDS] [--budget SECONDS] [--no-reference] [--selftest-dry-run]
#       [--no-stubs]
# --timeout caps each run (default 90 s); --budget caps the whole script (default 420 s, inside the 8 minutes a GPU
# session gives it): a run that would start past it is reported as {"kind":"skipped_for_time"} instead. Measurements
# alternate between ours and the reference so that the pairs come first.
# --device cpu is a dry run for machines without a GPU: a small WideResNet (10-1), few images, same JSON lines.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$(date +%s)
device=cuda; python="${PYTHON:-python3}"; torch_lib=""; images=""; epochs=3; depth=""; widen=""; batch=128
per_run_timeout=90; budget=420; reference=1; dry_selftest=0; stubs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --torch-lib) torch_lib="$2"; shift 2 ;;
    --images) images="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --widen) widen="$2"; shift 2 ;;
    --batch-size) batch="$2"; shift 2 ;;
    --timeout) per_run_timeout="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --no-reference) reference=0; shift ;;
    --selftest-dry-run) dry_selftest=1; shift ;;
    --no-stubs) stubs=0; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$device" in
  cuda) : "${images:=10240}" "${depth:=40}" "${widen:=4}" ;;
  cpu)  : "${images:=256}" "${depth:=10}" "${widen:=1}"; epochs=2 ;;
  *) echo "gpu-check: --device must be cuda or cpu" >&2; exit 2 ;;
esac
demangle() { if command -v c++filt >/dev/null; then c++filt; else cat; fi; }
json_names() { # json_names FILE: the file's symbols, demangled, as a JSON array
  demangle < "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | awk 'BEGIN { ORS = ""; print "[" } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 } END { print "]" }'
}
# build_stubs LIST SO OUT: a library defining every symbol of LIST (mangled, one a line) as a function that names the
# symbol on stderr and aborts. Only for symbols that SO declares as functions; fails (with $stub_error) otherwise.
build_stubs() {
  local list="$1" so="$2" out="$3" name type i=0
  stub_error=""
  command -v cc >/dev/null || { stub_error="no C compiler (cc)"; return 1; }
  readelf --dyn-syms -W "$so" | awk '$7 == "UND" { sub(/@.*/, "", $8); print $8, $4 }' | sort -u > "$out.types"
  while read -r name; do
    type=$(awk -v n="$name" '$1 == n { print $2; exit }' "$out.types")
    [ "$type" = FUNC ] || { stub_error="$(printf '%s' "$name" | demangle) is not a function (symbol type ${type:-unknown})"; return 1; }
  done < "$list"
  {
    echo '#include <stdio.h>'
    echo '#include <stdlib.h>'
    echo 'static void missing(const char *name) {'
    echo '  fprintf(stderr, "gpu-check: the missing LibTorch symbol %s was called (its stand-in aborts)\n", name);'
    echo '  abort();'
    echo '}'
    while read -r name; do
      i=$((i + 1))
      echo "void stand_in_$i(void) __asm__(\"$name\");"
      echo "void stand_in_$i(void) { missing(\"$name\"); }"
    done < "$list"
  } > "$out.c"
  cc -shared -fPIC -O1 -o "$out" "$out.c" 2> "$out.log" || { stub_error="cc failed: $(tail -n 1 "$out.log")"; return 1; }
}
json_str() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\n'; }
stop() { echo "{\"kind\":\"stop\",\"reason\":\"$(json_str "$1")\",\"seconds\":$(( $(date +%s) - start ))}"; exit "${2:-1}"; }

# The payload: pixmix/ beside scripts/ (unpacked tarball), else the repository's packed tarball, unpacked to a temp folder.
if [ -x "$here/../pixmix/pixmix" ]; then
  payload="$(cd "$here/.." && pwd)"
elif [ -f "$here/../artifacts/pixmix-gpu-check-linux-x64.tar.gz" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  tar -C "$tmp" -xzf "$here/../artifacts/pixmix-gpu-check-linux-x64.tar.gz"
  payload="$tmp/pixmix-gpu-check"
else
  stop "no payload: run scripts/pack-gpu-check.sh first (on a machine with the .NET SDK), or run the copy inside the unpacked pixmix-gpu-check folder" 2
fi
pixmix="$payload/pixmix/pixmix"
# The data: the payload's copy, else the repository's data/ (a payload packed with --no-data, run from a checkout).
if [ -d "$payload/data/fashion-mnist" ]; then data_dir="$payload/data"
elif [ -d "$here/../data/fashion-mnist" ]; then data_dir="$(cd "$here/../data" && pwd)"
else stop "no data: neither $payload/data/fashion-mnist nor $here/../data/fashion-mnist exists" 2; fi
export PIXMIX_DATA="$data_dir"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0

# PyTorch: its version, CUDA, and its torch/lib (the LibTorch the CLI runs on).
env_json=$("$python" - "$device" <<'PY' 2>/dev/null
import json, os, sys
out = {"kind": "environment", "python": sys.executable, "cores": os.cpu_count()}
try:
    import torch
    out.update(torch_version=torch.__version__, torch_cuda_version=torch.version.cuda,
               cuda_available=torch.cuda.is_available(), torch_lib=os.path.join(os.path.dirname(torch.__file__), "lib"))
    if torch.cuda.is_available():
        out.update(gpu=torch.cuda.get_device_name(0), gpu_capability=".".join(map(str, torch.cuda.get_device_capability(0))),
                   gpu_memory_bytes=torch.cuda.get_device_properties(0).total_memory)
except Exception as e:
    out.update(torch_error="%s: %s" % (type(e).__name__, e))
print(json.dumps(out))
PY
) || env_json=""
[ -n "$env_json" ] || stop "$python could not be run" 2
driver=$(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>/dev/null | head -1)
echo "${env_json%\}}, \"nvidia_driver\": \"$(json_str "${driver:-none}")\", \"payload_commit\": \"$(cat "$payload/COMMIT" 2>/dev/null)\"}"
if [ -z "$torch_lib" ]; then
  torch_lib=$(printf '%s' "$env_json" | "$python" -c 'import json,sys; print(json.load(sys.stdin).get("torch_lib",""))')
fi
[ -d "$torch_lib" ] || stop "no torch/lib folder (PyTorch not importable by $python?); pass --torch-lib DIR" 2
if [ "$device" = cuda ]; then
  printf '%s' "$env_json" | grep -q '"cuda_available": true' || stop "PyTorch reports torch.cuda.is_available() false: no usable GPU for this check" 4
fi

# TorchSharp's native library against that LibTorch, before anything is run: with the symbols that PixMix's CPU runs
# bound and the ones it binds itself (recorded by pack-gpu-check.sh in symbols/), when the payload has them.
symbol_args=()
[ -f "$payload/symbols/used-by-cpu-runs.txt" ] && symbol_args+=(--used "$payload/symbols/used-by-cpu-runs.txt")
[ -f "$payload/symbols/direct.txt" ] && symbol_args+=(--direct "$payload/symbols/direct.txt")
work=$(mktemp -d); trap 'rm -rf "$work"; [ -n "${tmp:-}" ] && rm -rf "$tmp"' EXIT
errlog="$work/stderr"
"$here/check-libtorch-symbols.sh" "${symbol_args[@]}" --missing-at-load-out "$work/missing-at-load" \
  "$payload/pixmix/libLibTorchSharp.so" "$torch_lib" "torch/lib of PyTorch at $torch_lib"
check=$?
ours_env=()
case $check in
  0) ;;
  5) echo "gpu-check: libLibTorchSharp.so loads against $torch_lib but some symbols it or PixMix calls are missing; the runs go on, and one that reaches a missing symbol reports it" >&2 ;;
  3)
    # Missing load-time functions (vtable slots, stored function pointers) get stand-ins that say so and abort when
    # called, preloaded into our runs only, so that the library loads and every run that never calls them is measured.
    [ $stubs -eq 1 ] || stop "libLibTorchSharp.so needs symbols at load time that $torch_lib does not export (stand-ins off: --no-stubs)" 3
    build_stubs "$work/missing-at-load" "$payload/pixmix/libLibTorchSharp.so" "$work/libpixmix-stand-ins.so" ||
      stop "libLibTorchSharp.so (TorchSharp 0.107, built for LibTorch 2.10) needs symbols at load time that $torch_lib does not export, and stand-ins could not be built for them ($stub_error): this PyTorch does not match; see the README's GPU section for the routes that do" 3
    ours_env=(env "LD_PRELOAD=$work/libpixmix-stand-ins.so${LD_PRELOAD:+:$LD_PRELOAD}")
    echo "{\"kind\":\"symbol_stand_ins\",\"count\":$(wc -l < "$work/missing-at-load" | tr -d ' '),\"names\":$(json_names "$work/missing-at-load"),\"note\":\"functions LibTorch does not export, needed at load time; each stand-in aborts its run naming the symbol if called\"}" ;;
  *) stop "the symbol check could not run (exit code $check)" 2 ;;
esac
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Call-time symbols stay lazily bound (a missing one fails only the run that reaches it).
unset LD_BIND_NOW

run() { # run LABEL COMMAND...: prints the command's JSON lines; a timeout or failure becomes a JSON line of its own
  local label="$1"; shift
  local out rc left limit
  left=$(( budget - ($(date +%s) - start) ))
  if [ "$left" -lt 15 ]; then echo "{\"kind\":\"skipped_for_time\",\"run\":\"$(json_str "$label")\",\"budget_s\":$budget}"; return 0; fi
  limit=$(( left < per_run_timeout ? left : per_run_timeout ))
  out=$(timeout "$limit" "$@" 2>"$errlog"); rc=$?
  cat "$errlog" >&2
  printf '%s\n' "$out" | grep '^{' || true
  if [ $rc -eq 124 ]; then echo "{\"kind\":\"timeout\",\"run\":\"$(json_str "$label")\",\"limit_s\":$limit}";
  elif [ $rc -ne 0 ]; then
    # The loader's "symbol lookup error" (a missing call-time symbol, demangled) if there was one, else the last message.
    err=$(grep -m1 'symbol lookup error' "$errlog" | sed 's/.*undefined symbol: //' | demangle)
    if [ -n "$err" ]; then err="undefined symbol: $err"
    else
      err=$(grep -m1 'the missing LibTorch symbol ' "$errlog" | sed 's/.*the missing LibTorch symbol \([^ ]*\) was called.*/\1/' | demangle)
      if [ -n "$err" ]; then err="stand-in called: $err"; else err=$(grep -v '^[[:space:]]*$' "$errlog" | tail -n 1); fi
    fi
    echo "{\"kind\":\"failed\",\"run\":\"$(json_str "$label")\",\"exit_code\":$rc,\"error\":\"$(json_str "$err")\"}"
  fi
  return $rc
}

# The CUDA tests.
if [ "$device" = cuda ]; then
  run "selftest cuda" "${ours_env[@]}" "$pixmix" selftest cuda --require-cuda
elif [ $dry_selftest -eq 1 ]; then
  run "selftest cuda --dry-run-on-cpu" "${ours_env[@]}" "$pixmix" selftest cuda --dry-run-on-cpu
else
  run "selftest cuda" "${ours_env[@]}" "$pixmix" selftest cuda
fi

# Measurements, ours (pixmix bench train; PixMix on unless "--no-pixmix") and the PyTorch reference (no PixMix)
# alternating, most important pairs first.
common=(--arch wrn --depth "$depth" --widen "$widen" --batch-size "$batch" --images "$images" --epochs "$epochs" --device "$device" --json)
ref=(--device "$device" --depth "$depth" --widen "$widen" --batch-size "$batch" --images "$images" --epochs "$epochs" --data "$data_dir" --max-seconds 60)
plan=("ours --precision fp32" "ref --precision fp32"
      "ours --precision bf16 --channels-last" "ref --precision bf16 --channels-last"
      "ours --precision fp32 --no-pixmix" "ours --precision bf16")
[ "$device" = cuda ] && plan+=("ours --precision fp16 --channels-last" "ref --precision fp16 --channels-last" "ours --precision bf16 --channels-last --no-pixmix")
for p in "${plan[@]}"; do
  who="${p%% *}"; c="${p#* }"
  if [ "$who" = ours ]; then
    # shellcheck disable=SC2086
    run "pixmix bench train $c" "${ours_env[@]}" "$pixmix" bench train "${common[@]}" $c
  elif [ $reference -eq 1 ]; then
    # shellcheck disable=SC2086
    run "reference_train_bench.py $c" "$python" "$here/reference_train_bench.py" "${ref[@]}" $c
  fi
done
echo "{\"kind\":\"done\",\"device\":\"$device\",\"seconds\":$(( $(date +%s) - start ))}"
