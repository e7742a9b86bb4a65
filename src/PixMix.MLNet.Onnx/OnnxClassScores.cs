using Microsoft.ML;
using Microsoft.ML.Data;
using PixMix.MLNet.Scoring;

namespace PixMix.MLNet.Onnx;

/// <summary>
/// The last step of an ONNX classifier's chain: the graph's output becomes <c>Score</c> (class probabilities, a
/// softmax of logits; slot names = the class names) and <c>PredictedLabel</c> (a key of the class count whose key
/// values are the class names), the columns ML.NET's multiclass trainers and this library's classifier append, so
/// evaluation matches the data's classes to the model's by name. An ML.NET custom mapping.
/// </summary>
internal static class OnnxClassScores
{
    public const string ScoreColumnName = "Score";
    public const string PredictedLabelColumnName = "PredictedLabel";

    public sealed class Output
    {
        public VBuffer<float> Values;
    }

    public sealed class Scored
    {
        public VBuffer<float> Score;
        public uint PredictedLabel { get; set; }
    }

    public static IEstimator<ITransformer> Estimator(MLContext context, DataViewSchema.Column output, OnnxImageClassifierInfo info)
    {
        int classes = info.ClassCount;
        if (output.Type is not VectorDataViewType { ItemType: NumberDataViewType n } type || n != NumberDataViewType.Single || type.Size != classes)
            throw new InvalidOperationException($"ONNX model '{info.ModelPath}': ML.NET presents output '{output.Name}' as {output.Type}; expected {classes} floats.");
        var input = SchemaDefinition.Create(typeof(Output));
        input[0].ColumnName = output.Name;
        input[0].ColumnType = type;

        var scored = SchemaDefinition.Create(typeof(Scored));
        var score = scored[nameof(Scored.Score)];
        score.ColumnName = ScoreColumnName;
        score.ColumnType = new VectorDataViewType(NumberDataViewType.Single, classes);
        var predicted = scored[nameof(Scored.PredictedLabel)];
        predicted.ColumnName = PredictedLabelColumnName;
        predicted.ColumnType = new KeyDataViewType(typeof(uint), classes);
        if (info.Contract.ClassNames is { } names)
        {
            var text = new VBuffer<ReadOnlyMemory<char>>(classes, names.Select(s => s.AsMemory()).ToArray());
            var textType = new VectorDataViewType(TextDataViewType.Instance, classes);
            score.AddAnnotation(Training.ClassLabels.SlotNamesKind, text, textType);
            predicted.AddAnnotation(Training.ClassLabels.KeyValuesKind, text, textType);
        }
        bool softmax = info.Scores == OnnxScoreKind.Logits;
        return context.Transforms.CustomMapping<Output, Scored>((src, dst) => Map(src.Values.GetValues(), dst, classes, softmax), contractName: null, input, scored);
    }

    private static void Map(ReadOnlySpan<float> values, Scored destination, int classes, bool softmax)
    {
        if (values.Length != classes) throw new InvalidDataException($"The classifier's output row holds {values.Length} values; expected {classes}.");
        var editor = VBufferEditor.Create(ref destination.Score, classes);
        var p = editor.Values;
        values.CopyTo(p);
        if (softmax) ClassProbabilities.SoftmaxInPlace(p);
        int best = ClassProbabilities.PredictedClass(p);
        destination.Score = editor.Commit();
        destination.PredictedLabel = (uint)best;   // a custom mapping writes key members 0-based (the column holds best + 1)
    }
}
