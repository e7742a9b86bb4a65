using PixMix.Imaging.Sources;
using PixMix.TestSupport;

namespace PixMix.Imaging.Tests.Sources;

public class FashionMnistTests
{
    [Fact]
    public void ShippedTrainingSetVerifiesAndMatchesTheKnownContents()
    {
        using var train = FashionMnist.Open(train: true, Fixtures.RepoFashionMnist());
        Assert.Equal((60000L, 28, 28, 1), (train.Count, train.Width, train.Height, train.Channels));
        Assert.Equal(new[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, Enumerable.Range(0, 10).Select(i => train.ReadLabel(i)));
        Assert.Equal("Ankle boot", train.ClassNames![train.ReadLabel(0)]);
        var counts = new int[10];
        for (long i = 0; i < train.Count; i++) counts[train.ReadLabel(i)]++;
        Assert.All(counts, c => Assert.Equal(6000, c));
        var image = new byte[784];
        train.ReadImage(0, image);
        Assert.Equal(76247, image.Sum(b => b));
        Assert.Equal(new byte[] { 0, 0, 237, 226, 217, 223, 222, 219 }, image[(14 * 28 + 10)..(14 * 28 + 18)]);
    }

    [Fact]
    public void ShippedTestSetAndItsPadded32x32RgbView()
    {
        using var test = FashionMnist.Open(train: false);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, Enumerable.Range(0, 10).Select(i => test.ReadLabel(i)));
        Assert.Equal(new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" }, test.ClassNames);

        var rgb = new PaddedRgbImageSource(test);
        Assert.Equal((10000L, 32, 32, 3), (rgb.Count, rgb.Width, rgb.Height, rgb.Channels));
        var grey = new byte[784];
        var padded = new byte[32 * 32 * 3];
        test.ReadImage(0, grey);
        rgb.ReadImage(0, padded);
        Assert.Equal(33456, grey.Sum(b => b));
        Assert.Equal(3 * 33456, padded.Sum(b => b));
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                bool inside = x is >= 2 and < 30 && y is >= 2 and < 30;
                byte expected = inside ? grey[(y - 2) * 28 + (x - 2)] : (byte)0;
                for (int c = 0; c < 3; c++) Assert.Equal(expected, padded[(y * 32 + x) * 3 + c]);
            }
        Assert.Equal(9, rgb.ReadLabel(0));
    }

