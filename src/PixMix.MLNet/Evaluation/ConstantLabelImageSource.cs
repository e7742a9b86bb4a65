namespace PixMix.MLNet.Evaluation;

/// <summary>
/// Presents an image source with a label column whose every value is class 0, so that unlabelled images (out of
/// distribution, perturbation frames) have the same schema as the labelled test set the model was built for.
/// </summary>
internal sealed class ConstantLabelImageSource(IImageSource inner) : IImageSource
{
    public long Count => inner.Count;
    public int Width => inner.Width;
    public int Height => inner.Height;
    public int Channels => inner.Channels;
    public bool HasLabels => true;
    public IReadOnlyList<string>? ClassNames => null;
    public void ReadImage(long index, Span<byte> destination) => inner.ReadImage(index, destination);
    public int ReadLabel(long index) => 0;
}
