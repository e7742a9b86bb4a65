using PixMix.MLNet.Training;
using PixMix.MLNet.TorchSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace PixMix.MLNet.Tests.Training;

/// <summary>The CUDA path copies each batch into a staging tensor's storage; here on the CPU, where the same copy runs.</summary>
public class HostStagingTests
{
    [Fact]
    public void CopyIntoWritesTheTensorsOwnStorage()
    {
        using var images = zeros([2, 3], ScalarType.Float32);
        using var labels = zeros([4], ScalarType.Int64);
        HostStaging.CopyInto(images, new float[] { 1.5f, -2f, 3f, 4f }.AsSpan());
        HostStaging.CopyInto(labels, new long[] { 7, 9 }.AsSpan());
        // Read back through torch, not through the span that was written: a copy of the storage would leave zeros.
        Assert.Equal([1.5f, -2f, 3f, 4f, 0f, 0f], images.data<float>().ToArray());
        Assert.Equal(new long[] { 7, 9, 0, 0 }, labels.data<long>().ToArray());
        Assert.Equal(7L, labels[0].item<long>());
        Assert.Equal(4f, images[1, 0].item<float>());
    }

    [Fact]
    public void CopyIntoRefusesWhatDoesNotFitOrIsNotContiguous()
    {
        using var small = zeros([2], ScalarType.Float32);
        Assert.Throws<ArgumentException>(() => HostStaging.CopyInto(small, new float[3].AsSpan()));
        using var square = zeros([3, 3], ScalarType.Float32);
        using var transposed = square.t();
        Assert.Throws<ArgumentException>(() => HostStaging.CopyInto(transposed, new float[1].AsSpan()));
    }
}
