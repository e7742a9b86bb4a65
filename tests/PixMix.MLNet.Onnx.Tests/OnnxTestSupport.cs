using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using PixMix.Imaging;
using PixMix.MLNet.Models;
using PixMix.MLNet.Tests.Training;
using PixMix.MLNet.Training;
using PixMix.MLNet.Scoring;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PixMix.MLNet.Onnx.Tests;

/// <summary>Real images, classifiers with randomized BatchNorm statistics, and ONNX Runtime scoring for the export tests.</summary>
internal static class OnnxTestSupport
{
    private static readonly Lazy<ImageU8[]> s_frost = new(() =>
        [.. new[] { "frost1.png", "frost2.png", "frost3.png" }.Select(n => ImageCodec.Read(PixMix.TestSupport.RepositoryRoot.Combine("data", "frost", n), 3))]);

    /// <summary>
    /// <paramref name="count"/> real colour images of <paramref name="size"/> x <paramref name="size"/>: tiles of the
    /// repository's frost photographs, as RGB bytes in HWC order, one after the other.
    /// </summary>
    internal static byte[] FrostTiles(int count, int size)
    {
        var result = new byte[count * size * size * 3];
        int n = 0;
        foreach (var picture in s_frost.Value)
            for (int top = 0; top + size <= picture.Height && n < count; top += size)
                for (int left = 0; left + size <= picture.Width && n < count; left += size, n++)
                    for (int y = 0; y < size; y++)
                        picture.Span.Slice(((top + y) * picture.Width + left) * 3, size * 3).CopyTo(result.AsSpan((n * size + y) * size * 3));
        Assert.Equal(count, n);
        return result;
    }

    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images (28 x 28 grey) as RGB bytes (HWC), grey replicated.</summary>
    internal static byte[] FashionRgb(int count)
    {
        var source = PixMix.Imaging.Sources.FashionMnist.Open(train: false);
        var grey = new byte[28 * 28];
        var result = new byte[count * 28 * 28 * 3];
        for (int i = 0; i < count; i++)
        {
            source.ReadImage(i, grey);
            for (int p = 0; p < grey.Length; p++)
                result[(i * grey.Length + p) * 3] = result[(i * grey.Length + p) * 3 + 1] = result[(i * grey.Length + p) * 3 + 2] = grey[p];
        }
        return result;
    }

    /// <summary>The ONNX input: RGB bytes (HWC) as byte / 255 in NCHW order.</summary>
    internal static float[] OnnxInput(byte[] rgb, int count, int size)
    {
        var x = new float[count * 3 * size * size];
        for (int i = 0; i < count; i++)
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < size * size; p++)
                    x[(i * 3 + c) * size * size + p] = rgb[(i * size * size + p) * 3 + c] / 255f;
        return x;
    }

    /// <summary>
    /// The network's input as the PixMix evaluation path makes it: the centre <paramref name="crop"/> of each image,
    /// grey (luma of the bytes) for a one-channel network, then (byte / 255 - mean) / std, CHW.
    /// </summary>
    internal static float[] TorchInput(byte[] rgb, int count, int size, int crop, int channels, float[] mean, float[] std)
    {
        int offset = (size - crop) / 2;
        var x = new float[count * channels * crop * crop];
        for (int i = 0; i < count; i++)
            for (int y = 0; y < crop; y++)
                for (int col = 0; col < crop; col++)
                {
                    int at = (i * size * size + (y + offset) * size + col + offset) * 3;
                    for (int c = 0; c < channels; c++)
                    {
                        byte b = channels == 1 ? ColorConversions.Luma(rgb[at], rgb[at + 1], rgb[at + 2]) : rgb[at + c];
                        float m = channels == 1 ? mean.Average() : mean[c], s = channels == 1 ? std.Average() : std[c];
                        x[((i * channels + c) * crop + y) * crop + col] = (b / 255f - m) / s;
                    }
                }
        return x;
    }

    /// <summary>A classifier (CPU) wrapping <paramref name="network"/>, with class names "c0", "c1", ...</summary>
    internal static ImageClassificationTransformer Classifier(nn.Module<Tensor, Tensor> network, ImageModelSpec spec) =>
        new(new NetworkRunner(network, spec, CPU), "Features",
            ClassLabels.Create(spec.Classes, "Text", [.. Enumerable.Range(0, spec.Classes).Select(i => $"c{i}")]), 256, null);

    /// <summary>ONNX Runtime's outputs for <paramref name="count"/> images: logits, probabilities, predicted labels.</summary>
    internal static (float[] Logits, float[] Probabilities, long[] Labels) Run(InferenceSession session, float[] input, int count, int size)
    {
        var tensor = new DenseTensor(input, [count, 3, size, size]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", tensor)]);
        float[] Floats(string name) => [.. results.Single(r => r.Name == name).AsTensor<float>()];
        return (Floats("logits"), Floats("probabilities"), [.. results.Single(r => r.Name == "predicted_label").AsTensor<long>()]);
    }

    /// <summary>Asserts ONNX Runtime's logits are within 1e-4 of TorchSharp's, with the same arg-max, and the other outputs agree.</summary>
    internal static void AssertParity(float[] expectedLogits, (float[] Logits, float[] Probabilities, long[] Labels) onnx, int count, int classes, string what)
    {
        Assert.Equal(expectedLogits.Length, onnx.Logits.Length);
        Assert.Equal(count, onnx.Labels.Length);
        double worst = 0;
        for (int i = 0; i < expectedLogits.Length; i++) worst = Math.Max(worst, Math.Abs(expectedLogits[i] - onnx.Logits[i]));
        Assert.True(worst <= 1e-4, $"{what}: largest logit difference {worst:G3}");
        for (int i = 0; i < count; i++)
        {
            var row = expectedLogits.AsSpan(i * classes, classes);
            int argmax = 0;
            for (int k = 1; k < classes; k++) if (row[k] > row[argmax]) argmax = k;
            Assert.True(argmax == onnx.Labels[i], $"{what}: image {i}: TorchSharp predicts {argmax}, ONNX Runtime {onnx.Labels[i]}");
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += onnx.Probabilities[i * classes + k];
            Assert.True(Math.Abs(sum - 1) < 1e-4, $"{what}: image {i}: probabilities sum to {sum}");
            Assert.Equal(onnx.Probabilities.AsSpan(i * classes, classes).ToArray().Max(), onnx.Probabilities[i * classes + argmax]);
        }
    }
}