    [Fact]
    public void ACorruptedFileFailsItsChecksumByName()
    {
        using var dir = new TempFolder();
        var repo = Fixtures.RepoFashionMnist();
        foreach (var name in new[] { "SHA256SUMS", "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine(repo, name), dir.File(name));
        var labels = File.ReadAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"));
        labels[100] ^= 1;
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), labels);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Open(train: false, dir.Path));
        Assert.Contains(dir.File("t10k-labels-idx1-ubyte.gz"), e.Message);
        Assert.Contains("fails its checksum", e.Message);
        Assert.Contains("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", e.Message);
        Assert.Throws<FileNotFoundException>(() => FashionMnist.Open(train: true, dir.Path));
    }

    [Fact]
    public void LocatesTheFolderFromAPathAParentOrTheEnvironment()
    {
        var repo = Fixtures.RepoFashionMnist();
        Assert.Equal(Path.GetFullPath(repo), FashionMnist.Locate(repo));
        Assert.Equal(Path.GetFullPath(repo), FashionMnist.Locate(Path.GetDirectoryName(repo)));
        Assert.Equal(Path.GetFullPath(repo), FashionMnist.Locate());
        using var empty = new TempFolder();
        Assert.Contains(empty.Path, Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Locate(empty.Path)).Message);
    }

    [Fact]
    public void LooksInTheOutputFolderFirstThenItsParentsThenBesideTheAssemblyThenTheNuGetPackagesFolder()
    {
        var probes = FashionMnist.Probes().ToList();
        // The output folder, where the data package and the tool put data/fashion-mnist.
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist"), probes[0]);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory))!, "data", "fashion-mnist"), probes[1]);
        Assert.Contains(Path.Combine(Path.GetDirectoryName(typeof(FashionMnist).Assembly.Location)!, "data", "fashion-mnist"), probes);
    }

    [Fact]
    public void FindsTheDataPackageInANuGetPackagesFolderPreferringItsOwnVersionThenTheHighest()
    {
        using var packages = new TempFolder();
        Assert.Empty(FashionMnist.PackageFolders(packages.Path, "1.0.0"));
        Assert.Empty(FashionMnist.PackageFolders(null, "1.0.0"));
        var root = Path.Combine(packages.Path, "pixmix.data.fashionmnist");
        foreach (var v in new[] { "1.0.0-ci", "1.0.0", "0.9.0", "1.10.0", "1.2.0" }) Directory.CreateDirectory(Path.Combine(root, v));
        string Folder(string v) => Path.Combine(root, v, "data", "fashion-mnist");
        Assert.Equal([Folder("1.0.0-ci"), Folder("1.10.0"), Folder("1.2.0"), Folder("1.0.0"), Folder("0.9.0")], FashionMnist.PackageFolders(packages.Path, "1.0.0-CI"));
        Assert.Equal([Folder("1.10.0"), Folder("1.2.0"), Folder("1.0.0"), Folder("1.0.0-ci"), Folder("0.9.0")], FashionMnist.PackageFolders(packages.Path, "2.0.0"));
        Assert.Equal(FashionMnist.DataPackageId.ToLowerInvariant(), Path.GetFileName(root));
    }

    [Fact]
    public void VersionsCompareNumericallyWithAReleaseAfterItsPreReleasesAndTheErrorNamesTheDataPackage()
    {
        Assert.True(FashionMnist.CompareVersions("1.0.0", "1.0.0-ci") > 0);
        Assert.True(FashionMnist.CompareVersions("1.10.0", "1.9.0") > 0);
        Assert.True(FashionMnist.CompareVersions("1.0.0-beta", "1.0.0-alpha") > 0);
        Assert.Equal(0, FashionMnist.CompareVersions("1.0.0", "1.0.0"));
        var message = FashionMnist.NotFoundMessage();
        Assert.Contains("PixMix.Data.FashionMnist", message);
        Assert.Contains(FashionMnist.DataEnvironmentVariable, message);
        Assert.Contains(AppContext.BaseDirectory, message);
    }
}

[Collection(nameof(MemoryMeasuringCollection))]
public class FashionMnistEnvironmentTests
{
    [Fact]
    public void TheDataPackageIsLookedForInTheFolderNuGetPackagesNames()
    {
        using var packages = new TempFolder();
        var folder = Path.Combine(packages.Path, "pixmix.data.fashionmnist", "1.0.0", "data", "fashion-mnist");
        var previous = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        try
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", packages.Path);
            Assert.DoesNotContain(folder, FashionMnist.Probes());
            Directory.CreateDirectory(folder);
            Assert.Equal(folder, FashionMnist.Probes().Last());
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", previous);
        }
    }

    [Fact]
    public void PixmixDataEnvironmentVariableIsUsedWhenNoPathIsGiven()
    {
        using var dir = new TempFolder();
        var repo = Fixtures.RepoFashionMnist();
        Directory.CreateDirectory(dir.File("fashion-mnist"));
        foreach (var f in Directory.GetFiles(repo)) File.Copy(f, Path.Combine(dir.File("fashion-mnist"), Path.GetFileName(f)));
        var previous = Environment.GetEnvironmentVariable(FashionMnist.DataEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(FashionMnist.DataEnvironmentVariable, dir.Path);
            Assert.Equal(dir.File("fashion-mnist"), FashionMnist.Locate());
            Environment.SetEnvironmentVariable(FashionMnist.DataEnvironmentVariable, dir.File("nowhere"));
            Assert.Contains("PIXMIX_DATA=", Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Locate()).Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(FashionMnist.DataEnvironmentVariable, previous);
        }
    }
}
