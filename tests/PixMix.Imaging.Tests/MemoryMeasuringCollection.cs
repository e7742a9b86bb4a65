namespace PixMix.Imaging.Tests;

/// <summary>Tests that measure process-wide allocations or change environment variables run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;
