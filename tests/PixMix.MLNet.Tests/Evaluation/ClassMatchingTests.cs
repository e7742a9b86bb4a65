using PixMix.MLNet.Evaluation;

namespace PixMix.MLNet.Tests.Evaluation;

public class ClassMatchingTests
{
    private static readonly string[] Model = ["cat", "dog", "bird"];

    [Fact]
    public void TheSameNamesInTheSameOrderMatchByName()
    {
        var m = ClassMatching.Match(Model, 3, ["cat", "dog", "bird"], 3, "the data");
        Assert.Equal(ClassMatchingKind.ByName, m.Kind);
        Assert.Equal([0, 1, 2], m.DataToModel);
        Assert.True(m.IsIdentity);
    }

    [Fact]
    public void APermutationIsRemappedByName()
    {
        var m = ClassMatching.Match(Model, 3, ["bird", "cat", "dog"], 3, "the data");
        Assert.Equal(ClassMatchingKind.RemappedByName, m.Kind);
        Assert.Equal([2, 0, 1], m.DataToModel);
        Assert.False(m.IsIdentity);
        Assert.Contains("remapped", m.Note);
    }

    [Fact]
    public void OtherNamesAreRefusedListingBothSides()
    {
        var e = Assert.Throws<ClassMismatchException>(() => ClassMatching.Match(Model, 3, ["cat", "dog", "fish"], 3, "the data 'zoo'"));
        Assert.Contains("the data 'zoo'", e.Message);
        Assert.Contains("only in the data: 'fish'", e.Message);
        Assert.Contains("only in the model: 'bird'", e.Message);
    }

    [Fact]
    public void AnotherCountIsRefusedEvenWhenTheNamesOverlap()
    {
        var e = Assert.Throws<ClassMismatchException>(() => ClassMatching.Match(Model, 3, ["cat", "dog"], 2, "the data"));
        Assert.Contains("only in the model: 'bird'", e.Message);
    }

    [Fact]
    public void AtMostTenDifferingNamesAreListed()
    {
        var model = Enumerable.Range(0, 30).Select(i => $"m{i}").ToArray();
        var data = Enumerable.Range(0, 30).Select(i => $"d{i}").ToArray();
        var e = Assert.Throws<ClassMismatchException>(() => ClassMatching.Match(model, 30, data, 30, "the data"));
        Assert.Contains("'d9'", e.Message);
        Assert.DoesNotContain("'d10'", e.Message);
        Assert.Contains("and 20 more", e.Message);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void IndexNamesCountAsNoNamesAndPairByPosition(bool modelNamed, bool dataNamed)
    {
        string[] digits = ["0", "1", "2"];
        var m = ClassMatching.Match(modelNamed ? Model : digits, 3, dataNamed ? ["dog", "cat", "bird"] : null, 3, "the data");
        Assert.Equal(ClassMatchingKind.ByPosition, m.Kind);
        Assert.Equal([0, 1, 2], m.DataToModel);
        Assert.Contains("position", m.Note);
    }

    [Fact]
    public void PositionNeedsTheSameCount()
        => Assert.Throws<ClassMismatchException>(() => ClassMatching.Match(null, 3, null, 4, "the data"));

    [Fact]
    public void DuplicateNamesCannotBeMatched()
        => Assert.Throws<ClassMismatchException>(() => ClassMatching.Match(Model, 3, ["cat", "cat", "dog"], 3, "the data"));
}
