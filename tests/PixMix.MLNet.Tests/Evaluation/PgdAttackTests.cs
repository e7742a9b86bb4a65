using PixMix.MLNet.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Evaluation;

public class PgdAttackTests
{
    // Images 1x1x2 in [0, 1], normalized to u = 2x - 1 (mean 0.5, std 0.5), logits z0 = u1 + u2 + 0.02, z1 = 0.
    // The margin of class 0 is d = 2 (x1 + x2) - 2 + 0.02; its gradient in pixel space is (2, 2), so within an
    // L-infinity ball of radius eps the margin can drop by 4 eps = 8/255 = 0.0314 at most.
    //   x = (0.5, 0.5), label 0: d = 0.02 < 0.0314 -> the attack must flip it (to d = 0.02 - 8/255 < 0).
    //   x = (0.9, 0.9), label 0: d = 1.62 -> must stay correct.
    //   x = (0, 0), label 1: d = -1.98 -> stays correct; the random start leaves [0, 1] and must be clipped.
    //   x = (1, 1), label 0: d = 2.02 -> stays correct; clipping at 1.
    private static nn.Module<Tensor, Tensor> TinyModel()
    {
        var linear = nn.Linear(2, 2);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(new float[] { 1, 1, 0, 0 }, [2, 2]));
            linear.bias!.copy_(tensor(new float[] { 0.02f, 0 }, [2]));
        }
        return nn.Sequential(("flatten", nn.Flatten()), ("linear", linear));
    }

    private static (Tensor Images, Tensor Labels) Batch()
        => (tensor(new float[] { 0.5f, 0.5f, 0.9f, 0.9f, 0f, 0f, 1f, 1f }, [4, 1, 1, 2]), tensor(new long[] { 0, 0, 1, 0 }, [4]));

    [Fact]
    public void FlipsASmallMarginButNotALargeOneAndStaysInTheBall()
    {
        var target = PgdTarget.WithCifarNormalization(TinyModel());
        var (images, labels) = Batch();
        var attack = new PgdAttack();
        using var adversarial = attack.Perturb(target, images, labels);

        using (no_grad())
        {
            var predicted = target.Model.call((adversarial - 0.5f) / 0.5f).argmax(1).data<long>().ToArray();
            Assert.Equal(1, predicted[0]); // flipped
            Assert.Equal(0, predicted[1]);
            Assert.Equal(1, predicted[2]);
            Assert.Equal(0, predicted[3]);
        }
        var x = images.data<float>().ToArray();
        var a = adversarial.data<float>().ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.InRange(a[i], 0f, 1f);
            Assert.True(Math.Abs(a[i] - x[i]) <= 2f / 255f + 1e-6f, $"pixel {i} moved {a[i] - x[i]}");
        }
        // 20 steps of 0.5/255 reach the corner of the ball on the first image.
        Assert.Equal(0.5f - 2f / 255f, a[0], 5);

        var result = attack.Evaluate(target, [(images, labels)]);
        Assert.Equal(0.0, result.CleanError);
        Assert.Equal(0.25, result.AdversarialError);
        Assert.Equal(4, result.Examples);
    }

    [Fact]
    public void WithoutStepsNothingFlips()
    {
        var target = PgdTarget.WithCifarNormalization(TinyModel());
        var (images, labels) = Batch();
        var result = new PgdAttack(new PgdOptions { Steps = 0, RandomStart = false }).Evaluate(target, [(images, labels)]);
        Assert.Equal(0.0, result.AdversarialError);
    }

    [Fact]
    public void SameSeedGivesTheSameAdversarialImages()
    {
        var target = PgdTarget.WithCifarNormalization(TinyModel());
        var (images, labels) = Batch();
        var options = new PgdOptions { Steps = 1, Seed = 3 };
        var a = new PgdAttack(options).Perturb(target, images, labels).data<float>().ToArray();
        var b = new PgdAttack(options).Perturb(target, images, labels).data<float>().ToArray();
        var c = new PgdAttack(options with { Seed = 4 }).Perturb(target, images, labels).data<float>().ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void BadNormalizationIsAClearError()
    {
        var target = new PgdTarget(TinyModel(), [0.5f, 0.5f], [0.5f, 0.5f]);
        var (images, labels) = Batch();
        var e = Assert.Throws<ArgumentException>(() => new PgdAttack().Perturb(target, images, labels));
        Assert.Contains("channels", e.Message);
    }
}
