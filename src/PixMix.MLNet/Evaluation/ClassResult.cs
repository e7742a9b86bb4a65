namespace PixMix.MLNet.Evaluation;

/// <summary>The clean error of one class.</summary>
public sealed record ClassResult
{
    /// <summary>The model's class index.</summary>
    public int Class { get; init; }
    /// <summary>The class name (its index as text when nobody names it).</summary>
    public string Name { get; init; } = "";
    /// <summary>Clean examples of this class.</summary>
    public long Examples { get; init; }
    /// <summary>Their top-1 error (NaN without examples).</summary>
    public double Error { get; init; }
}
