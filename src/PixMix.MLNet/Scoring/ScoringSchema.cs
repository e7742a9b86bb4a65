namespace PixMix.MLNet.Scoring;

/// <summary>The schema a fitted image classifier produces: the input columns, then Score and PredictedLabel.</summary>
internal sealed class ScoringSchema
{
    internal const string ScoreColumnName = "Score";
    internal const string PredictedLabelColumnName = "PredictedLabel";

    internal ScoringSchema(DataViewSchema input, string featureColumnName, int imageSize, ClassLabels classes)
    {
        Input = input;
        Features = FeatureColumn.Check(input, featureColumnName, imageSize);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes.Count), ScoreAnnotations(classes));
        var keyAnnotations = new DataViewSchema.Annotations.Builder();
        classes.AddKeyValues(keyAnnotations);
        builder.AddColumn(PredictedLabelColumnName, classes.KeyType, keyAnnotations.ToAnnotations());
        Output = builder.ToSchema();
        ScoreIndex = input.Count;
        PredictedLabelIndex = input.Count + 1;
        Columns = new AppendedColumns(input, Output, Features);
    }

    /// <summary>The input columns and the appended Score and PredictedLabel, computed from the features.</summary>
    internal AppendedColumns Columns { get; }

    internal DataViewSchema Input { get; }
    internal DataViewSchema Output { get; }
    internal DataViewSchema.Column Features { get; }
    internal int ScoreIndex { get; }
    internal int PredictedLabelIndex { get; }

    internal static DataViewSchema.Annotations ScoreAnnotations(ClassLabels classes)
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        classes.AddSlotNames(annotations);
        annotations.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "MulticlassClassification".AsMemory());
        annotations.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> v) => v = "Score".AsMemory());
        return annotations.ToAnnotations();
    }
}
