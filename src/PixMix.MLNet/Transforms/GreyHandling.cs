namespace PixMix.MLNet.Transforms;

/// <summary>What the PixMix transform does with grey (one-channel) input images.</summary>
public enum GreyHandling
{
    /// <summary>Keep one channel: the output is 1 x H x W and mixing pictures are converted to grey (luma).</summary>
    KeepSingleChannel,
    /// <summary>Replicate the grey channel to RGB: the output is 3 x H x W and mixing pictures keep their colours.</summary>
    ReplicateToRgb,
}
