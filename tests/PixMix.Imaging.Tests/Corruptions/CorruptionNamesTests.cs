using PixMix.Imaging.Corruptions;

namespace PixMix.Imaging.Tests.Corruptions;

public class CorruptionNamesTests
{
    [Fact]
    public void BenchmarkNamesAreTheFifteenFilesInOrder()
    {
        string[] expected =
        [
            "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
            "snow", "frost", "fog", "brightness", "contrast", "elastic_transform", "pixelate", "jpeg_compression",
        ];
        Assert.Equal(expected, CorruptionNames.BenchmarkNames);
        Assert.Equal(expected, CorruptionNames.Benchmark.Select(CorruptionNames.ToName));
        Assert.Equal(CorruptionKind.GaussianNoise, CorruptionNames.Benchmark[0]);
        Assert.Equal(CorruptionKind.JpegCompression, CorruptionNames.Benchmark[14]);
    }

    [Fact]
    public void ExtraNamesFollow()
    {
        Assert.Equal(["speckle_noise", "gaussian_blur", "spatter", "saturate"], CorruptionNames.Extra.Select(CorruptionNames.ToName));
        Assert.Equal(19, CorruptionNames.All.Count);
        Assert.False(CorruptionNames.IsBenchmark(CorruptionKind.Spatter));
        Assert.True(CorruptionNames.IsBenchmark(CorruptionKind.JpegCompression));
    }

    [Fact]
    public void ParseRoundTripsEveryKind()
    {
        foreach (var kind in Enum.GetValues<CorruptionKind>())
        {
            Assert.Equal(kind, CorruptionNames.Parse(CorruptionNames.ToName(kind)));
            Assert.Equal(kind, CorruptionNames.Parse(kind.ToString()));
        }
    }

    [Theory]
    [InlineData("motion_blur.npy", CorruptionKind.MotionBlur)]
    [InlineData("  JPEG_Compression ", CorruptionKind.JpegCompression)]
    [InlineData("elastictransform", CorruptionKind.ElasticTransform)]
    public void ParseIsLenient(string name, CorruptionKind expected) => Assert.Equal(expected, CorruptionNames.Parse(name));

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => CorruptionNames.Parse("rain"));
        Assert.Equal("name", ex.ParamName);
        Assert.Contains("'rain'", ex.Message);
        Assert.Contains("gaussian_noise", ex.Message);
        Assert.Contains("saturate", ex.Message);
        Assert.False(CorruptionNames.TryParse("", out _));
        Assert.False(CorruptionNames.TryParse(null, out _));
    }

    [Theory]
    [InlineData(32, 32, CorruptionParameterSet.Cifar)]
    [InlineData(28, 28, CorruptionParameterSet.Cifar)]
    [InlineData(64, 40, CorruptionParameterSet.Cifar)]
    [InlineData(65, 10, CorruptionParameterSet.ImageNet)]
    [InlineData(224, 224, CorruptionParameterSet.ImageNet)]
    public void AutoRuleSplitsAt64Pixels(int w, int h, CorruptionParameterSet expected)
        => Assert.Equal(expected, CorruptionParameterSets.ForSize(w, h));

    [Fact]
    public void ReferenceSizes()
    {
        Assert.Equal(32, CorruptionParameterSets.ReferenceSize(CorruptionParameterSet.Cifar));
        Assert.Equal(224, CorruptionParameterSets.ReferenceSize(CorruptionParameterSet.ImageNet));
    }
}
