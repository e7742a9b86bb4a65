#!/usr/bin/env bash
# Builds the GPU-check payload on a machine with the .NET SDK and network access to NuGet:
#   artifacts/pixmix-gpu-check-linux-x64.tar.gz, which unpacks to pixmix-gpu-check/ holding
#     pixmix/    the CLI, published self-contained for linux-x64 with TorchBackend=external (TorchSharp's
#                libLibTorchSharp.so and no LibTorch: it takes PyTorch's torch/lib at run time), trimmed (partial:
#                only the .NET libraries that declare themselves trimmable), no debug files
#     data/      the shipped Fashion-MNIST training split (the benchmark's data, 26 MB of it); left out with --no-data,
#                for a payload that travels inside a checkout of this repository (gpu-check.sh then reads data/ there)
#     scripts/   gpu-check.sh, check-libtorch-symbols.sh, reference_train_bench.py
#     symbols/   the LibTorch symbols PixMix's runs bind (see below), for the symbol check there
# The CUDA tests run there through the CLI's hidden `pixmix selftest cuda`, which makes the same measurements as the test
# project's [CudaFact] tests (src/PixMix.Cli/SelfTest/CudaChecks.cs), so the GPU machine needs no .NET SDK.
# The build goes to artifacts/gpu-check/build (--artifacts-path), leaving the repository's bin/ and obj/ alone.
set -euo pipefail
with_data=1
case "${1:-}" in
  --no-data) with_data=0 ;;
  "") ;;
  *) echo "pack-gpu-check: unknown argument '$1' (expected nothing or --no-data)" >&2; exit 2 ;;
esac
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$repo/artifacts/gpu-check"
stage="$out/pixmix-gpu-check"
tarball="$repo/artifacts/pixmix-gpu-check-linux-x64.tar.gz"
rm -rf "$stage"; mkdir -p "$stage/scripts" "$stage/data"
dotnet publish "$repo/src/PixMix.Cli/PixMix.Cli.csproj" -c Release -r linux-x64 --self-contained \
  -p:TorchBackend=external -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:InvariantGlobalization=true -p:DebugType=none \
  --artifacts-path "$out/build" -o "$stage/pixmix"
# Debug-only files of the runtime and ML.NET that a run never loads.
rm -f "$stage/pixmix/"*.dbg "$stage/pixmix/"*.pdb "$stage/pixmix/createdump"
[ -f "$stage/pixmix/libLibTorchSharp.so" ] || { echo "libLibTorchSharp.so missing from the publish" >&2; exit 1; }
if ls "$stage/pixmix/" | grep -q -E '^lib(torch|c10)'; then echo "the publish carries a LibTorch; TorchBackend=external should not" >&2; exit 1; fi
# The benchmark reads the training split only (each split is verified on its own against SHA256SUMS).
if [ "$with_data" -eq 1 ]; then
  mkdir -p "$stage/data/fashion-mnist"
  cp "$repo/data/fashion-mnist/"{SHA256SUMS,LICENSE,train-images-idx3-ubyte.gz,train-labels-idx1-ubyte.gz} "$stage/data/fashion-mnist/"
else
  rmdir "$stage/data"
fi
# What PixMix binds in LibTorch, for the symbol check on the GPU machine (scripts/check-libtorch-symbols.sh --used/--direct):
#   symbols/used-by-cpu-runs.txt  the LibTorch symbols that libLibTorchSharp.so bound during the CUDA self-test's CPU dry
#                                 run and two small training benchmarks (fp32; bf16 + channels-last), run here with the
#                                 loader's LD_DEBUG=bindings against the NuGet LibTorch 2.10 CPU package
#   symbols/direct.txt            the LibTorch symbols PixMix binds itself (autocast and cuDNN's benchmark flag: the mangled
#                                 names in the sources that call LibTorchExports.Export, src/PixMix.MLNet/TorchSupport)
# Calls that only CUDA makes are not in the first list: the check counts them as missing symbols, not as used ones.
mkdir -p "$stage/symbols"
binders=$(grep -rl --include='*.cs' 'LibTorchExports.Export' "$repo/src/PixMix.MLNet")
grep -ho '"_Z[A-Za-z0-9_]*"' $binders | tr -d '"' | sort -u > "$stage/symbols/direct.txt"
[ -s "$stage/symbols/direct.txt" ] || { echo "no mangled LibTorch names found in $binders" >&2; exit 1; }
libtorch_version=$(sed -n 's/.*Include="libtorch-cpu-linux-x64" *Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props" | head -1)
libtorch_dir="${NUGET_PACKAGES:-$HOME/.nuget/packages}/libtorch-cpu-linux-x64/${libtorch_version:-none}/runtimes/linux-x64/native"
[ -f "$libtorch_dir/libtorch_cpu.so" ] || dotnet restore "$repo/src/PixMix.Cli/PixMix.Cli.csproj" -r linux-x64 >/dev/null
[ -f "$libtorch_dir/libtorch_cpu.so" ] || { echo "LibTorch ${libtorch_version:-?} CPU not found at $libtorch_dir after a restore" >&2; exit 1; }
trace="$out/bindings"; rm -rf "$trace"; mkdir -p "$trace"
for run in "selftest cuda --dry-run-on-cpu" \
           "bench train --arch wrn --depth 10 --widen 1 --images 256 --epochs 2 --json" \
           "bench train --arch wrn --depth 10 --widen 1 --images 256 --epochs 2 --json --precision bf16 --channels-last"; do
  # shellcheck disable=SC2086
  LD_LIBRARY_PATH="$libtorch_dir" PIXMIX_DATA="$repo/data" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$trace/ld" \
    "$stage/pixmix/pixmix" $run > "$trace/out.txt" 2>&1 || { echo "pixmix $run failed while recording bindings:" >&2; cat "$trace/out.txt" >&2; exit 1; }
done
grep -h 'binding file [^ ]*/libLibTorchSharp\.so ' "$trace"/ld.* | grep -E ' to [^ ]*/lib(torch|c10)[^ /]*\.so ' |
  sed -E "s/.*symbol \`([^']*)'.*/\1/" | sort -u > "$stage/symbols/used-by-cpu-runs.txt"
[ -s "$stage/symbols/used-by-cpu-runs.txt" ] || { echo "no LibTorch bindings of libLibTorchSharp.so recorded in $trace" >&2; exit 1; }
rm -rf "$trace"
cp "$repo/scripts/gpu-check.sh" "$repo/scripts/check-libtorch-symbols.sh" "$repo/scripts/reference_train_bench.py" "$stage/scripts/"
git -C "$repo" rev-parse HEAD > "$stage/COMMIT" 2>/dev/null || echo unknown > "$stage/COMMIT"
tar -C "$out" -czf "$tarball" pixmix-gpu-check
echo "$tarball: $(du -h "$tarball" | cut -f1) (unpacked $(du -sh "$stage" | cut -f1)), commit $(cat "$stage/COMMIT")"
