using PixMix.Imaging.Transforms;

namespace PixMix.Cli.Commands;

/// <summary>pixmix augment: a PNG grid of PixMix samples of given images, to look at.</summary>
internal static class AugmentCommand
{
    public static Command Create(TextWriter stdout)
    {
        var inputs = new Option<string[]>("--input") { Description = "Picture files (PNG/JPEG) or folders of pictures; default: 6 images of the shipped Fashion-MNIST.", AllowMultipleArgumentsPerToken = true };
        var output = CliOptions.RequiredPath("--output", "The PNG file to write (rows: images; first column: the image after the train transform's size; then PixMix samples).");
        var samples = CliOptions.Int("--samples", "PixMix samples per image", 8, 1, 64);
        var size = CliOptions.Int("--size", "Cell size in pixels", 64, 8, 1024);
        var mixing = new Option<string?>("--mixing") { Description = "A folder of mixing pictures; default: the built-in fractals." };
        var pixMix = new PixMixOptions(new PixMixParameters());
        var seed = CliOptions.Seed();
        var json = CliOptions.Json();
        var skip = new Option<bool>("--skip-unreadable") { Description = "Decode every picture of --mixing and --input folders first and leave out (and count) the damaged ones; without it a damaged picture stops the command, naming the file." };
        var cmd = new Command("augment", "Write a PNG grid of PixMix samples of the given images.")
        {
            inputs, output, samples, size, mixing, pixMix.K, pixMix.Beta, pixMix.Severity, seed, json, skip,
        };
        cmd.SetAction(parse =>
        {
            int s = parse.GetValue(size), n = parse.GetValue(samples);
            long sd = parse.GetValue(seed);
            bool skipUnreadable = parse.GetValue(skip);
            var skipped = new List<string>();
            string path = CliOptions.OutputFile("--output", parse.GetValue(output)!, [.. parse.GetValue(inputs) ?? [], parse.GetValue(mixing)]);
            var images = LoadInputs(parse.GetValue(inputs), s, skipUnreadable, skipped);
            var set = parse.GetValue(mixing) is { } folder ? MixingSet.FromFolder(CliOptions.ExistingFolder("--mixing", folder), new MixingFolderOptions { SkipUnreadable = skipUnreadable }) : MixingSet.Fractals(256, sd);
            if (set is FolderMixingSet folderSet) skipped.AddRange(folderSet.Skipped);
            var recipe = PixMixRecipe.Cifar with
            {
                Parameters = pixMix.Read(parse),
                TrainTransform = TrainTransform.None, Size = s, MixingResize = (int)Math.Ceiling(s * 36 / 32.0), Mean = [0f], Std = [1f],
            };
            var grid = SampleGrid.Render(images, recipe, set, n, sd);
            ImageCodec.WritePng(grid, path);
            CliOutput.Result(stdout, parse.GetValue(json), new { command = "augment", output = Path.GetFullPath(path), images = images.Length, samples = n, size = s, seed = sd, skipped = skipped.Count, skippedFiles = skipped },
                $"Wrote a {images.Length}x{n + 1} grid of PixMix samples to {Path.GetFullPath(path)}{DataLayoutOptions.SkippedText(skipped, "picture(s)")}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string RequirePicture(string path)
    {
        FileKinds.RequireRegularInput(path, "--input picture");
        return path;
    }

    private static ImageU8[] LoadInputs(string[]? inputs, int size, bool skipUnreadable, List<string> skipped)
    {
        var pictures = new List<ImageU8>();
        if (inputs is null || inputs.Length == 0)
        {
            var (fm, _) = BenchInputs.Load(size, 6);
            return fm;
        }
        foreach (var input in inputs)
        {
            IEnumerable<string> files = Directory.Exists(input)
                ? SafeFileWalk.Files(input).Where(f => ImageCodec.TryReadInfo(f, out _, out _))
                : File.Exists(input) ? [RequirePicture(input)] : throw new FileNotFoundException($"--input '{input}' is neither a file nor a folder.", input);
            foreach (var f in files)
            {
                if (skipUnreadable && !ImageCodec.TryValidate(f, out _))
                {
                    skipped.Add(f);
                    continue;
                }
                var img = ImageCodec.Read(f, 3);
                var (w, h) = ImageTransforms.ShorterSideSize(img.Width, img.Height, size);
                var resized = new ImageU8(Math.Max(w, size), Math.Max(h, size), 3);
                Resampler.Resize(img, resized);
                var crop = new ImageU8(size, size, 3);
                ImageTransforms.CenterCrop(resized, crop);
                pictures.Add(crop);
            }
        }
        if (pictures.Count == 0) throw new UsageException("--input names no readable picture.");
        return [.. pictures];
    }
}
