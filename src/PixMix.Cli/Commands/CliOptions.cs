namespace PixMix.Cli.Commands;

/// <summary>Option factories shared by commands, with range validation that names the option.</summary>
internal static class CliOptions
{
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max)
    {
        var o = new Option<int>(name) { Description = $"{description} ({min}..{max}, default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        Range(o, v => v >= min && v <= max, $"in {min}..{max}");
        return o;
    }

    public static Option<double> Double(string name, string description, double defaultValue, double min, double max)
    {
        var o = new Option<double>(name) { Description = $"{description} ({min}..{max}, default {defaultValue})", DefaultValueFactory = _ => defaultValue };
        Range(o, v => v >= min && v <= max, $"in {min}..{max}");
        return o;
    }

    /// <summary>
    /// The one range check of numeric options: a value outside <paramref name="inRange"/> is a parse error naming the
    /// option and <paramref name="expected"/>. A value that does not parse as <typeparamref name="T"/> at all (text, a
    /// fraction for an integer, a number beyond the type) is left to the parser, which reports it as the option's error;
    /// reading it here would throw out of the parse.
    /// </summary>
    public static void Range<T>(Option<T> option, Func<T, bool> inRange, string expected)
    {
        option.Validators.Add(r =>
        {
            T value;
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (!inRange(value)) r.AddError($"Option '{option.Name}' must be {expected}, got {value}.");
        });
    }

    /// <summary>--arch: the networks a command offers (a subset of small-cnn, wrn, resnet18, resnet50), the one way every command reads it.</summary>
    public static Option<string> Architecture(string defaultValue, params string[] offered)
    {
        var o = new Option<string>("--arch") { Description = $"Network: {string.Join(", ", offered)} (wrn: WideResNet) (default {defaultValue}).", DefaultValueFactory = _ => defaultValue };
        o.AcceptOnlyFromAmong(offered);
        return o;
    }

    /// <summary>The value of <see cref="Architecture"/>.</summary>
    public static MLNet.Models.ModelArchitecture ParseArchitecture(string value) => value switch
    {
        "small-cnn" => MLNet.Models.ModelArchitecture.SmallCnn,
        "resnet18" => MLNet.Models.ModelArchitecture.ResNet18,
        "resnet50" => MLNet.Models.ModelArchitecture.ResNet50,
        _ => MLNet.Models.ModelArchitecture.WideResNet,
    };

    /// <summary>--depth, which WideResNet needs as 6n + 4; other networks ignore it.</summary>
    public static int CheckDepth(MLNet.Models.ModelArchitecture architecture, int depth)
    {
        if (architecture == MLNet.Models.ModelArchitecture.WideResNet && (depth - 4) % 6 != 0)
            throw new UsageException($"Option '--depth' must be 6n + 4 (10, 16, 22, 28, 40, ...) for wrn, got {depth}.");
        return depth;
    }

    /// <summary>--device: cpu, cuda or auto (CUDA when available), the one way every command reads it.</summary>
    public static Option<string> Device(string defaultValue)
    {
        var o = new Option<string>("--device") { Description = $"cpu, cuda or auto (CUDA when available) (default {defaultValue}).", DefaultValueFactory = _ => defaultValue };
        o.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        return o;
    }

    /// <summary>The value of <see cref="Device"/>.</summary>
    public static MLNet.Training.TrainingDevice ParseDevice(string value) => value switch
    {
        "cpu" => MLNet.Training.TrainingDevice.Cpu,
        "cuda" => MLNet.Training.TrainingDevice.Cuda,
        _ => MLNet.Training.TrainingDevice.Auto,
    };

    public static Option<long> Seed() => new("--seed") { Description = "Random seed (default 0).", DefaultValueFactory = _ => 0L };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object with the results instead of text." };

    /// <summary>--precision of the trainer: fp32 (default), bf16 or fp16; read with <see cref="ParsePrecision"/>.</summary>
    public static Option<string> Precision() => new("--precision")
    {
        Description = "fp32, bf16 (autocast; CPU and CUDA) or fp16 (autocast with loss scaling; CUDA only) (default fp32).",
        DefaultValueFactory = _ => "fp32",
    };

    /// <summary>--no-cudnn-benchmark of the trainer.</summary>
    public static Option<bool> NoCudnnBenchmark() => new("--no-cudnn-benchmark")
    {
        Description = "On CUDA, do not let cuDNN time its convolution algorithms for each input shape (torch.backends.cudnn.benchmark, on by default).",
    };

    /// <summary>--channels-last of the trainer.</summary>
    public static Option<bool> ChannelsLast() => new("--channels-last") { Description = "Train in channels-last (NHWC) memory format (faster convolutions on recent GPUs)." };

    public static MLNet.Training.TrainingPrecision ParsePrecision(string value) => value.ToLowerInvariant() switch
    {
        "fp32" or "float32" => MLNet.Training.TrainingPrecision.Fp32,
        "bf16" or "bfloat16" => MLNet.Training.TrainingPrecision.Bf16,
        "fp16" or "float16" or "half" => MLNet.Training.TrainingPrecision.Fp16,
        _ => throw new UsageException($"--precision '{value}' is not one of fp32, bf16, fp16."),
    };

    public static Option<string> RequiredPath(string name, string description)
        => new(name) { Description = description, Required = true };

    public static Option<string> Data(string name, string description, string? defaultValue)
    {
        var o = new Option<string>(name) { Description = $"{description}: fashion-mnist[:<folder>] (shipped, or your own copy of its idx files), idx:<folder>[/<prefix>] (any MNIST-layout idx set: MNIST, KMNIST, EMNIST), cifar10:<folder>, cifar100:<folder> or folder:<folder> (root/<class>/<image>, or train/ and test/ trees){(defaultValue is null ? "" : $" (default {defaultValue})")}." };
        if (defaultValue is null) o.Required = true;
        else o.DefaultValueFactory = _ => defaultValue;
        return o;
    }

    /// <summary>The options that say how a data set's images are presented (grey idx, EMNIST transposition, damaged pictures).</summary>
    public static DataLayoutOptions DataLayout(bool grey = true) => new(grey);

    public static Option<string> Split()
    {
        var o = new Option<string>("--split") { Description = "The split to read: train or test (default test).", DefaultValueFactory = _ => "test" };
        o.AcceptOnlyFromAmong("train", "test");
        return o;
    }

    public static Option<int?> Limit(string name = "--limit", string description = "Use only the first N images")
    {
        var o = new Option<int?>(name) { Description = $"{description} (1..2147483647; default all)." };
        Range(o, v => v is not < 1, "at least 1");
        return o;
    }

    public static Option<string> CorruptionParameters()
    {
        var o = new Option<string>("--parameters") { Description = "Corruption parameter table: cifar (tuned for 32 px), imagenet (224 px) or auto (cifar up to 64 px) (default auto).", DefaultValueFactory = _ => "auto" };
        o.AcceptOnlyFromAmong("cifar", "imagenet", "auto");
        return o;
    }

    public static CorruptionParameterSet? ParseCorruptionParameters(string value) => value switch
    {
        "cifar" => CorruptionParameterSet.Cifar,
        "imagenet" => CorruptionParameterSet.ImageNet,
        _ => null,
    };

    public static IReadOnlyList<CorruptionKind> ParseCorruptions(string value)
    {
        try { return CorruptionSets.ParseList(value); }
        catch (ArgumentException e) { throw new UsageException($"--corruptions: {ExitCodes.OneLine(e)}"); }
    }

    public static IReadOnlyList<PixMix.Imaging.Perturbations.PerturbationKind> ParsePerturbations(string value)
    {
        try { return PixMix.Imaging.Perturbations.PerturbationSets.ParseList(value); }
        catch (ArgumentException e) { throw new UsageException($"--perturbations: {ExitCodes.OneLine(e)}"); }
    }

    public static IReadOnlyList<PixMix.Imaging.Perturbations.PerturbationSpec> ParsePerturbationSpecs(IReadOnlyList<PixMix.Imaging.Perturbations.PerturbationKind> kinds, string levels)
    {
        IReadOnlyList<int> parsed;
        try { parsed = PixMix.Imaging.Perturbations.PerturbationSets.ParseLevels(levels); }
        catch (ArgumentException e) { throw new UsageException($"--levels: {ExitCodes.OneLine(e)}"); }
        try { return PixMix.Imaging.Perturbations.PerturbationSets.Specs(kinds, parsed); }
        catch (ArgumentException e) { throw new UsageException($"--levels: {ExitCodes.OneLine(e)}"); }
    }

    public static IReadOnlyList<int> ParseSeverities(string value)
    {
        try { return CorruptionSets.ParseSeverities(value); }
        catch (ArgumentException e) { throw new UsageException($"--severities: {ExitCodes.OneLine(e)}"); }
    }

    /// <summary>An existing file named by an option; otherwise a usage error naming the option.</summary>
    public static string ExistingFile(string option, string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{option} '{path}' does not exist{(Directory.Exists(path) ? " as a file (it is a folder)" : "")}.");
        return path;
    }

    /// <summary>An existing folder named by an option; otherwise a usage error naming the option.</summary>
    public static string ExistingFolder(string option, string path)
    {
        if (!Directory.Exists(path)) throw new UsageException($"{option} '{path}' is not an existing folder.");
        return path;
    }

    /// <summary>
    /// Checks an output file path before any work: nothing is there yet or a regular file is (never a folder, device,
    /// FIFO, socket or symbolic link, which a rename would replace), and it is none of the command's
    /// <paramref name="inputs"/> (compared after resolving links, so another name of an input is caught too).
    /// </summary>
    public static string OutputFile(string option, string path, params string?[] inputs)
    {
        CheckNameLength(option, path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Directory) throw new UsageException($"{option} '{path}' is a folder; expected a file path to write.");
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new UsageException($"{option} '{path}' is {FileKinds.Describe(kind)}; expected a new path or a regular file to replace.");
        if (ClashingInput(path, inputs, (output, input) => string.Equals(output, input, PathComparison)) is { } input)
            throw new UsageException($"{option} '{path}' is the input '{input}'; write the output elsewhere, the input would be overwritten.");
        return path;
    }

    /// <summary>
    /// Checks an output folder before any work: nothing is there yet or a folder is (a link to one is fine), and it
    /// neither equals, lies inside nor contains a folder or file the command reads (<paramref name="inputs"/>).
    /// </summary>
    public static string OutputFolder(string option, string path, params string?[] inputs)
    {
        CheckNameLength(option, path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.SymbolicLink && Directory.Exists(path)) kind = FileKind.Directory;
        if (kind is not (FileKind.Missing or FileKind.Directory))
            throw new UsageException($"{option} '{path}' is {FileKinds.Describe(kind)}; expected a folder.");
        if (ClashingInput(path, inputs, (output, input) => SameOrInside(output, input) || SameOrInside(input, output)) is { } input)
            throw new UsageException($"{option} '{path}' overlaps the input '{input}' (the same folder, or one inside the other); write the output elsewhere.");
        return path;
    }

    /// <summary>The first of <paramref name="inputs"/> (nulls skipped) that <paramref name="clashes"/> with <paramref name="path"/>, both canonical.</summary>
    private static string? ClashingInput(string path, string?[] inputs, Func<string, string, bool> clashes)
    {
        string full = Canonical(path);
        return inputs.FirstOrDefault(input => input is not null && clashes(full, Canonical(input)));
    }

    /// <summary>The folder a data set is read from (null when it cannot be told, for example no shipped copy).</summary>
    public static string? DataFolderOf(DataSetReference reference) => reference.Kind switch
    {
        DataSetKind.FashionMnist when reference.Folder is null => ShippedDataFolder(),
        DataSetKind.Idx when reference.Folder is { } f && !Directory.Exists(f) => Path.GetDirectoryName(Path.GetFullPath(f)),
        _ => reference.Folder,
    };

    /// <summary>The shipped Fashion-MNIST folder, or null where there is none.</summary>
    public static string? ShippedDataFolder()
    {
        try { return FashionMnist.Locate(); }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or IOException) { return null; }
    }

    // Outputs are written as ".<name>.<pid>.<random>.tmp" first: the name must leave room for that within the 255 bytes
    // file systems allow a name, so that a long name fails here and not after hours of work.
    private static void CheckNameLength(string option, string path)
    {
        const int MaxName = 255 - 40;
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        int bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxName) throw new UsageException($"{option}: the name '{name[..Math.Min(40, name.Length)]}...' is {bytes} bytes long; at most {MaxName} are taken (file systems allow 255, and writing adds a temporary suffix).");
    }

    private static StringComparison PathComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static bool SameOrInside(string path, string folder)
        => string.Equals(path, folder, PathComparison)
            || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>The full path with every existing link along it resolved, so two names of one file compare equal.</summary>
    private static string Canonical(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        // Resolve the longest existing prefix; the rest does not exist yet and cannot be a link.
        string existing = full;
        string rest = "";
        while (!File.Exists(existing) && !Directory.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            rest = rest.Length == 0 ? Path.GetFileName(existing) : Path.Combine(Path.GetFileName(existing), rest);
            existing = parent;
        }
        string resolved = ResolveAll(existing);
        return rest.Length == 0 ? resolved : Path.Combine(resolved, rest);
    }

    private static string ResolveAll(string existing)
    {
        string? parent = Path.GetDirectoryName(existing);
        string head = parent is null ? existing : Path.Combine(ResolveAll(parent), Path.GetFileName(existing));
        FileSystemInfo info = Directory.Exists(head) ? new DirectoryInfo(head) : new FileInfo(head);
        var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? head : Path.TrimEndingDirectorySeparator(target.FullName);
    }
}
