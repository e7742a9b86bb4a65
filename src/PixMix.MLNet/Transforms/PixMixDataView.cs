namespace PixMix.MLNet.Transforms;

/// <summary>
/// The data produced by <see cref="PixMixTransformer.Transform"/>: the source's columns followed by the PixMix output
/// column. Whether a cursor augments is decided when it is created: outside an <see cref="AugmentationPass"/> it applies
/// only the deterministic evaluation path (so scoring never augments and the same image always gives the same output);
/// inside a pass (<see cref="AugmentedDataView"/>, <c>mlContext.Data.Augment(view, epoch)</c>) it augments row r with the
/// random stream (seed, epoch, r). Cursor sets are supported and give every row the same value as a single cursor.
/// </summary>
internal sealed class PixMixDataView(PixMixTransformer transformer, IDataView source, PixMixBinding binding)
    : AppendedColumnsDataView(source, binding.Columns)
{
    protected override CursorPlan Plan(Random? rand)
    {
        var pass = AugmentationPass.Current;
        // Resolve the processor (and, inside a pass, the mixing set) before opening the source.
        if (pass is null) transformer.GetEvaluator(binding.OutputChannels);
        else transformer.GetAugmenter(binding.OutputChannels);
        return new CursorPlan(ReadsDependencies: true, input => new PixMixRowComputer(transformer, binding, input, pass, perPosition: true));
    }
}
