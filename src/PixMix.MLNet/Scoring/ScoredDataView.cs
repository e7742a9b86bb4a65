namespace PixMix.MLNet.Scoring;

/// <summary>
/// The data scored by an <see cref="ImageClassificationTransformer"/>: the input columns plus Score and PredictedLabel.
/// Sequential cursors score rows in batches (a second cursor reads the features ahead, one forward pass per batch);
/// shuffled cursors score row by row. A cursor set is one cursor (the network runs one batch at a time).
/// </summary>
internal sealed class ScoredDataView(IDataView source, ScoringSchema schema, ImageModelSpec spec, IImageClassifierEngine engine, int batchSize)
    : AppendedColumnsDataView(source, schema.Columns)
{
    protected override bool AllowsCursorSets => false;

    protected override CursorPlan Plan(Random? rand)
    {
        bool batched = rand is null && batchSize > 1;
        return new CursorPlan(ReadsDependencies: !batched,
            input => new ScoreBuffer(spec, engine, schema, input, batched ? Source.GetRowCursor([schema.Features]) : null, batchSize));
    }
}
