namespace PixMix.MLNet.Models;

/// <summary>The image-classification networks the trainer can build.</summary>
public enum ModelArchitecture
{
    /// <summary>
    /// Wide residual network (Zagoruyko and Komodakis) with pre-activation basic blocks, the paper's CIFAR network.
    /// Uses <c>Depth</c> (6n + 4), <c>Widen</c> and <c>Dropout</c>; WideResNet-40-4 with dropout 0.3 is the paper's recipe.
    /// </summary>
    WideResNet,
    /// <summary>ResNet-18 with the torchvision layout (7x7 stem, max pooling, four stages of basic blocks).</summary>
    ResNet18,
    /// <summary>ResNet-50 with the torchvision layout (bottleneck blocks), the paper's ImageNet network.</summary>
    ResNet50,
    /// <summary>A small, fast convolutional network (about 145k parameters) for tests and CPU demonstrations.</summary>
    SmallCnn,
}
