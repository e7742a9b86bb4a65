using PixMix.Imaging.Ops;

namespace PixMix.Imaging.Mixing;

/// <summary>Observes the random choices of <see cref="PixMixAugmenter"/> (for statistics and debugging). Null by default: no cost.</summary>
public class PixMixTrace
{
    /// <summary>An operation was applied by augment().</summary>
    public virtual void OnOperation(PixMixOp op) { }
    /// <summary>The number of mixing rounds was drawn.</summary>
    public virtual void OnRounds(int rounds) { }
    /// <summary>A mixing round: whether the other image is an augmented original (else the mixing picture), add (else multiply), and the weights.</summary>
    public virtual void OnMix(bool augmentedOriginal, bool add, float a, float b) { }
}
