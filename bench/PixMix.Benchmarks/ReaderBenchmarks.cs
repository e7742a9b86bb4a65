using BenchmarkDotNet.Attributes;
using PixMix.Imaging;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;

namespace PixMix.Benchmarks;

/// <summary>
/// Data readers: a CIFAR-10-C sized corruption file (50,000 32x32x3 images, 150 MB) read image by image,
/// memory-mapped against positioned reads; CIFAR binary records converted from planar to HWC.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private string _folder = "";
    private CifarCorruptedSet? _set;
    private CifarBinarySource? _cifar;
    private readonly byte[] _image = new byte[3072];

    /// <summary>How the corruption file is read.</summary>
    [Params(DataFileAccess.MemoryMapped, DataFileAccess.PositionedReads)]
    public DataFileAccess Access { get; set; }

    /// <summary>Writes a one-corruption CIFAR-C folder and a CIFAR-10 test batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "pixmix-reader-bench-" + Guid.NewGuid().ToString("N")[..8]);
        CorruptedSetWriter.Write(new FilledSource(10000), _folder, ["fog"], (name, severity, src, dst, index) => src.CopyTo(dst));
        _set = CifarCorruptedSet.Open(_folder, access: Access);
        var batch = new byte[10000 * 3073];
        new Random(1).NextBytes(batch);
        for (int r = 0; r < 10000; r++) batch[r * 3073] = (byte)(r % 10);
        Directory.CreateDirectory(Path.Combine(_folder, "cifar-10-batches-bin"));
        File.WriteAllBytes(Path.Combine(_folder, "cifar-10-batches-bin", "test_batch.bin"), batch);
        _cifar = CifarBinarySource.OpenCifar10(_folder, train: false, Access);
    }

    /// <summary>Deletes the files.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _set?.Dispose();
        _cifar?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Reads the 50,000 images and labels of all 5 severities.</summary>
    [Benchmark]
    public long ReadCorruptionFile()
    {
        long sum = 0;
        for (int severity = 1; severity <= 5; severity++)
        {
            var source = _set!.Get("fog", severity);
            for (long i = 0; i < source.Count; i++)
            {
                source.ReadImage(i, _image);
                sum += _image[0] + source.ReadLabel(i);
            }
        }
        return sum;
    }

    /// <summary>Reads the 10,000 records of a CIFAR-10 batch as HWC images.</summary>
    [Benchmark]
    public long ReadCifarBatch()
    {
        long sum = 0;
        for (long i = 0; i < _cifar!.Count; i++)
        {
            _cifar.ReadImage(i, _image);
            sum += _image[1] + _cifar.ReadLabel(i);
        }
        return sum;
    }

    private sealed class FilledSource(long count) : IImageSource
    {
        public long Count => count;
        public int Width => 32;
        public int Height => 32;
        public int Channels => 3;
        public bool HasLabels => true;
        public IReadOnlyList<string>? ClassNames => null;
        public void ReadImage(long index, Span<byte> destination) => destination[..3072].Fill((byte)index);
        public int ReadLabel(long index) => (int)(index % 10);
    }
}
