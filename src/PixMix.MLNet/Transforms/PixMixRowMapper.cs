namespace PixMix.MLNet.Transforms;

/// <summary>
/// The row-to-row mapper of a <see cref="PixMixTransformer"/>, used by ML.NET's <c>PredictionEngine</c>: it appends the
/// output column computed with the deterministic evaluation path only (never augments).
/// </summary>
internal sealed class PixMixRowMapper(PixMixTransformer transformer, PixMixBinding binding) : AppendedColumnsRowMapper(binding.Columns)
{
    // The input row may change between calls without its position changing (a prediction engine reuses it), so every
    // read computes; the evaluation path is deterministic, so repeated reads agree.
    protected override IAppendedValues Values(DataViewRow input) => new PixMixRowComputer(transformer, binding, input, pass: null, perPosition: false);
}
