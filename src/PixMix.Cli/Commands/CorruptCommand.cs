using PixMix.Imaging.Corruptions;

namespace PixMix.Cli.Commands;

/// <summary>pixmix corrupt: writes a CIFAR-10-C style folder (one .npy per corruption plus labels.npy) from a data set.</summary>
internal static class CorruptCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var copy = new DataSetCopyOptions("The folder to write <corruption>.npy and labels.npy to (created if missing).", grey: false);
        var corruptions = new Option<string>("--corruptions") { Description = "Corruptions: all (19), benchmark (15), extra (4) or names such as gaussian_noise,contrast (default benchmark).", DefaultValueFactory = _ => "benchmark" };
        var severities = new Option<string>("--severities") { Description = "Severities written; the CIFAR-C layout holds all five, so only 1-5 is accepted (default 1-5).", DefaultValueFactory = _ => "1-5" };
        var parameters = CliOptions.CorruptionParameters();
        var cmd = copy.Command("corrupt", "Write a CIFAR-10-C style corrupted copy of a data set: <corruption>.npy (5N images, severities 1..5 in blocks of N) and labels.npy. Deterministic for a seed.",
            [corruptions, severities], parameters);
        cmd.SetAction(parse =>
        {
            var reference = copy.Reference(parse);
            var kinds = CliOptions.ParseCorruptions(parse.GetValue(corruptions)!);
            var sev = CliOptions.ParseSeverities(parse.GetValue(severities)!);
            if (sev.Count != Corruptor.MaxSeverity)
                throw new UsageException($"--severities '{parse.GetValue(severities)}': the CIFAR-C layout stores all five severities in each file; use 1-5 (evaluate --generate-corruptions takes a subset).");
            string folder = copy.OutputFolder(parse, reference);
            var set = CliOptions.ParseCorruptionParameters(parse.GetValue(parameters)!);
            long sd = copy.Seed(parse);
            bool asJson = copy.Json(parse);
            using var opened = copy.Open(parse, reference);
            var skipped = DataLayoutOptions.Skipped(opened.Source);
            var source = copy.Source(parse, opened);
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
                written = CorruptionSets.Write(source, folder, kinds, sd, set, copy.WriterOptions(parse, reference), progress);
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
