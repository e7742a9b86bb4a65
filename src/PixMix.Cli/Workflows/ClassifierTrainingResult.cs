namespace PixMix.Cli.Workflows;

/// <summary>The outcome of <see cref="ClassifierTraining.Run"/>.</summary>
/// <param name="ModelPath">The full path of the model file written.</param>
/// <param name="Recipe">The PixMix recipe of the model's transform.</param>
/// <param name="TrainImages">Training images used.</param>
/// <param name="ClassNames">The classes, in score order.</param>
/// <param name="Summary">The training run's record.</param>
public sealed record ClassifierTrainingResult(string ModelPath, PixMixRecipe Recipe, long TrainImages, IReadOnlyList<string> ClassNames, TrainingSummary Summary)
{
    /// <summary>The validation accuracy after the last epoch, when validation images were given.</summary>
    public double? ValidationAccuracy => Summary.History.Count > 0 ? Summary.History[^1].ValidationAccuracy : null;
}
