using PixMix.Imaging.Fractals;
using PixMix.Imaging.Core;

namespace PixMix.Imaging.Tests.Fractals;

public class FractalSetWriterTests
{
    [Fact]
    public void WritesTheWholeSetOrNothing()
    {
        string root = Path.Combine(Path.GetTempPath(), "pixmix-fractal-set-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string target = Path.Combine(root, "out");
            int ticks = 0;
            FractalSetWriter.Write(target, 5, 16, seed: 3, tick: _ => Interlocked.Increment(ref ticks));
            Assert.Equal(5, ticks);
            Assert.Equal(Enumerable.Range(0, 5).Select(FractalSetWriter.FileName), Directory.GetFiles(target).Select(Path.GetFileName).Order());
            // The pictures are the generator's.
            var expected = new ImageU8(16, 16, 3);
            FractalGenerator.Render(3, 4, expected);
            Assert.Equal(expected.Span.ToArray(), ImageCodec.Read(Path.Combine(target, FractalSetWriter.FileName(4))).Span.ToArray());
            // A second run into the same folder is refused and leaves it as it was; no staging folder is left behind.
            var e = Assert.Throws<InvalidInputDataException>(() => FractalSetWriter.Write(target, 3, 16, seed: 9));
            Assert.Contains("not empty", e.Message);
            Assert.Equal(5, Directory.GetFiles(target).Length);
            Assert.Equal(["out"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
            // An empty folder that exists is filled.
            string empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
            FractalSetWriter.Write(empty, 2, 16, seed: 1);
            Assert.Equal(2, Directory.GetFiles(empty).Length);
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }
    }
}
