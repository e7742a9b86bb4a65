namespace PixMix.MLNet.Demo;

/// <summary>A stage of the demo and how far it is.</summary>
public sealed record DemoProgress(string Stage, double Fraction, string Message);
