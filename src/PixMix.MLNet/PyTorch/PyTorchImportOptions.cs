namespace PixMix.MLNet.PyTorch;

/// <summary>Describes the network of a PyTorch checkpoint to import (the paper's CIFAR WideResNet-40-4 by default).</summary>
public sealed class PyTorchImportOptions
{
    /// <summary>The network the checkpoint holds. Default <see cref="ModelArchitecture.WideResNet"/>.</summary>
    public ModelArchitecture Architecture { get; set; } = ModelArchitecture.WideResNet;
    /// <summary>WideResNet depth. Default 40.</summary>
    public int Depth { get; set; } = 40;
    /// <summary>WideResNet width multiplier. Default 4.</summary>
    public int Widen { get; set; } = 4;
    /// <summary>Dropout (only matters for further training; scoring runs without dropout). Default 0.3.</summary>
    public double Dropout { get; set; } = 0.3;
    /// <summary>
    /// The class names in output order (for CIFAR-10: airplane, automobile, ...); they become Score's slot names and
    /// PredictedLabel's key values. When null, <see cref="ClassCount"/> classes named "0", "1", ... are used.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; set; }
    /// <summary>Number of classes when <see cref="ClassNames"/> is null; 0: taken from the checkpoint's <c>fc.weight</c>.</summary>
    public int ClassCount { get; set; }
    /// <summary>Input channels. Default 3.</summary>
    public int ImageChannels { get; set; } = 3;
    /// <summary>Input height. Default 32.</summary>
    public int ImageHeight { get; set; } = 32;
    /// <summary>Input width. Default 32.</summary>
    public int ImageWidth { get; set; } = 32;
    /// <summary>The feature column the classifier reads. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";
    /// <summary>Where to run the network. Default <see cref="TrainingDevice.Cpu"/>.</summary>
    public TrainingDevice Device { get; set; } = TrainingDevice.Cpu;
    /// <summary>Scoring batch size. Default 256.</summary>
    public int EvaluationBatchSize { get; set; } = 256;
}
