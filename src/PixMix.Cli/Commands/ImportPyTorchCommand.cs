using PixMix.Cli.Workflows;

namespace PixMix.Cli.Commands;

/// <summary>pixmix import-pytorch: a PyTorch checkpoint (the paper's released WideResNets) into a model file 'evaluate' scores.</summary>
internal static class ImportPyTorchCommand
{
    public static Command Create(TextWriter stdout)
    {
        var checkpoint = CliOptions.RequiredPath("--checkpoint", "The PyTorch checkpoint (.pth or .pth.tar from torch.save, PyTorch 1.6 or later).");
        var arch = CliOptions.Architecture("wrn", "wrn", "resnet18", "resnet50");
        var depth = CliOptions.Int("--depth", "WideResNet depth (6n + 4)", 40, 10, 202);
        var widen = CliOptions.Int("--widen", "WideResNet width multiplier", 4, 1, 32);
        var classes = CliOptions.Int("--classes", "Number of classes (0: from the checkpoint's fc.weight)", 0, 0, 100_000);
        var classNames = new Option<string?>("--class-names") { Description = "Comma-separated class names in output order (default 0, 1, ...)." };
        var channels = CliOptions.Int("--channels", "Input channels", 3, 1, 3);
        var size = CliOptions.Int("--size", "Input width and height", 32, 8, 1024);
        var output = CliOptions.RequiredPath("--output", "The model file to write.");
        var json = CliOptions.Json();
        var cmd = new Command("import-pytorch", "Import a PyTorch checkpoint (for example the PixMix paper's WideResNet-40-4) into a model file that 'evaluate' scores: the PixMix transform's deterministic path (CIFAR normalization at 32 px) then the network.")
        {
            checkpoint, arch, depth, widen, classes, classNames, channels, size, output, json,
        };
        cmd.SetAction(parse =>
        {
            string path = CliOptions.ExistingFile("--checkpoint", parse.GetValue(checkpoint)!);
            var architecture = CliOptions.ParseArchitecture(parse.GetValue(arch)!);
            int d = CliOptions.CheckDepth(architecture, parse.GetValue(depth));
            var names = parse.GetValue(classNames)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            int count = parse.GetValue(classes);
            if (names is not null && count != 0 && names.Length != count) throw new UsageException($"--class-names lists {names.Length} names but --classes is {count}.");
            string outPath = CliOptions.OutputFile("--output", parse.GetValue(output)!, path);
            int s = parse.GetValue(size);
            var options = new PyTorchImportOptions
            {
                Architecture = architecture, Depth = d, Widen = parse.GetValue(widen), ClassCount = count, ClassNames = names,
                ImageChannels = parse.GetValue(channels), ImageHeight = s, ImageWidth = s,
            };
            var (spec, classList) = PyTorchModelImport.Run(new MLContext(seed: 1), path, options, outPath);
            var full = Path.GetFullPath(outPath);
            CliOutput.Result(stdout, parse.GetValue(json), new
            {
                command = "import-pytorch", checkpoint = Path.GetFullPath(path), output = full, architecture = spec.Architecture.ToString(),
                depth = spec.Depth, widen = spec.Widen, classes = spec.Classes, channels = spec.Channels, size = spec.Width, classNames = classList,
            }, $"Imported {spec.Architecture} ({spec.Classes} classes, {spec.Channels}x{spec.Height}x{spec.Width}) from {path} into {full}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
