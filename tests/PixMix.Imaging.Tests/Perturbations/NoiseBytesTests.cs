using System.Security.Cryptography;
using PixMix.Imaging.Perturbations;

namespace PixMix.Imaging.Tests.Perturbations;

/// <summary>The noise sequences stay byte for byte the same for a seed, whatever the kernel that samples them.</summary>
public class NoiseBytesTests
{
    // SHA-256 of whole sequences: bytes of the generator before the faster kernel (recorded from it, not computed here).
    [Theory]
    [InlineData(PerturbationKind.GaussianNoise, 1, 32, 32, 3, 1, "193304aa47f631ef5368c7b418260967e705b2c99c899a6db4abf77fc1aea341")]
    [InlineData(PerturbationKind.GaussianNoise, 1, 28, 28, 1, 7, "da22c386f77166da6835e911437c9d928ef926634e5e29d83667062a1cbb871f")]
    [InlineData(PerturbationKind.GaussianNoise, 1, 64, 64, 3, 12345, "23317bbf1e7ae6a3b92da535c2df390a0f41213da6ecd6a6c6844bcf106c632b")]
    [InlineData(PerturbationKind.GaussianNoise, 2, 32, 32, 3, 2, "1e71e51aeeba0309e987711f75d81fc12a4b393becc345ecfd233535bc5a3514")]
    [InlineData(PerturbationKind.GaussianNoise, 3, 28, 28, 1, 3, "e4970bfb3ec14508fbcfe823851914aae225acab7066920f19b9ddcefefda7a7")]
    [InlineData(PerturbationKind.ShotNoise, 1, 32, 32, 3, 1, "0f512a6c91228b793e2da48146d5d3f7385e643732d6f4ed47edbc0ae7d74375")]
    [InlineData(PerturbationKind.ShotNoise, 1, 28, 28, 1, 7, "428ee69fba32588eee0eac261cdb04c4b10c97de3409f4e33937f423f370ef51")]
    [InlineData(PerturbationKind.ShotNoise, 2, 64, 64, 3, 12345, "ed84fccc19d0311a8a63e9b2695372bb36797edf186e8e8462e5ab52b9966a90")]
    [InlineData(PerturbationKind.ShotNoise, 3, 32, 32, 3, 4, "1789bbc714b485c5672a38c5c6a3903f68cc49135d6d37c7369627dd28e8be0f")]
    [InlineData(PerturbationKind.SpeckleNoise, 1, 32, 32, 3, 1, "5df1d737b9230c459f1afd59e791ef2e887c55b6405da84772ff771b2f16d80b")]
    [InlineData(PerturbationKind.SpeckleNoise, 2, 28, 28, 1, 7, "02042b0821e6a59f5ee2a507214ee154f12b745c399e82676de8e1fa5cd61640")]
    [InlineData(PerturbationKind.SpeckleNoise, 3, 64, 64, 3, 12345, "0536fd007e50148147d44b8e819e4e0391cf309d24cde0c0685bcba98f472de9")]
    public void NoiseSequencesKeepTheirBytes(PerturbationKind kind, int level, int width, int height, int channels, int seed, string sha256)
    {
        var image = TestImages.Gradient(width, height, channels, seed);
        var spec = new PerturbationSpec(kind, level);
        var frames = new byte[spec.FrameCount * image.Length];
        PerturbationSets.Generate(spec, image, imageIndex: seed % 5, seed: seed, frames);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(frames)));
    }

    [Fact]
    public void EveryCleanByteValueKeepsItsNoisyBytes()
    {
        // all 256 clean values, so that every table row is sampled; SHA-256 prefixes per noise and level 1..3, bytes of
        // the generator before the faster kernel
        var image = new ImageU8(16, 16, 1);
        for (int k = 0; k < 256; k++) image.Span[k] = (byte)k;
        var hashes = new List<string>();
        foreach (var kind in new[] { PerturbationKind.GaussianNoise, PerturbationKind.ShotNoise, PerturbationKind.SpeckleNoise })
            for (int level = 1; level <= 3; level++)
            {
                var spec = new PerturbationSpec(kind, level);
                var frames = new byte[spec.FrameCount * image.Length];
                PerturbationSets.Generate(spec, image, imageIndex: level, seed: 99, frames);
                hashes.Add(Convert.ToHexStringLower(SHA256.HashData(frames))[..16]);
            }
        Assert.Equal(["dcc353aae46358df", "1e2c45b0387621b3", "fef33cced87e5a03", "a11b917768b3f966", "be9fdd3b7deb605f", "90c24fd4b1a88c21", "e94e457578fbf936", "676439fb9d964208", "ab83e02e2353cc08"], hashes);
    }
}
