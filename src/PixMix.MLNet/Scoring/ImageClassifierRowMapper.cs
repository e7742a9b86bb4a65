namespace PixMix.MLNet.Training;

/// <summary>Scores one row at a time (for <c>PredictionEngine</c>): the input columns plus Score and PredictedLabel.</summary>
internal sealed class ImageClassifierRowMapper(ScoringSchema schema, NetworkRunner runner) : AppendedColumnsRowMapper(schema.Columns)
{
    protected override IAppendedValues Values(DataViewRow input) => new ScoreBuffer(runner, schema, input, ahead: null, batchSize: 1);
}
