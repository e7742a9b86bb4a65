using PixMix.Imaging.Mixing;
using PixMix.TestSupport;
using PixMix.Imaging.Core;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;
using PixMix.Imaging.Tests.Sources;

namespace PixMix.Imaging.Tests.Core;

/// <summary>Pictures declaring huge sizes, folder walks through links and loops, and FIFOs named like inputs.</summary>
public class HostileInputTests
{
    internal static byte[] PngDeclaring(int side) => PictureFiles.PngDeclaring(side);

    [Fact]
    public void APictureDeclaring16384SquaredPixelsIsRefusedByTheBudgetBeforeDecoding()
    {
        using var t = new TempFolder();
        string path = t.Write("bomb.png", PngDeclaring(16384));
        Assert.True(new FileInfo(path).Length < 4096);
        Assert.True(ImageCodec.TryReadInfo(path, out int w, out int h));
        Assert.Equal((16384, 16384), (w, h));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var single = Assert.Throws<InvalidInputDataException>(() => ImageCodec.Read(path));
        Assert.Contains(path, single.Message);
        Assert.Contains("268,435,456 pixels", single.Message);
        Assert.Contains("89,478,485", single.Message);
        var check = Assert.Throws<InvalidInputDataException>(() => PictureFileCheck.Check(path));
        Assert.Contains("89,478,485", check.Message);
        Assert.False(ImageCodec.TryValidate(path, out var reason));
        Assert.Contains("picture budget", reason);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "the refusal allocated the picture");

