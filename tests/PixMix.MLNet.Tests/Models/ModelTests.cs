using PixMix.MLNet.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Models;

public class ModelTests
{
    [Fact]
    public void WideResNetHasTheReferenceStateDictNames()
    {
        using var network = new WideResNet(depth: 16, widen: 1, dropout: 0.3, classes: 10);
        var keys = network.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "conv1.weight",
            "block1.layer.0.bn1.weight", "block1.layer.0.bn1.bias", "block1.layer.0.bn1.running_mean", "block1.layer.0.bn1.running_var",
            "block1.layer.0.conv1.weight", "block1.layer.0.bn2.weight", "block1.layer.0.conv2.weight",
            "block1.layer.1.conv2.weight",
            "block2.layer.0.conv_shortcut.weight", "block2.layer.1.conv1.weight",
            "block3.layer.0.conv_shortcut.weight", "block3.layer.1.bn2.running_var",
            "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "fc.weight", "fc.bias",
        ];
        foreach (var key in expected) Assert.Contains(key, keys);
        // widen 1: block1 keeps 16 channels, so it has no shortcut convolution; depth 16 has 2 blocks per group.
        Assert.DoesNotContain("block1.layer.0.conv_shortcut.weight", keys);
        Assert.DoesNotContain("block1.layer.2.conv1.weight", keys);
        Assert.Equal(new long[] { 32, 16, 3, 3 }, network.state_dict()["block2.layer.0.conv1.weight"].shape);
        Assert.Equal(new long[] { 10, 64 }, network.state_dict()["fc.weight"].shape);
    }

    [Fact]
    public void PaperNetworksGiveOneLogitPerClass()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(3);
        var input = randn(1, 3, 32, 32);
        using var wrn = new WideResNet(40, 4, 0.3, 10);
        using var resnet18 = ResNet.ResNet18(100);
        using var resnet50 = ResNet.ResNet50(10);
        wrn.eval(); resnet18.eval(); resnet50.eval();
        Assert.Equal(new long[] { 1, 10 }, wrn.forward(input).shape);
        Assert.Equal(new long[] { 1, 100 }, resnet18.forward(input).shape);
        Assert.Equal(new long[] { 1, 10 }, resnet50.forward(input).shape);
        // WideResNet-40-4 has about 8.9M parameters, ResNet-50 about 23.5M (10 classes).
        Assert.InRange(wrn.parameters().Sum(p => p.numel()), 8_900_000, 9_000_000);
        Assert.InRange(resnet50.parameters().Sum(p => p.numel()), 23_400_000, 23_600_000);
        Assert.Contains("layer4.1.downsample.0.weight", resnet50.state_dict().Keys.Where(k => k.StartsWith("layer4.0")).Select(k => k.Replace("layer4.0", "layer4.1")));
    }

    [Fact]
    public void NetworksAcceptAnyChannelCountAndSmallImages()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var resnet = ResNet.ResNet18(7, inChannels: 1);
        using var cnn = new SmallCnn(5, inChannels: 2);
        using var wrn = new WideResNet(10, 1, 0, 3, inChannels: 4);
        resnet.eval(); cnn.eval(); wrn.eval();
        Assert.Equal(new long[] { 2, 7 }, resnet.forward(randn(2, 1, 28, 28)).shape);
        Assert.Equal(new long[] { 2, 5 }, cnn.forward(randn(2, 2, 8, 20)).shape);
        Assert.Equal(new long[] { 2, 3 }, wrn.forward(randn(2, 4, 24, 24)).shape);
        long cnnParameters = new SmallCnn(10, 3).parameters().Sum(p => p.numel());
        Assert.InRange(cnnParameters, 100_000, 200_000);
    }

    [Fact]
    public void AGeneratorMakesTheInitialWeightsIndependentOfTheGlobalGenerator()
    {
        var spec = new ImageModelSpec(ModelArchitecture.WideResNet, 10, 1, 0.3, 10, 3, 32, 32);
        using var g1 = new Generator(42, CPU);
        manual_seed(1);
        using var first = spec.CreateModule(g1);
        using var g2 = new Generator(42, CPU);
        manual_seed(2);
        using var second = spec.CreateModule(g2);
        foreach (var (name, tensor) in first.state_dict())
            Assert.True(tensor.allclose(second.state_dict()[name], 0, 0), name);
        using var g3 = new Generator(43, CPU);
        using var third = spec.CreateModule(g3);
        Assert.False(first.state_dict()["conv1.weight"].allclose(third.state_dict()["conv1.weight"], 0, 0));
        // Convolutions follow the reference's He (fan-out) initialisation: std sqrt(2 / (3 * 3 * 16)).
        Assert.InRange(first.state_dict()["conv1.weight"].std().item<float>(), 0.10, 0.13);
    }

    [Fact]
    public void ModelSpecRejectsShapesTheArchitectureCannotTake()
    {
        var tooSmall = new ImageModelSpec(ModelArchitecture.ResNet18, 0, 0, 0, 10, 3, 16, 16);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tooSmall.CreateModule());
        Assert.Contains("at least 28 x 28", error.Message);
        var badDepth = Assert.Throws<ArgumentOutOfRangeException>(() => new WideResNet(12, 1, 0, 10));
        Assert.Equal("depth", badDepth.ParamName);
        Assert.Contains("6n + 4", badDepth.Message);
    }
}
