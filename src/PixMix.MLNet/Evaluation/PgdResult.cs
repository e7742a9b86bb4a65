namespace PixMix.MLNet.Evaluation;

/// <summary>The outcome of <see cref="PgdAttack.Evaluate"/>.</summary>
/// <param name="AdversarialError">Fraction of the attacked images misclassified after the attack.</param>
/// <param name="CleanError">Fraction of the same images misclassified without attack.</param>
/// <param name="Examples">Number of images attacked.</param>
public sealed record PgdResult(double AdversarialError, double CleanError, long Examples);
