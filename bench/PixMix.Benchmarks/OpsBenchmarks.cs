using BenchmarkDotNet.Attributes;
using PixMix.Imaging;
using PixMix.Imaging.Ops;

namespace PixMix.Benchmarks;

/// <summary>
/// Each PixMix augmentation operation on an RGB image of natural-looking content (a smooth gradient with noise),
/// at CIFAR (32) and ImageNet (224) sizes, with typical parameters; plus the sampling dispatcher over all 13 ops.
/// </summary>
[MemoryDiagnoser]
public class OpsBenchmarks
{
    private ImageU8 _src = null!;
    private ImageU8 _dst = null!;
    private PixMixRandom _rng;

    /// <summary>Image width and height.</summary>
    [Params(32, 224)]
    public int Size { get; set; }

    /// <summary>Builds the input image.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _src = new ImageU8(Size, Size, 3);
        _dst = new ImageU8(Size, Size, 3);
        var noise = new Random(42);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                for (int c = 0; c < 3; c++)
                    _src[x, y, c] = (byte)Math.Clamp(40 + 150 * (x + c * y) / (Size * 2) + noise.Next(-12, 13), 0, 255);
        _rng = new PixMixRandom(7);
    }

    /// <summary>ImageOps.autocontrast.</summary>
    [Benchmark] public void AutoContrast() => AugmentOps.AutoContrast(_src, _dst);

    /// <summary>ImageOps.equalize.</summary>
    [Benchmark] public void Equalize() => AugmentOps.Equalize(_src, _dst);

    /// <summary>ImageOps.posterize, 3 bits.</summary>
    [Benchmark] public void Posterize() => AugmentOps.Posterize(_src, _dst, 3);

    /// <summary>Image.rotate, 17 degrees, bilinear.</summary>
    [Benchmark] public void Rotate() => AugmentOps.Rotate(_src, _dst, 17);

    /// <summary>ImageOps.solarize, threshold 200.</summary>
    [Benchmark] public void Solarize() => AugmentOps.Solarize(_src, _dst, 200);

    /// <summary>Affine shear along x, 0.2.</summary>
    [Benchmark] public void ShearX() => AugmentOps.ShearX(_src, _dst, 0.2);

    /// <summary>Affine shear along y, -0.2.</summary>
    [Benchmark] public void ShearY() => AugmentOps.ShearY(_src, _dst, -0.2);

    /// <summary>Affine shift along x, 3 pixels.</summary>
    [Benchmark] public void TranslateX() => AugmentOps.TranslateX(_src, _dst, 3);

    /// <summary>Affine shift along y, -3 pixels.</summary>
    [Benchmark] public void TranslateY() => AugmentOps.TranslateY(_src, _dst, -3);

    /// <summary>ImageEnhance.Color, factor 0.6.</summary>
    [Benchmark] public void Color() => AugmentOps.Color(_src, _dst, 0.6);

    /// <summary>ImageEnhance.Contrast, factor 0.6.</summary>
    [Benchmark] public void Contrast() => AugmentOps.Contrast(_src, _dst, 0.6);

    /// <summary>ImageEnhance.Brightness, factor 1.4.</summary>
    [Benchmark] public void Brightness() => AugmentOps.Brightness(_src, _dst, 1.4);

    /// <summary>ImageEnhance.Sharpness, factor 1.4.</summary>
    [Benchmark] public void Sharpness() => AugmentOps.Sharpness(_src, _dst, 1.4);

    /// <summary>A uniformly chosen op at severity 3, sampled like the reference (the PixMix sampler's call).</summary>
    [Benchmark]
    public void ApplyRandomOp()
    {
        var op = (PixMixOp)_rng.NextInt(13);
        AugmentOps.Apply(op, _src, _dst, 3, ref _rng);
    }
}
