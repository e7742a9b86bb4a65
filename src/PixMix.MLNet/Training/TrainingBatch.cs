namespace PixMix.MLNet.Training;

/// <summary>One batch handed from the data pipeline to the training loop; its buffers are pooled and reused.</summary>
internal sealed class TrainingBatch
{
    internal TrainingBatch(int batchSize, int imageSize)
    {
        Images = new float[batchSize * imageSize];
        Labels = new long[batchSize];
    }

    /// <summary>Count x C x H x W floats (the array may be longer than one batch needs).</summary>
    internal float[] Images { get; }
    /// <summary>0-based class indices.</summary>
    internal long[] Labels { get; }
    internal int Count { get; set; }
    internal int Epoch { get; set; }
    /// <summary>True for the epoch's last batch.</summary>
    internal bool EndOfEpoch { get; set; }
}
