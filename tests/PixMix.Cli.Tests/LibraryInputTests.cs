using PixMix.Imaging;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>The library pieces the commands parse their inputs with: data-set references, corruption and severity lists, slices, on-the-fly corruptions.</summary>
public class LibraryInputTests
{
    [Fact]
    public void DataSetReferencesParseTheFourForms()
    {
        Assert.Equal(new DataSetReference(DataSetKind.FashionMnist, null), DataSetReference.Parse("fashion-mnist"));
        var tmp = Path.GetTempPath();
        Assert.Equal(DataSetKind.Cifar10, DataSetReference.Parse("cifar10:" + tmp).Kind);
        Assert.Equal(DataSetKind.Cifar100, DataSetReference.Parse("CIFAR100:" + tmp).Kind);
        Assert.Equal(tmp, DataSetReference.Parse("folder:" + tmp).Folder);
        Assert.Contains("--test", Assert.Throws<ArgumentException>(() => DataSetReference.Parse("svhn", "--test")).Message);
        Assert.Contains("needs a folder", Assert.Throws<ArgumentException>(() => DataSetReference.Parse("cifar10", "--data")).Message);
        Assert.Throws<DirectoryNotFoundException>(() => DataSetReference.Parse("folder:/no/such/folder"));
    }

    [Fact]
    public void ImageFolderDataSplitsIntoTrainAndTestWithTheTrainingClassList()
    {
        using var dir = new TempFolder();
        foreach (var (split, cls) in new[] { ("train", "cat"), ("train", "dog"), ("test", "dog") })
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir.Path, split, cls)).FullName;
            var img = new ImageU8(20, 10, 3);
            img.Span.Fill(cls == "cat" ? (byte)40 : (byte)200);
            ImageCodec.WritePng(img, Path.Combine(folder, "a.png"));
        }
        var reference = DataSetReference.Parse("folder:" + dir.Path);
        var train = reference.Open(train: true, folderImageSize: 8);
        var test = reference.Open(train: false, folderImageSize: 8);
        Assert.Equal((2L, 8, 8), (train.Count, train.Width, train.Height));
        Assert.Equal(["cat", "dog"], test.ClassNames);
        Assert.Equal(1, test.ReadLabel(0)); // "dog" keeps its training label
    }

    [Theory]
    [InlineData("all", 19)]
    [InlineData("benchmark", 15)]
    [InlineData("extra", 4)]
    [InlineData("gaussian_noise, Contrast,jpeg_compression.npy", 3)]
    public void CorruptionListsParse(string text, int count) => Assert.Equal(count, CorruptionSets.ParseList(text).Count);

    [Theory]
    [InlineData("fog,fog")]
    [InlineData("fog,haze")]
    [InlineData(" , ")]
    public void CorruptionListsRejectDuplicatesAndUnknownNames(string text) => Assert.Throws<ArgumentException>(() => CorruptionSets.ParseList(text));

    [Theory]
    [InlineData("1-5", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("3", new[] { 3 })]
    [InlineData("4,2,2-3", new[] { 2, 3, 4 })]
    public void SeveritiesParse(string text, int[] expected) => Assert.Equal(expected, CorruptionSets.ParseSeverities(text));

    [Theory]
    [InlineData("0-5")]
    [InlineData("5-1")]
    [InlineData("x")]
    [InlineData("1-2-3")]
    public void SeveritiesRejectValuesOutside1To5(string text) => Assert.Throws<ArgumentException>(() => CorruptionSets.ParseSeverities(text));

    [Fact]
    public void SlicesMapIndicesAndCheckBounds()
    {
        var source = FashionMnist.OpenAs32x32Rgb(train: false);
        var slice = new ImageSourceSlice(source, 5, 3);
        Assert.Equal(3, slice.Count);
        Assert.Equal(source.ReadLabel(6), slice.ReadLabel(1));
        var a = new byte[32 * 32 * 3];
        var b = new byte[32 * 32 * 3];
        slice.ReadImage(2, a);
        source.ReadImage(7, b);
        Assert.Equal(b, a);
        Assert.Throws<ArgumentOutOfRangeException>(() => slice.ReadLabel(3));
        Assert.Same(source, ImageSourceSlice.Take(source, null));
        Assert.Same(source, ImageSourceSlice.Take(source, 1_000_000));
        Assert.Equal(10, ImageSourceSlice.Take(source, 10).Count);
    }

    [Fact]
    public void OnTheFlyCorruptionsAreDeterministicPerImageAndIndependentOfThreads()
    {
        var clean = new ImageSourceSlice(FashionMnist.OpenAs32x32Rgb(train: false), 0, 16);
        var source = new CorruptedImageSource(clean, CorruptionKind.GaussianNoise, 3, seed: 9);
        byte[] Read(CorruptedImageSource s, int i) { var buffer = new byte[32 * 32 * 3]; s.ReadImage(i, buffer); return buffer; }
        var sequential = Enumerable.Range(0, 16).Select(i => Read(source, i)).ToArray();
        var parallel = new byte[16][];
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[15 - i] = Read(source, 15 - i));
        Assert.Equal(sequential, parallel);
        Assert.NotEqual(sequential[0], Read(new CorruptedImageSource(clean, CorruptionKind.GaussianNoise, 3, seed: 10), 0));
        Assert.NotEqual(sequential[0], Read(new CorruptedImageSource(clean, CorruptionKind.GaussianNoise, 4, seed: 9), 0));
    }
}
