using System.CommandLine;
using PixMix.Imaging.Perturbations;
using PixMix.MLNet.Training;
using PixMix.Imaging.Corruptions;

namespace PixMix.Cli.Commands;

/// <summary>pixmix perturb: writes a CIFAR-10-P style folder (one .npy of sequences per perturbation plus labels.npy) from a data set.</summary>
internal static class PerturbCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var copy = new DataSetCopyOptions("The folder to write <perturbation>.npy and labels.npy to (created if missing).", grey: true);
        var perturbations = new Option<string>("--perturbations") { Description = "Perturbations: benchmark (the ten of the mean flip probability), extra (speckle_noise, gaussian_blur, snow, shear), all, or names such as rotate,gaussian_noise (default benchmark).", DefaultValueFactory = _ => "benchmark" };
        var levels = new Option<string>("--levels") { Description = "Noise difficulty levels written: 1, 1-3 or 2,3; levels 2 and 3 add <noise>_2.npy and <noise>_3.npy, which the mean leaves out (default 1).", DefaultValueFactory = _ => "1" };
        levels.Aliases.Add("--difficulty");
        var cmd = copy.Command("perturb", "Write CIFAR-10-P style perturbation sequences of a data set: <perturbation>.npy, uint8 (N, frames, H, W, C), and labels.npy. Deterministic for a seed.",
            [perturbations, levels]);
        cmd.SetAction(parse =>
        {
            var reference = copy.Reference(parse);
            var specs = CliOptions.ParsePerturbationSpecs(CliOptions.ParsePerturbations(parse.GetValue(perturbations)!), parse.GetValue(levels)!);
            string folder = copy.OutputFolder(parse, reference);
            long sd = copy.Seed(parse);
            bool asJson = copy.Json(parse);
            using var opened = copy.Open(parse, reference);
            var skipped = DataLayoutOptions.Skipped(opened.Source);
            var source = copy.Source(parse, opened);
            if (source.Width < Perturber.MinSize || source.Height < Perturber.MinSize)
                throw new UsageException($"--data: the images are {source.Width}x{source.Height}; perturbation sequences need at least {Perturber.MinSize}x{Perturber.MinSize} px.");
            long total = source.Count * specs.Count;
            IReadOnlyList<string> written = [];
            var counter = new UnitProgress("perturbation", specs.Count, total);
            Progress.Run(stderr, display =>
            {
                var progress = new InlineProgress<PerturbationProgress>(p =>
                {
                    if (source.Count > 0 && p.SequencesDone % source.Count == 0 && p.SequencesDone / source.Count > counter.Done)
                        display.Milestone("perturb", counter.Fraction, counter.Complete(p.Perturbation, p.SequencesDone, imagesAreTotal: true));
                    else
                        display.Update("perturb", (double)p.SequencesDone / Math.Max(1, total), counter.Advance(p.Perturbation, p.SequencesDone));
                });
                written = PerturbationSets.Write(source, folder, specs, sd, copy.WriterOptions(parse, reference), progress);
            });
            var full = Path.GetFullPath(folder);
            CliOutput.Result(stdout, asJson, new
            {
                command = "perturb", output = full, data = reference.Name, sequences = source.Count, perturbations = specs.Select(s => s.Name).ToArray(),
                frames = specs.Select(s => s.FrameCount).ToArray(), seed = sd, size = new[] { source.Height, source.Width, source.Channels },
                files = written.Select(Path.GetFileName).ToArray(), skippedImages = skipped.Count, skippedFiles = skipped,
            }, $"Wrote {specs.Count} perturbation file(s) of {source.Count} sequences and labels to {full}{DataLayoutOptions.SkippedText(skipped, "image(s)")}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
