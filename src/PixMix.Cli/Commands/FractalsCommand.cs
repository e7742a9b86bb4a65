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
            Progress.Run("Rendering fractals", n, parse.GetValue(json), tick => FractalSetWriter.Write(dir, n, s, sd, tick));
            CliOutput.Result(stdout, parse.GetValue(json), new { command = "fractals", output = Path.GetFullPath(dir), count = n, size = s, seed = sd },
                $"Wrote {n} fractal pictures ({s}x{s}) to {Path.GetFullPath(dir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
