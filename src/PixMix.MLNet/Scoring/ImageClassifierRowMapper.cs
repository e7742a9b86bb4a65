namespace PixMix.MLNet.Scoring;

/// <summary>Scores one row at a time (for <c>PredictionEngine</c>): the input columns plus Score and PredictedLabel.</summary>
internal sealed class ImageClassifierRowMapper(ScoringSchema schema, ImageModelSpec spec, IImageClassifierEngine engine) : AppendedColumnsRowMapper(schema.Columns)
{
    protected override IAppendedValues Values(DataViewRow input) => new ScoreBuffer(spec, engine, schema, input, ahead: null, batchSize: 1);
}
