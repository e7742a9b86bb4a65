using System.CommandLine;
using PixMix.Imaging;
using PixMix.Imaging.Fractals;
using Spectre.Console;

namespace PixMix.Cli.Commands;

/// <summary>pixmix fractals: writes N procedural mixing pictures as PNG.</summary>
internal static class FractalsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var output = CliOptions.RequiredPath("--output", "Folder to write the PNG files to (created if missing).");
        var count = CliOptions.Int("--count", "Number of pictures", 100, 1, 1_000_000);
        var size = CliOptions.Int("--size", "Width and height in pixels", 256, 8, 4096);
        var seed = CliOptions.Seed();
        var json = CliOptions.Json();
        var cmd = new Command("fractals", "Write procedural fractal mixing pictures (iterated function systems, Julia and Mandelbrot sets) as PNG files.")
        {
            output, count, size, seed, json,
        };
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(output)!;
            int n = parse.GetValue(count), s = parse.GetValue(size);
            long sd = parse.GetValue(seed);
            CliOptions.OutputFolder("--output", dir);
            Directory.CreateDirectory(dir);
            int done = 0;
            void Work(Action<int>? tick)
            {
                Parallel.For(0, n, () => new ImageU8(s, s, 3), (i, _, img) =>
                {
                    FractalGenerator.Render(sd, i, img);
                    ImageCodec.WritePng(img, Path.Combine(dir, $"fractal_{i:D6}.png"));
                    tick?.Invoke(Interlocked.Increment(ref done));
                    return img;
                }, _ => { });
            }
            if (parse.GetValue(json)) Work(null);
            else Progress.Run("Rendering fractals", n, Work);
            CliOutput.Result(stdout, parse.GetValue(json), new { command = "fractals", output = Path.GetFullPath(dir), count = n, size = s, seed = sd },
                $"Wrote {n} fractal pictures ({s}x{s}) to {Path.GetFullPath(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
