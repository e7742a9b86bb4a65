using PixMix.Imaging.Corruptions;

namespace PixMix.Cli.Commands;

/// <summary>pixmix corrupt: writes a CIFAR-10-C style folder (one .npy per corruption plus labels.npy) from a data set.</summary>
internal static class CorruptCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = CliOptions.Data("--data", "The clean data set", "fashion-mnist");
        var split = CliOptions.Split();
        var corruptions = new Option<string>("--corruptions") { Description = "Corruptions: all (19), benchmark (15), extra (4) or names such as gaussian_noise,contrast (default benchmark).", DefaultValueFactory = _ => "benchmark" };
        var severities = new Option<string>("--severities") { Description = "Severities written; the CIFAR-C layout holds all five, so only 1-5 is accepted (default 1-5).", DefaultValueFactory = _ => "1-5" };
        var limit = CliOptions.Limit();
        var parameters = CliOptions.CorruptionParameters();
        var seed = CliOptions.Seed();
        var threads = CliOptions.Int("--threads", "Worker threads (0: all processors)", 0, 0, 1024);
        var output = CliOptions.RequiredPath("--output", "The folder to write <corruption>.npy and labels.npy to (created if missing).");
        var json = CliOptions.Json();
        var layout = CliOptions.DataLayout(grey: false);
        var cmd = new Command("corrupt", "Write a CIFAR-10-C style corrupted copy of a data set: <corruption>.npy (5N images, severities 1..5 in blocks of N) and labels.npy. Deterministic for a seed.")
        {
            data, split, corruptions, severities, limit, parameters, seed, threads, output, json,
        };
        foreach (var option in layout.All) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            var reference = DataSetReference.Parse(parse.GetValue(data)!, "--data");
            var kinds = CliOptions.ParseCorruptions(parse.GetValue(corruptions)!);
            var sev = CliOptions.ParseSeverities(parse.GetValue(severities)!);
            if (sev.Count != Corruptor.MaxSeverity)
                throw new UsageException($"--severities '{parse.GetValue(severities)}': the CIFAR-C layout stores all five severities in each file; use 1-5 (evaluate --generate-corruptions takes a subset).");
            string folder = CliOptions.OutputFolder("--output", parse.GetValue(output)!, CliOptions.DataFolderOf(reference));
            var set = CliOptions.ParseCorruptionParameters(parse.GetValue(parameters)!);
            long sd = parse.GetValue(seed);
            bool asJson = parse.GetValue(json);
            using var opened = new SourceScope(reference.Open(parse.GetValue(split) == "train", layout.Read(parse)));
            var skipped = DataLayoutOptions.Skipped(opened.Source);
            var source = ImageSourceSlice.Take(opened.Source, parse.GetValue(limit));
            long total = source.Count * Corruptor.MaxSeverity * kinds.Count;
            IReadOnlyList<string> written = [];
            // One line per corruption written (each holds N images x 5 severities); the live bar moves every chunk.
            long perCorruption = source.Count * Corruptor.MaxSeverity;
            var counter = new UnitProgress("corruption", kinds.Count, total);
            Progress.Run(stderr, display =>
            {
                var progress = new InlineProgress<CorruptedSetProgress>(p =>
                {
                    if (perCorruption > 0 && p.ImagesDone > 0 && p.ImagesDone % perCorruption == 0 && p.ImagesDone / perCorruption > counter.Done)
                    {
                        string line = counter.Complete(p.Corruption, p.ImagesDone, imagesAreTotal: true);
                        display.Milestone("corrupt", counter.Fraction, line);
                    }
                    else
                        display.Update("corrupt", (double)p.ImagesDone / Math.Max(1, total), counter.Advance(p.Corruption, p.ImagesDone));
                });
                written = CorruptionSets.Write(source, folder, kinds, sd, set, new CorruptedSetWriterOptions
                {
                    MaxDegreeOfParallelism = parse.GetValue(threads),
                    SetDescription = $"data={reference.Name}; split={parse.GetValue(split)}; limit={parse.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}",
                }, progress);
            });
            var full = Path.GetFullPath(folder);
            CliOutput.Result(stdout, asJson, new
            {
                command = "corrupt", output = full, data = reference.Name, images = source.Count, corruptions = kinds.Select(CorruptionNames.ToName).ToArray(),
                severities = sev, parameters = set?.ToString() ?? "auto", seed = sd, files = written.Select(Path.GetFileName).ToArray(),
                skippedImages = skipped.Count, skippedFiles = skipped,
            }, $"Wrote {kinds.Count} corruption file(s) of {source.Count} x 5 images and labels to {full}{DataLayoutOptions.SkippedText(skipped, "image(s)")}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
