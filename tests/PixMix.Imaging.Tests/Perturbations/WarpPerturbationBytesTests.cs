using System.Security.Cryptography;
using PixMix.Imaging.Perturbations;

namespace PixMix.Imaging.Tests.Perturbations;

/// <summary>
/// The geometric perturbations (tilt, rotate, scale, shear, zoom_blur) keep their exact bytes: the SHA-256 of all
/// frames of three pictures (random bytes, a gradient with noise, all 255) per shape. The expected values are the
/// bytes of the generator before the faster kernel (per-pixel coordinates), recorded from that code.
/// </summary>
public class WarpPerturbationBytesTests
{
    private static ImageU8 Noise(int w, int h, int c, ulong seed)
    {
        var image = new ImageU8(w, h, c);
        var rng = new PixMixRandom(seed);
        var span = image.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (byte)rng.NextInt(256);
        return image;
    }

    private static string Hash(PerturbationKind kind, int w, int h, int c)
    {
        var spec = new PerturbationSpec(kind);
        var white = new ImageU8(w, h, c);
        white.Span.Fill(255);
        ImageU8[] images = [Noise(w, h, c, 7), TestImages.Gradient(w, h, c, seed: 3), white];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var frames = new byte[spec.FrameCount * images[0].Length];
        for (int i = 0; i < images.Length; i++)
        {
            PerturbationSets.Generate(spec, images[i], i, 11, frames);
            sha.AppendData(frames);
        }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    [Theory]
    [InlineData(PerturbationKind.Tilt, 32, 32, 3, "5866563a60c6d3ec3a2c0aeffa76eef2facd52e09292a172fdbbe1b6875d7c77")]
    [InlineData(PerturbationKind.Tilt, 28, 28, 1, "8301a80ad5c971ed2096cded7f00358f08f029b9ac1eb7d0819d84a5625dc9c9")]
    [InlineData(PerturbationKind.Tilt, 64, 64, 3, "51d6aaa9901e2e87c62dce0afe831e1e16d0bf6e6993bfde49cad4d7a1b02193")]
    [InlineData(PerturbationKind.Tilt, 37, 21, 3, "29b3605935635320184a7efce6b0be9c1d90f46b17b284fcf6b5d14aa9f40cdd")]
    [InlineData(PerturbationKind.Tilt, 19, 26, 1, "e1980d29936047dda6f478a82f583731d3efd002ebc8180c0cad7eb2811429c5")]
    [InlineData(PerturbationKind.Rotate, 32, 32, 3, "2064e1d947689803031b308b9370c4366f9a6dbde32e96903d84c2fa09a06543")]
    [InlineData(PerturbationKind.Rotate, 28, 28, 1, "46d728fa2cf5b5628cecd11f7fa40ea1586dd80163e840604c7bf1cd0f3a97f3")]
    [InlineData(PerturbationKind.Rotate, 64, 64, 3, "d970702081e0a9a9669b98659d433c21bea6feb0220f707227edd8caff7b8573")]
    [InlineData(PerturbationKind.Rotate, 37, 21, 3, "2cd80e1cd9db25191fe2a4a57c3a8a77cd39b90dc01ea4e20a755bf40d340319")]
    [InlineData(PerturbationKind.Rotate, 19, 26, 1, "0642cd52f846ae9522ba11278c765086e362a66cbbba2f931f4c108a9ee2894c")]
    [InlineData(PerturbationKind.Scale, 32, 32, 3, "05940bbb53e3475952de291d9aae9afb0dd2b01fe293bfa80e0cf5da27d69b9f")]
    [InlineData(PerturbationKind.Scale, 28, 28, 1, "bf06383c49b9af7115d7bb2f69833c426f3ecc72e0026b5521921458bad423fa")]
    [InlineData(PerturbationKind.Scale, 64, 64, 3, "1dc4348b3d179a6e91fc7baad01c0319027c66663b6f52e92c489dcdf8df634e")]
    [InlineData(PerturbationKind.Scale, 37, 21, 3, "c80191520f292ab02f51bc3a181ecba168ac74eb3083e0520d6ef7580f222ecf")]
    [InlineData(PerturbationKind.Scale, 19, 26, 1, "5f0cdadd3e8154005e6cbd0e5d7319c5773f13e93955ca4d750cebe02e9d13a0")]
    [InlineData(PerturbationKind.Shear, 32, 32, 3, "bb7987e37dea05159cce08ea283b931c62a92b2293fdc412512cb30982c419ba")]
    [InlineData(PerturbationKind.Shear, 28, 28, 1, "d48fdecba64ad67b996cf5784f257fbd05528e2f9889b8eb8a087f50499b6fc6")]
    [InlineData(PerturbationKind.Shear, 64, 64, 3, "1ce2706fce8bdc79ff936584dc3718e6bc4c1f27d70bde64f8c1291a931b8368")]
    [InlineData(PerturbationKind.Shear, 37, 21, 3, "6bb226f6fe85e72e8c0261ecea28ebca8354e1f4591658a9901a15097f745968")]
    [InlineData(PerturbationKind.Shear, 19, 26, 1, "41554c3ac84c4751b7cc01164db9fa578a67119b6a8fd2e9d0a908348f51b53f")]
    [InlineData(PerturbationKind.ZoomBlur, 32, 32, 3, "07c28b5af41b9e7b3786ae2d16233e7e08b3e9778756688702ef1961f382756e")]
    [InlineData(PerturbationKind.ZoomBlur, 28, 28, 1, "10c5a80ad01a5a7932fdd58d26a26ccb33a801e437bb6a15aed98737502e5397")]
    [InlineData(PerturbationKind.ZoomBlur, 64, 64, 3, "17f893c3c695cf061458da530a7c81ddb97cc4a64c9e44a6c7ad6d4925a16375")]
    [InlineData(PerturbationKind.ZoomBlur, 37, 21, 3, "5c3f463afe03cf6aac4a7f5f8c6c7e17403ef285c81d9f88ee5a3a588d2c8723")]
    [InlineData(PerturbationKind.ZoomBlur, 19, 26, 1, "b0c4a3c482c13e04351716c8c2e0cc45608f91e015d7e22a1e5c9982ca485fd5")]
    [InlineData(PerturbationKind.Tilt, 136, 130, 3, "847cbbd028cea6a967c9525c50638acbf20733148794847855ad27bb02e297b4")]
    [InlineData(PerturbationKind.Tilt, 150, 140, 1, "b7def2e1551d202949e7811922fb81fb8915fc686ebb3a165082321cca276b2e")]
    [InlineData(PerturbationKind.Rotate, 136, 130, 3, "b8684934553eebf969101a0d2af29e8c50c88353eb98d7bb859dbaa3b719af9f")]
    [InlineData(PerturbationKind.Rotate, 150, 140, 1, "663c094118d68042baf50330967873796bedb6de0ad2036b2f7d4c6752efd4a3")]
    [InlineData(PerturbationKind.Scale, 136, 130, 3, "397e35e3eed182ee1fd65dcb4d55d34310024894135c344c25aaab74aaaa0b1d")]
    [InlineData(PerturbationKind.Shear, 136, 130, 3, "633029d4173c0e0d9e4f1eacd22dd69211fedfb02db1cbc1a0b292634bfe16b1")]
    [InlineData(PerturbationKind.ZoomBlur, 136, 130, 3, "7ac770e1369c6bc9f3ab56005cfa4e3d0c6173bccb36a9be2c22569d3e8694ce")]
    public void TheFramesKeepTheirBytes(PerturbationKind kind, int w, int h, int c, string sha256)
        => Assert.Equal(sha256, Hash(kind, w, h, c));
}
