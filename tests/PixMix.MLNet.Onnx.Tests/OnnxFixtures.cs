using System.Text.Json;
using PixMix.Imaging.Formats;
using PixMix.Imaging.Sources;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>
/// The reference ONNX classifiers and their expected outputs, written by scripts/onnx/export-reference-classifier.py
/// (PyTorch 1.13) into Fixtures/onnx: a small CNN trained on the shipped Fashion-MNIST, read as 32x32 RGB.
/// </summary>
internal static class OnnxFixtures
{
    public static string Path(string name) => PixMix.TestSupport.RepositoryRoot.Combine("tests", "PixMix.MLNet.Onnx.Tests", "Fixtures", "onnx", name);

    public static string Nchw => Path("reference-nchw.onnx");
    public static string Nhwc => Path("reference-nhwc.onnx");
    public static string DynamicSize => Path("reference-dynamic-size.onnx");

    private static readonly Lazy<Expected> s_expected = new(() =>
        JsonSerializer.Deserialize<Expected>(File.ReadAllText(Path("reference-expected.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    public static Expected Reference => s_expected.Value;

    /// <summary>The script's logits of the first test images, [images, classes].</summary>
    public static float[][] Logits()
    {
        using var npy = NpyFile.Open(Path("reference-logits.npy"));
        int rows = (int)npy.Shape[0], classes = (int)npy.Shape[1];
        return Enumerable.Range(0, rows).Select(r => { var row = new float[classes]; npy.ReadRow<float>(r, row); return row; }).ToArray();
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images as the script reads them: 32x32 RGB.</summary>
    public static IImageSource TestImages(int count) => ImageSourceSlice.Take(FashionMnist.OpenAs32x32Rgb(train: false), count);

    public sealed record Expected(string[] ClassNames, float[] Mean, float[] Std, int InputSize, int LogitImages, int AccuracyImages, int Errors, double Accuracy);
}
