using BenchmarkDotNet.Attributes;
using PixMix.Imaging;
using PixMix.Imaging.Mixing;
using PixMix.Imaging.Transforms;

namespace PixMix.Benchmarks;

/// <summary>
/// The per-image stages of PixMix outside the 13 operations, at CIFAR and ImageNet sizes: the train transforms
/// (crop + flip, resized crop + flip), the two mixings with an 8-bit second image, the byte-to-float conversion and
/// the planar, normalized output; and the whole processor for one image.
/// </summary>
[MemoryDiagnoser]
public class MixingBenchmarks
{
    private ImageU8 _image = null!, _input = null!, _other = null!, _crop = null!;
    private float[] _mixed = [], _output = [];
    private PixMixImageProcessor _processor = null!;
    private readonly PixMixImageProcessor.Workspace _workspace = new();
    private long _index;

    /// <summary>Output width and height.</summary>
    [Params(32, 224)]
    public int Size { get; set; }

    /// <summary>Random pictures and a processor with the paper's recipe for the size (k 4, beta 3, severity 3).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        int inputSize = Size <= 64 ? Size : Size * 256 / 224;
        _input = new ImageU8(inputSize, inputSize, 3); random.NextBytes(_input.Span);
        _image = new ImageU8(Size, Size, 3); random.NextBytes(_image.Span);
        _other = new ImageU8(Size, Size, 3); random.NextBytes(_other.Span);
        _crop = new ImageU8(Size, Size, 3);
        _mixed = new float[_image.Length]; _output = new float[_image.Length];
        PixelLayout.ToUnit(_image.Span, _mixed);
        var parameters = new PixMixParameters { K = 4, Beta = 3, Severity = 3, AllOps = true };
        var recipe = Size <= 64 ? PixMixRecipe.Cifar with { Parameters = parameters, Size = Size }
            : PixMixRecipe.ImageNet with { Parameters = parameters, Size = Size, MixingResize = Size * 256 / 224 };
        _processor = new PixMixImageProcessor(recipe, MixingSet.Fractals(count: 16, seed: 0), 3);
        for (int i = 0; i < 16; i++) _processor.Mixing.Prepared(i);
    }

    /// <summary>The data set's train transform: RandomCrop(padding 4) + flip at 32, RandomResizedCrop + flip above.</summary>
    [Benchmark]
    public byte TrainTransform()
    {
        var rng = PixMixRandom.For(0, 0, _index++);
        if (Size <= 64) ImageTransforms.RandomCropFlip(_input, _crop, 4, ref rng);
        else ImageTransforms.RandomResizedCropFlip(_input, _crop, ref rng);
        return _crop.Span[0];
    }

    /// <summary>One add mix with an 8-bit second image.</summary>
    [Benchmark]
    public float Add()
    {
        MixingOps.Add(_mixed, _other.Span, _mixed, 0.6f, 0.3f);
        return _mixed[0];
    }

    /// <summary>One multiply mix with an 8-bit second image (starting each time from the same floats).</summary>
    [Benchmark]
    public float Multiply()
    {
        MixingOps.Multiply(_mixed, _other.Span, _output, 0.6f, 0.3f);
        return _output[0];
    }

    /// <summary>8-bit pixels to floats in [0, 1].</summary>
    [Benchmark]
    public float ToUnit()
    {
        PixelLayout.ToUnit(_image.Span, _output);
        return _output[0];
    }

    /// <summary>Interleaved floats to the planar, normalized output.</summary>
    [Benchmark]
    public float ToPlanar()
    {
        PixelLayout.ToPlanar(_mixed, _output, 3, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);
        return _output[0];
    }

    /// <summary>The whole processor: train transform, mixing picture, PixMix, normalization.</summary>
    [Benchmark(Baseline = true)]
    public float Processor()
    {
        var rng = PixMixRandom.For(0, 1, _index++);
        _processor.Augment(_input, _output, ref rng, _workspace);
        return _output[0];
    }
}
