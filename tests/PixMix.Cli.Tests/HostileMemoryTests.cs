using System.Diagnostics;
using System.IO.Compression;
using PixMix.TestSupport;

namespace PixMix.Cli.Tests;

/// <summary>
/// Bombs refused within their memory budget, measured where TorchSharp's native allocations show too: each case runs
/// `pixmix` as a child process and its peak resident memory (VmHWM) is read while it runs.
/// </summary>
public class HostileMemoryTests
{
    /// <summary>What a refusal may cost: the runtime, LibTorch and SkiaSharp loaded, plus a margin far below any bomb.</summary>
    private const long BudgetBytes = 512L << 20;

    [Fact]
    public void ADeflatedStorageBombIsRefusedWithinTheBudget()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var d = new TempFolder();
        string path = d.File("bomb.pth");
        // 768 MiB of zeros behind a small entry: the pickle declares them as fc.weight.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("archive/data.pkl").Open()) s.Write(BadInputMatrixTests.OneTensor(192 << 20));
            using var storage = zip.CreateEntry("archive/data/0", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 768; i++) storage.Write(zeros);
        }
        Assert.True(new FileInfo(path).Length < 8 << 20);
        var (code, error, peak) = RunChild("import-pytorch", "--checkpoint", path, "--output", d.File("m.zip"));
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains(path, error);
        Assert.True(peak < BudgetBytes, $"peak resident memory {peak >> 20} MiB");
        Assert.False(File.Exists(d.File("m.zip")));
    }

    [Fact]
    public void EightHugePictureHeadersInAMixingFolderAreRefusedWithinTheBudget()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var d = new TempFolder();
        IdxFiles.WriteDataSet(d.File("idx"), train: 8, test: 4, classes: 2);
        Directory.CreateDirectory(d.File("mix"));
        for (int i = 0; i < 8; i++) File.WriteAllBytes(d.File($"mix/big{i}.png"), PictureFiles.PngDeclaring(16384));
        var (code, error, peak) = RunChild("train", "--data", "idx:" + d.File("idx"), "--mixing", d.File("mix"), "--arch", "small-cnn", "--epochs", "1",
            "--output", d.File("m.zip"));
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Contains("big", error);
        Assert.True(peak < BudgetBytes, $"peak resident memory {peak >> 20} MiB");
    }

    private static (int Code, string Error, long PeakBytes) RunChild(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "pixmix.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        long peak = 0;
        string status = $"/proc/{process.Id}/status";
        while (!process.WaitForExit(10))
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
            }
            catch (IOException) { }
            if (!process.HasExited && process.StartTime < DateTime.Now.AddMinutes(-2)) { process.Kill(entireProcessTree: true); Assert.Fail("the child ran past 2 minutes"); }
        }
        _ = stdout.Result;
        Assert.True(peak > 0, "no memory reading was taken");
        return (process.ExitCode, stderr.Result, peak);
    }
}
