using PixMix.MLNet.Scoring;

namespace PixMix.MLNet.Tests.Scoring;

public class ClassProbabilitiesTests
{
    [Fact]
    public void SoftmaxGivesTheExpectedProbabilities()
    {
        // exp(0) : exp(ln 3) = 1 : 3
        float[] scores = [0f, MathF.Log(3f)];
        ClassProbabilities.SoftmaxInPlace(scores);
        Assert.Equal(0.25f, scores[0], 6);
        Assert.Equal(0.75f, scores[1], 6);
    }

    [Fact]
    public void SoftmaxOfLargeLogitsDoesNotOverflow()
    {
        // exp(1000) overflows a float; with the largest logit subtracted the two equal logits share the mass.
        float[] scores = [1000f, 1000f, 0f];
        ClassProbabilities.SoftmaxInPlace(scores);
        Assert.Equal([0.5f, 0.5f, 0f], scores);
    }

    [Theory]
    [InlineData(new[] { 0.1f, 0.7f, 0.2f }, 1)]
    [InlineData(new[] { 0.2f, 0.4f, 0.4f }, 1)]
    [InlineData(new[] { 0.5f, 0.5f }, 0)]
    [InlineData(new[] { -3f, -1f, -2f }, 1)]
    public void ThePredictedClassIsTheFirstLargest(float[] scores, int expected)
        => Assert.Equal(expected, ClassProbabilities.PredictedClass(scores));
}
