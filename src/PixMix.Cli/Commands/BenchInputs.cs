namespace PixMix.Cli.Commands;

/// <summary>Real input pictures for benchmarks: Fashion-MNIST (the shipped copy or --data) as RGB, resized to the benchmark size.</summary>
internal static class BenchInputs
{
    public static (ImageU8[] Images, string Description) Load(int size, int count) => Load(null, size, count);

    public static (ImageU8[] Images, string Description) Load(string? dataFolder, int size, int count)
    {
        var source = DataLocator.FashionMnistTest(dataFolder);
        var images = new ImageU8[count];
        var raw = new ImageU8(source.Width, source.Height, source.Channels);
        for (int i = 0; i < count; i++)
        {
            source.ReadImage(i, raw.Span);
            var rgb = ColorConversions.ToChannels(raw, 3);
            var img = new ImageU8(size, size, 3);
            if (rgb.Width == size && rgb.Height == size) rgb.CopyTo(img);
            else Resampler.Resize(rgb, img);
            images[i] = img;
        }
        return (images, $"Fashion-MNIST test images 0..{count - 1} as RGB {size}x{size}");
    }
}