        Directory.CreateDirectory(t.File("mix"));
        for (int i = 0; i < 8; i++) File.Copy(path, t.File($"mix/{i}.png"));
        var folder = Assert.Throws<InvalidInputDataException>(() => new FolderMixingSet(t.File("mix"), new MixingFolderOptions()));
        Assert.Contains("picture budget", folder.Message);
    }

    [Fact]
    public void ThePictureBudgetIsOneSettingForEveryCheckAndCanBeRaised()
    {
        Assert.Equal(89_478_485, PictureBudget.DefaultMaxPixels);
        Assert.Equal(PictureBudget.DefaultMaxPixels, PictureFileCheck.DefaultMaxPixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => PictureBudget.MaxPixels = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => PictureBudget.MaxPixels = (1L << 28) + 1);
        Assert.False(PictureBudget.Allows(16384, 16384));
        Assert.True(PictureBudget.Allows(9000, 9000));
        Assert.False(PictureBudget.Allows(0, 10));
    }

    [Fact]
    public async Task ConcurrentDecodesWaitForDecodeMemory()
    {
        long budget = PictureBudget.MaxConcurrentDecodeBytes;
        long side = (long)Math.Sqrt(budget / PictureBudget.DecodeBytesPerPixel / 2) + 1; // two of them exceed the budget
        using var first = PictureBudget.ReserveDecode(side, side);
        var second = Task.Run(() => PictureBudget.ReserveDecode(side, side));
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "a second decode got memory beyond the budget");
        first.Dispose();
        using var granted = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(PictureBudget.ReservedBytes >= side * side * PictureBudget.DecodeBytesPerPixel);
    }

    [Fact]
    public async Task LinkLoopsAndLinksOutOfTheRootAreNotWalked()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = new TempFolder();
        var png = PictureFiles.Encode("png", 16);
        t.Write("root/cat/a.png", png);
        t.Write("root/dog/b.png", png);
        t.Write("root/dog/sub/c.png", png);
        t.Write("outside/secret.png", png);
        Directory.CreateSymbolicLink(t.File("root/cat/self1"), t.File("root/cat"));
        Directory.CreateSymbolicLink(t.File("root/cat/self2"), ".");
        Directory.CreateSymbolicLink(t.File("root/dog/sub/up"), t.File("root/dog"));
        Directory.CreateSymbolicLink(t.File("root/cat/fs"), "/");
        Directory.CreateSymbolicLink(t.File("root/cat/out"), t.File("outside"));
        Directory.CreateSymbolicLink(t.File("root/dog/cats"), t.File("root/cat")); // inside the root: followed once there

        // WaitAsync throws (failing the test) when the walk does not finish in time.
        var source = await Task.Run(() => ImageFolderSource.Open(t.File("root"), new ImageFolderOptions { Size = 16 })).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["cat", "dog"], source.ClassNames);
        Assert.All(source.Paths, p => Assert.StartsWith(t.File("root") + "/", p));
        Assert.DoesNotContain(source.Paths, p => p.Contains("secret"));
        Assert.Equal(1, source.Paths.Count(p => p.EndsWith("/a.png") && p.Contains("/cat/")));
        // Each class folder is a walk of its own, confined to it: dog/cats (a link to another class) is not followed.
        Assert.Equal(3, source.Count); // cat/a, dog/b, dog/sub/c

        var files = SafeFileWalk.Files(t.File("root"));
        Assert.Equal(3, files.Length); // each real folder once: cat/a.png, dog/b.png, dog/sub/c.png
        var mixing = await Task.Run(() => new FolderMixingSet(t.File("root"), new MixingFolderOptions())).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, mixing.Count);
    }

    private static void MakeFifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", path)!;
        p.WaitForExit();
        Assert.Equal(FileKind.Fifo, FileKinds.Of(path));
    }

    /// <summary>Runs <paramref name="action"/>, failing (TimeoutException) when it blocks for 10 s.</summary>
    private static Task<T> Within<T>(Func<T> action) => Task.Run(action).WaitAsync(TimeSpan.FromSeconds(10));

    private static async Task<Exception> Refusal(Action action) =>
        Assert.IsType<InvalidInputDataException>(await Within(() => Record.Exception(action)));

    [Fact]
    public async Task FifosNamedLikeInputsAreRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return;
        using var t = new TempFolder();
        foreach (var name in new[] { "x.npy", "test_batch.bin", "p.png", "t10k-images-idx3-ubyte", "labels.npy" }) MakeFifo(t.File(name));

        Assert.Contains("x.npy", (await Refusal(() => NpyFile.Open(t.File("x.npy")).Dispose())).Message);
        Assert.Contains("FIFO", (await Refusal(() => NpyFile.Open(t.File("x.npy")).Dispose())).Message);
        Assert.Contains("t10k-images-idx3-ubyte", (await Refusal(() => IdxFile.Open(t.File("t10k-images-idx3-ubyte")).Dispose())).Message);
        Assert.Contains("p.png", (await Refusal(() => ImageCodec.Read(t.File("p.png")))).Message);
        Assert.Contains("p.png", (await Refusal(() => PictureFileCheck.Check(t.File("p.png")))).Message);
        Assert.Contains("test_batch.bin", (await Refusal(() => CifarBinarySource.OpenCifar10(t.Path, train: false).ReadLabel(0))).Message);
        Assert.False(await Within(() => ImageCodec.TryReadInfo(t.File("p.png"), out _, out _)));

        // In a walked folder a FIFO named like a picture is refused naming it, or skipped when asked.
        t.Write("folder/cls/a.png", PictureFiles.Encode("png", 16));
        MakeFifo(t.File("folder/cls/pipe.png"));
        Assert.Contains("pipe.png", (await Refusal(() => ImageFolderSource.Open(t.File("folder"), new ImageFolderOptions { Size = 16 }))).Message);
        var skipping = await Within(() => ImageFolderSource.Open(t.File("folder"), new ImageFolderOptions { Size = 16, SkipUnreadable = true }));
        Assert.Equal(1, skipping.Count);
        Assert.Contains(skipping.Skipped, s => s.Path.EndsWith("pipe.png"));
        Assert.Contains("pipe.png", (await Refusal(() => _ = new FolderMixingSet(t.File("folder"), new MixingFolderOptions()))).Message);
        Assert.Single(await Within(() => SafeFileWalk.Files(t.File("folder"))));
    }
}
