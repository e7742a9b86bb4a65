using PixMix.Imaging.Corruptions;
using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class CorruptionNamesTests
{
    [Fact]
    public void TheFifteenBenchmarkKindsMatchTheAlexNetTableOrder()
    {
        for (int i = 0; i < 15; i++)
            Assert.Equal(AlexNetBaseline.CorruptionNames[i], CorruptionNames.Of((CorruptionKind)i));
        Assert.Equal("saturate", CorruptionNames.Of(CorruptionKind.Saturate));
        Assert.True(CorruptionNames.TryParse("elastic_transform", out var k));
        Assert.Equal(CorruptionKind.ElasticTransform, k);
        Assert.False(CorruptionNames.TryParse("style", out _));
    }

    [Fact]
    public void BuiltInSyntheticSetsAreNamed()
    {
        var sets = SyntheticOodSource.CreateAll(5, 8, 8);
        Assert.Equal(["gaussian", "rademacher", "blobs"], sets.Select(s => s.Name));
        Assert.All(sets, s => Assert.Equal(5, s.Images.Count));
    }
}
