namespace PixMix.Imaging.Perturbations;

/// <summary>Progress of <see cref="PerturbationSets.Write"/>: sequences written so far out of the total.</summary>
/// <param name="Perturbation">The file being written (for example <c>gaussian_noise_2</c>).</param>
/// <param name="SequencesDone">Sequences written so far, over all files.</param>
/// <param name="SequencesTotal">Sequences to write in all (files x N).</param>
public readonly record struct PerturbationProgress(string Perturbation, long SequencesDone, long SequencesTotal);
