using BenchmarkDotNet.Attributes;
using PixMix.Imaging;
using PixMix.Imaging.Corruptions;

namespace PixMix.Benchmarks;

/// <summary>Each corruption on one 32x32 RGB picture at severity 3 with the CIFAR parameters (CIFAR-10-C generation).</summary>
[MemoryDiagnoser]
public class CorruptionBenchmarks
{
    private ImageU8 _source = null!;
    private ImageU8 _destination = null!;
    private PixMixRandom _rng;

    /// <summary>The corruption measured.</summary>
    [ParamsAllValues]
    public CorruptionKind Kind { get; set; }

    /// <summary>A textured 32x32 RGB picture and a warmed-up frost source.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _source = new ImageU8(32, 32, 3);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                _source[x, y, 0] = (byte)(x * 8);
                _source[x, y, 1] = (byte)(y * 8);
                _source[x, y, 2] = (byte)((x / 4 + y / 4) % 2 == 0 ? 200 : 40);
            }
        _destination = new ImageU8(32, 32, 3);
        _rng = new PixMixRandom(1);
        Corruptor.Apply(Kind, 3, _source, _destination, ref _rng, CorruptionParameterSet.Cifar);
    }

    /// <summary>One corrupted image.</summary>
    [Benchmark]
    public void Corrupt32() => Corruptor.Apply(Kind, 3, _source, _destination, ref _rng, CorruptionParameterSet.Cifar);
}
