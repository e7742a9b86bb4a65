using PixMix.Imaging;
using PixMix.Imaging.Corruptions;
using PixMix.TestSupport;
using PixMix.Imaging.Sources;

namespace PixMix.Cli.Tests;

/// <summary>The commands of the imaging core: fractals, augment, corrupt, bench.</summary>
public class ImagingCommandTests
{
    [Fact]
    public void FractalsWritesTheRequestedNumberOfDecodablePngs()
    {
        using var dir = new TempFolder();
        var json = CliRunner.RunJson("fractals", "--output", dir.Path, "--count", "3", "--size", "16", "--json");
        Assert.Equal(3, json.GetProperty("count").GetInt32());
        var files = Directory.GetFiles(dir.Path, "*.png").Order().ToArray();
        Assert.Equal(3, files.Length);
        var images = files.Select(f => ImageCodec.Read(f)).ToArray();
        Assert.All(images, img => Assert.Equal((16, 16), (img.Width, img.Height)));
        Assert.NotEqual(images[0].Data, images[1].Data);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void FractalsRejectsAnOutOfRangeCount()
        => CliRunner.AssertBadInput(["fractals", "--output", Path.GetTempPath(), "--count", "0"], "--count");

    [Fact]
    public void AugmentWritesAGridOfTheExpectedSize()
    {
        using var dir = new TempFolder();
        var path = dir.File("grid.png");
        CliRunner.RunJson("augment", "--output", path, "--samples", "2", "--size", "16", "--json");
        var grid = ImageCodec.Read(path);
        // 6 default images in rows, the image plus 2 samples in columns, 16 px cells with 2 px gaps.
        Assert.Equal(3 * (16 + 2) + 2, grid.Width);
        Assert.Equal(6 * (16 + 2) + 2, grid.Height);
    }

    [Fact]
    public void AugmentNamesAMissingInput()
        => CliRunner.AssertBadInput(["augment", "--output", Path.Combine(Path.GetTempPath(), "x.png"), "--input", "/no/such/picture.png"], "--input", "/no/such/picture.png");

    [Fact]
    public void BenchAugmentPrintsAPositiveThroughput()
    {
        var json = CliRunner.RunJson("bench", "augment", "--seconds", "0.2", "--json");
        Assert.True(json.GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.True(json.GetProperty("images").GetInt64() > 0);
    }

    [Fact]
    public void BenchAugmentReadsFashionMnistFromTheDataOption()
    {
        // A copy of the shipped folder elsewhere: --data is read, not the shipped copy beside the assembly.
        var copy = Directory.CreateTempSubdirectory("pixmix-bench-data-");
        try
        {
            var shipped = RepositoryRoot.Combine("data", "fashion-mnist");
            var target = Directory.CreateDirectory(Path.Combine(copy.FullName, "fashion-mnist")).FullName;
            foreach (var f in Directory.GetFiles(shipped)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
            var json = CliRunner.RunJson("bench", "augment", "--seconds", "0.1", "--data", copy.FullName, "--json");
            Assert.True(json.GetProperty("imagesPerSecond").GetDouble() > 0);
            // A damaged copy fails its checksum: proof that the copy, and not the shipped data, was read.
            var labels = Path.Combine(target, "t10k-labels-idx1-ubyte.gz");
            var bytes = File.ReadAllBytes(labels);
            bytes[100] ^= 1;
            File.WriteAllBytes(labels, bytes);
            CliRunner.AssertBadInput(["bench", "augment", "--seconds", "0.1", "--data", copy.FullName], labels, "checksum");
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void BenchAugmentRejectsAnOutOfRangeDuration()
        => CliRunner.AssertBadInput(["bench", "augment", "--seconds", "0"], "--seconds");

    [Fact]
    public void BenchPipelinePrintsProcessorAndPipelineThroughput()
    {
        var json = CliRunner.RunJson("bench", "pipeline", "--seconds", "0.1", "--size", "16", "--json");
        Assert.True(json.GetProperty("processor").GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.True(json.GetProperty("pipeline").GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.Equal(16, json.GetProperty("size").GetInt32());
    }

    [Fact]
    public void BenchPipelineRejectsAnOutOfRangeThreadCount()
        => CliRunner.AssertBadInput(["bench", "pipeline", "--threads", "0"], "--threads");

    [Theory]
    [InlineData("--images", "10")]
    [InlineData("--arch", "vgg")]
    [InlineData("--precision", "int8")]
    [InlineData("--data-threads", "65")]
    public void BenchTrainRejectsBadInputNamingTheOption(string option, string value)
        => CliRunner.AssertBadInput(["bench", "train", option, value], option);

    [Fact]
    public void BenchTrainMeasurementIsOneJsonLineWithTheFieldsTheReferenceScriptPrints()
    {
        var result = new PixMix.Cli.Benchmarks.TrainingBenchmarkResult("train", "WideResNet", 40, 4, "cuda", true, 128, 8192, 3, 16, 2500.5, 0.012, 9.1, 6.5, "data")
        {
            DeviceName = "NVIDIA H100", Precision = PixMix.MLNet.Training.TrainingPrecision.Bf16, ChannelsLast = true, DataThreads = 15, PeakGpuMemoryBytes = 123456789,
            DeviceWaitFraction = 0.61, CudnnBenchmark = true,
        };
        var line = PixMix.Cli.Commands.BenchTrainCommand.Measurement.From(result).ToJson();
        Assert.DoesNotContain('\n', line);
        using var document = System.Text.Json.JsonDocument.Parse(line);
        var json = document.RootElement;
        Assert.Equal("NVIDIA H100", json.GetProperty("device").GetString());
        Assert.Equal("WideResNet-40-4", json.GetProperty("architecture").GetString());
        Assert.Equal(128, json.GetProperty("batch_size").GetInt32());
        Assert.Equal("bf16", json.GetProperty("precision").GetString());
        Assert.True(json.GetProperty("channels_last").GetBoolean());
        Assert.True(json.GetProperty("pixmix").GetBoolean());
        Assert.Equal(2500.5, json.GetProperty("images_per_s").GetDouble());
        Assert.Equal(0.012, json.GetProperty("data_wait_fraction").GetDouble());
        Assert.Equal(0.61, json.GetProperty("device_wait_fraction").GetDouble());
        Assert.True(json.GetProperty("cudnn_benchmark").GetBoolean());
        Assert.Equal(123456789, json.GetProperty("peak_gpu_memory_bytes").GetInt64());
        Assert.Equal(2, json.GetProperty("measured_epochs").GetInt32());
    }

    [Fact]
    public void BenchCorruptPrintsOneEntryPerCorruption()
    {
        var json = CliRunner.RunJson("bench", "corrupt", "--corruptions", "brightness,gaussian_noise", "--seconds", "0.05", "--json");
        var entries = json.EnumerateArray().ToList();
        Assert.Equal(["brightness", "gaussian_noise"], entries.Select(e => e.GetProperty("corruption").GetString()));
        Assert.All(entries, e => Assert.True(e.GetProperty("imagesPerSecond").GetDouble() > 0));
    }

    [Fact]
    public void BenchCorruptNamesAnUnknownCorruption()
        => CliRunner.AssertBadInput(["bench", "corrupt", "--corruptions", "brightness,fuzz"], "--corruptions", "'fuzz'");

    [Fact]
    public void CorruptWritesACifarCLayoutMatchingTheOnTheFlyCorruptions()
    {
        using var dir = new TempFolder();
        var json = CliRunner.RunJson("corrupt", "--data", "fashion-mnist", "--limit", "20", "--corruptions", "brightness,contrast", "--seed", "3", "--output", dir.Path, "--json");
        Assert.Equal(20, json.GetProperty("images").GetInt64());

        using var set = CifarCorruptedSet.Open(dir.Path);
        Assert.Equal(["brightness", "contrast"], set.Corruptions);
        Assert.True(set.HasLabels);
        var clean = FashionMnist.OpenAs32x32Rgb(train: false);
        foreach (var name in set.Corruptions)
        {
            var all = set.GetAllSeverities(name);
            Assert.Equal((100L, 32, 32, 3), (all.Count, all.Height, all.Width, all.Channels));
            for (int i = 0; i < 100; i++) Assert.Equal(clean.ReadLabel(i % 20), all.ReadLabel(i));
        }

        // The file's severity-4 block holds the same bytes as the test images corrupted on the fly with the same seed,
        // and they differ from the clean images.
        var stored = set.Get("contrast", 4);
        var onTheFly = new CorruptedImageSource(new ImageSourceSlice(clean, 0, 20), CorruptionKind.Contrast, 4, seed: 3);
        var a = new byte[32 * 32 * 3];
        var b = new byte[32 * 32 * 3];
        var c = new byte[32 * 32 * 3];
        for (int i = 0; i < 20; i++)
        {
            stored.ReadImage(i, a);
            onTheFly.ReadImage(i, b);
            clean.ReadImage(i, c);
            Assert.Equal(b, a);
            if (i == 0) Assert.NotEqual(c, a);
        }
    }

    [Theory]
    [InlineData(new[] { "corrupt", "--data", "fashion-mnist" }, "--output")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--severities", "2-3" }, "--severities")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--severities", "0-9" }, "--severities")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--limit", "0" }, "--limit")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--data", "cifar10:/no/such/folder" }, "--data", "/no/such/folder")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--data", "mnist" }, "--data", "'mnist'")]
    [InlineData(new[] { "corrupt", "--output", "OUT", "--parameters", "tiny" }, "--parameters", "tiny")]
    public void CorruptRejectsBadInputNamingTheOption(string[] args, params string[] fragments)
    {
        using var dir = new TempFolder();
        CliRunner.AssertBadInput(args.Select(a => a == "OUT" ? dir.Path : a).ToArray(), fragments);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void CorruptNamesAMalformedCifarFolder()
    {
        using var dir = new TempFolder();
        var cifar = Directory.CreateDirectory(Path.Combine(dir.Path, "cifar-10-batches-bin")).FullName;
        File.WriteAllBytes(Path.Combine(cifar, "test_batch.bin"), new byte[100]);
        CliRunner.AssertBadInput(["corrupt", "--output", dir.File("out"), "--data", "cifar10:" + cifar], "test_batch.bin");
    }

    [Theory]
    [InlineData("fractals")]
    [InlineData("augment")]
    [InlineData("corrupt")]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("import-pytorch")]
    public void EveryCommandHasHelpNamingItsOptions(string command)
    {
        var (code, output, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("--json", output);
        Assert.Contains("--output", output);
    }
}
