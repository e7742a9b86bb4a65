using System.Security.Cryptography;
using PixMix.Imaging.Corruptions;
using PixMix.Imaging.Perturbations;
using Xunit.Abstractions;

namespace PixMix.Imaging.Tests.Perturbations;

/// <summary>
/// The spatter perturbation's sequences and the -C spatter corruption keep their exact bytes: the SHA-256 values are
/// the bytes of the generator before the faster kernel (recorded from that code for these seeds and sizes).
/// </summary>
public class SpatterBytesTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Sequences() =>
    [
        [32, 32, 3, 1L, "3E9D7BF064937B463CF7AA9FE1F2522D692BD897FFB144AF5373D78611FA956A"],
        [32, 32, 3, 7L, "CCAAE892AF97B76092099309C92D3E9CB3BD7E024090B8F49B964E3C78BF6903"],
        [28, 28, 1, 3L, "C2B9609E36E039C51873D0645994DA83EED85B55278672D8B3B961007F1D03A0"],
        [64, 64, 3, 5L, "BE3C371607981552B77CEC5799FB603B06A23B58F833C253D0EE74591432F87D"],
        [8, 8, 3, 1L, "25A87F2138BFC16CC05A8B661ABCE9EEF2C516D7D9835604417AFEACB1EF755F"],
        [13, 9, 3, 1L, "EF07F61835FC256C13BF1274BFB4598575CEFD5A0F556156A88587D85F8269F3"],
        [40, 24, 3, 11L, "A067D344F7D0D5CB10E1781665B56D3710CFF94C88E00C951278518B49878969"],
    ];

    [Theory]
    [MemberData(nameof(Sequences))]
    public void SpatterSequenceBytesAreUnchanged(int w, int h, int c, long seed, string expected)
    {
        var image = TestImages.Gradient(w, h, c, (int)seed);
        var spec = new PerturbationSpec(PerturbationKind.Spatter);
        var frames = new byte[spec.FrameCount * image.Length];
        PerturbationSets.Generate(spec, image, imageIndex: seed * 3, seed, frames);
        string actual = Convert.ToHexString(SHA256.HashData(frames));
        output.WriteLine($"{w}x{h}x{c} seed {seed}: {actual}");
        // the oracle covers the water: some frame differs from the clean image
        bool watered = false;
        for (int i = 0; i < spec.FrameCount && !watered; i++) watered = !frames.AsSpan(i * image.Length, image.Length).SequenceEqual(image.Span);
        Assert.True(watered);
        Assert.Equal(expected, actual);
    }

    public static IEnumerable<object[]> Corruptions() =>
    [
        [32, 32, 3, "cifar", "11016C95DBD810D7EB4991D80D8CEF57972842F596DD441E76791C12CEC58447"],
        [28, 28, 1, "cifar", "47EB869F4EB86C13DC11498BA34D5749DF857F21F1A8CACCB79AA5D0BF21F676"],
        [37, 19, 3, "imagenet", "3F1FE49EDDF013A5935077CEA60BBD53C17E64E3B8C6A55E3AE50664344894A2"],
        [9, 11, 1, "cifar", "E8CD09FF6A4EC0B37AA791D6F0B1234B92B0FFCCB782F599458C3C3E83657112"],
        [64, 48, 3, "imagenet", "A488DB7589BEEDCD62F8A695634B376E173F8744D3F5552D5214373C974FD22B"],
    ];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void SpatterCorruptionBytesAreUnchanged(int w, int h, int c, string set, string expected)
    {
        var image = TestImages.Gradient(w, h, c, 2);
        var table = set == "cifar" ? CorruptionParameterSet.Cifar : CorruptionParameterSet.ImageNet;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var dst = new ImageU8(w, h, c);
        for (int severity = 1; severity <= 5; severity++)
            for (ulong seed = 1; seed <= 4; seed++)
            {
                var rng = new PixMixRandom(seed * 100 + (ulong)severity);
                Corruptor.Apply(CorruptionKind.Spatter, severity, image, dst, ref rng, table);
                sha.AppendData(dst.Span);
            }
        string actual = Convert.ToHexString(sha.GetHashAndReset());
        output.WriteLine($"{w}x{h}x{c} {set}: {actual}");
        Assert.Equal(expected, actual);
    }
}
