using PixMix.Cli.Workflows;

namespace PixMix.Cli.Commands;

/// <summary>pixmix train: trains an image classifier with or without PixMix and saves the model file.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = CliOptions.Data("--data", "The training data (its train split; the test split validates after every epoch with --validate)", "fashion-mnist");
        var size = CliOptions.Int("--size", "Image size of folder data sets (images are resized and centre-cropped; recorded in the model file)", 32, 8, 1024);
        var pixmix = new Option<bool>("--pixmix") { Description = "Train with PixMix (the default)." };
        var noPixmix = new Option<bool>("--no-pixmix") { Description = "Train the baseline: the train transform (random crop and flip) and normalization only, no PixMix." };
        var mixing = new Option<string?>("--mixing") { Description = "A folder of mixing pictures (any nesting); default: the built-in fractals." };
        var pixMixOptions = new PixMixOptions(new PixMixParameters(), "PixMix k (maximum mixing rounds)");
        var allOps = new Option<bool>("--all-ops") { Description = "Use all 13 augmentation operations (the paper's setting; default true).", DefaultValueFactory = _ => true };
        var arch = CliOptions.Architecture("wrn", "small-cnn", "wrn", "resnet18", "resnet50");
        var depth = CliOptions.Int("--depth", "WideResNet depth (6n + 4)", 40, 10, 202);
        var widen = CliOptions.Int("--widen", "WideResNet width multiplier", 4, 1, 32);
        var dropout = CliOptions.Double("--dropout", "Dropout probability", 0.3, 0, 0.99);
        var epochs = CliOptions.Int("--epochs", "Passes over the training data", 100, 1, 100_000);
        var batchSize = CliOptions.Int("--batch-size", "Images per optimisation step", 128, 1, 65536);
        var lr = CliOptions.Double("--lr", "Initial learning rate (cosine schedule)", 0.1, 1e-8, 10);
        var weightDecay = CliOptions.Double("--weight-decay", "L2 weight decay", 5e-4, 0, 0.99);
        var device = CliOptions.Device("auto");
        var limit = CliOptions.Limit("--limit", "Use only the first N training images");
        var validate = new Option<bool>("--validate") { Description = "Measure the accuracy on the test split after every epoch." };
        var validationLimit = CliOptions.Limit("--validation-limit", "Validate on only the first N test images");
        var seed = CliOptions.Seed();
        var threads = CliOptions.Int("--threads", "Torch CPU threads (0: torch's default)", 0, 0, 1024);
        var precision = CliOptions.Precision();
        var channelsLast = CliOptions.ChannelsLast();
        var noBenchmark = CliOptions.NoCudnnBenchmark();
        var checkpoints = new Option<string?>("--checkpoints") { Description = "A folder to write a checkpoint to after every epoch." };
        var resume = new Option<string?>("--resume") { Description = "A checkpoint file, or a checkpoint folder (its latest), to continue from." };
        var output = CliOptions.RequiredPath("--output", "The model file to write (a zip holding the PixMix transform and the classifier).");
        var json = CliOptions.Json();
        var layout = CliOptions.DataLayout();
        var cmd = new Command("train", "Train an image classifier with PixMix (or without, --no-pixmix) on a data set and save the model file, which scores raw images (see 'evaluate').")
        {
            data, size, pixmix, noPixmix, mixing, pixMixOptions.K, pixMixOptions.Beta, pixMixOptions.Severity, allOps, arch, depth, widen, dropout, epochs, batchSize, lr, weightDecay,
            device, limit, validate, validationLimit, seed, threads, precision, channelsLast, noBenchmark, checkpoints, resume, output, json,
        };
        foreach (var option in layout.All) cmd.Options.Add(option);
        cmd.SetAction(parse =>
        {
            if (parse.GetValue(pixmix) && parse.GetValue(noPixmix)) throw new UsageException("--pixmix and --no-pixmix contradict each other; give one.");
            var reference = DataSetReference.Parse(parse.GetValue(data)!, "--data");
            long sd = parse.GetValue(seed);
            if (sd is < int.MinValue or > int.MaxValue) throw new UsageException($"--seed {sd} must fit in 32 bits for training.");
            var architecture = CliOptions.ParseArchitecture(parse.GetValue(arch)!);
            int d = CliOptions.CheckDepth(architecture, parse.GetValue(depth));
            string? mixingFolder = parse.GetValue(mixing);
            if (mixingFolder is not null) CliOptions.ExistingFolder("--mixing", mixingFolder);
            string? resumeFrom = parse.GetValue(resume);
            if (resumeFrom is not null && !File.Exists(resumeFrom) && !Directory.Exists(resumeFrom))
                throw new UsageException($"--resume '{resumeFrom}' is neither a checkpoint file nor a checkpoint folder.");
            string? dataFolder = CliOptions.DataFolderOf(reference);
            string path = CliOptions.OutputFile("--output", parse.GetValue(output)!, resumeFrom, dataFolder, mixingFolder);
            if (parse.GetValue(checkpoints) is { } checkpointFolder) CliOptions.OutputFolder("--checkpoints", checkpointFolder, dataFolder, mixingFolder, path);
            bool asJson = parse.GetValue(json);

            var openOptions = layout.Read(parse, parse.GetValue(size));
            using var trainSource = new SourceScope(reference.Open(train: true, openOptions));
            using var testSource = parse.GetValue(validate) ? new SourceScope(reference.Open(train: false, openOptions)) : null;
            var mixingSet = mixingFolder is null ? null : (FolderMixingSet)MixingSet.FromFolder(mixingFolder, new MixingFolderOptions { SkipUnreadable = openOptions.SkipUnreadable });
            var skippedImages = DataLayoutOptions.Skipped(trainSource.Source).Concat(DataLayoutOptions.Skipped(testSource?.Source)).Distinct(StringComparer.Ordinal).ToArray();
            var skippedMixing = mixingSet?.Skipped ?? [];
            var trainImages = ImageSourceSlice.Take(trainSource.Source, parse.GetValue(limit));
            var settings = new ClassifierTrainingSettings
            {
                TrainImages = trainImages,
                ValidationImages = testSource is null ? null : ImageSourceSlice.Take(testSource.Source, parse.GetValue(validationLimit)),
                UsePixMix = !parse.GetValue(noPixmix),
                Parameters = pixMixOptions.Read(parse, parse.GetValue(allOps)),
                MixingSet = mixingSet,
                AugmentationSeed = sd,
                OutputPath = path,
                // Recorded in the model file: 'evaluate' reads folder test data at the same size.
                FolderImageSize = reference.Kind == DataSetKind.Folder ? parse.GetValue(size) : null,
                Classifier = new ImageClassifierOptions
                {
                    Architecture = architecture, Depth = d, Widen = parse.GetValue(widen), Dropout = parse.GetValue(dropout),
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batchSize), LearningRate = parse.GetValue(lr),
                    WeightDecay = parse.GetValue(weightDecay), Seed = (int)sd, TorchThreads = parse.GetValue(threads),
                    Precision = CliOptions.ParsePrecision(parse.GetValue(precision)!), ChannelsLast = parse.GetValue(channelsLast),
                    CudnnBenchmark = !parse.GetValue(noBenchmark),
                    Device = CliOptions.ParseDevice(parse.GetValue(device)!),
                    CheckpointDirectory = parse.GetValue(checkpoints), ResumeFrom = resumeFrom,
                    ProgressInterval = 1, // the live bar moves every step; lines are written per epoch
                },
            };
            var ml = new MLContext(seed: (int)sd);
            ClassifierTrainingResult? result = null;
            string cheaper = CheaperFlags(parse.GetValue(arch)!, settings.Classifier.Epochs);
            Progress.Run(stderr, display =>
            {
                var progress = new InlineProgress<TrainingProgress>(p => Show(display, p, cheaper));
                result = ClassifierTraining.Run(ml, settings, progress);
            });
            var r = result!;
            var last = r.Summary.History.Count > 0 ? r.Summary.History[^1] : null;
            CliOutput.Result(stdout, asJson, new
            {
                command = "train", output = r.ModelPath, data = reference.Name, images = r.TrainImages, classes = r.ClassNames.Count,
                pixmix = settings.UsePixMix, k = settings.UsePixMix ? settings.Parameters.K : (int?)null, architecture = architecture.ToString(),
                epochs = settings.Classifier.Epochs, device = r.Summary.Device, steps = r.Summary.Steps, seconds = Math.Round(r.Summary.TrainingSeconds, 3),
                imagesPerSecond = Math.Round(r.Summary.ImagesPerSecond, 1), dataWaitFraction = Math.Round(r.Summary.DataWaitFraction, 4),
                finalLoss = last?.Loss, trainAccuracy = last?.TrainAccuracy, validationAccuracy = r.ValidationAccuracy, seed = sd,
                skippedImages = skippedImages.Length, skippedMixingPictures = skippedMixing.Count, skippedFiles = skippedImages.Concat(skippedMixing).ToArray(),
            }, $"Trained {architecture} on {r.TrainImages} {reference.Name} images ({(settings.UsePixMix ? "PixMix" : "no PixMix")}, {settings.Classifier.Epochs} epoch(s) on {r.Summary.Device}, " +
               $"{r.Summary.ImagesPerSecond:N0} images/s): final loss {last?.Loss:F4}, train accuracy {last?.TrainAccuracy:P1}" +
               (r.ValidationAccuracy is double va ? $", validation accuracy {va:P1}" : "") +
               DataLayoutOptions.SkippedText(skippedImages, "image(s)") + DataLayoutOptions.SkippedText([.. skippedMixing], "mixing picture(s)") + $". Model: {r.ModelPath}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// A training report on the display: every step moves the live bar; each epoch's end is a line when not on a
    /// terminal; the first estimate of the run's length is a notice when it is over an hour.
    /// </summary>
    internal static void Show(Progress display, TrainingProgress p, string cheaper)
    {
        double fraction = p.TotalSteps > 0 ? (double)p.Step / p.TotalSteps : 0;
        switch (p.Kind)
        {
            case TrainingProgressKind.EpochEnd:
                display.Milestone("train", fraction, p.ToString());
                break;
            case TrainingProgressKind.Estimate:
                display.Update("train", fraction, StepText(p));
                if (RunEstimate.LongRunNotice(p.ElapsedSeconds + p.SecondsLeft, cheaper) is { } notice) display.Notice($"pixmix: {notice}");
                break;
            default:
                display.Update("train", fraction, StepText(p));
                break;
        }
    }

    private static string StepText(TrainingProgress p) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"epoch {p.Epoch + 1}/{p.Epochs}, step {p.Step}/{p.TotalSteps}, loss {p.Loss:F4}, images/s {RunEstimate.Rate(p.ImagesPerSecond)}, ETA {RunEstimate.Duration(p.SecondsLeft)}");

    /// <summary>The cheaper settings a long run's notice names, as flags of this command.</summary>
    internal static string CheaperFlags(string arch, int epochs) =>
        (arch == "small-cnn" ? $"fewer --epochs (now {epochs})" : $"--arch small-cnn (this run trains {arch}) or fewer --epochs (now {epochs})")
        + " takes much less time";
}
