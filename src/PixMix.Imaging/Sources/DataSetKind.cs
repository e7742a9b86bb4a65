namespace PixMix.Imaging.Sources;

/// <summary>The kinds of labelled image data set a <see cref="DataSetReference"/> names.</summary>
public enum DataSetKind
{
    /// <summary>The shipped Fashion-MNIST, as 32x32 RGB (see <see cref="FashionMnist.OpenAs32x32Rgb"/>).</summary>
    FashionMnist,
    /// <summary>CIFAR-10 binary batches (<c>cifar-10-batches-bin</c>).</summary>
    Cifar10,
    /// <summary>CIFAR-100 binary files (<c>cifar-100-binary</c>), fine labels.</summary>
    Cifar100,
    /// <summary>An image-folder tree <c>root/&lt;class&gt;/&lt;image&gt;</c>, optionally split into <c>train/</c> and <c>test/</c>.</summary>
    Folder,
    /// <summary>Any idx data set in the MNIST layout (MNIST, Fashion-MNIST, KMNIST, EMNIST splits), see <see cref="IdxDataSet"/>.</summary>
    Idx,
}
