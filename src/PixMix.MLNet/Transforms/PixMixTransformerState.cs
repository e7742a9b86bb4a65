using System.Text.Json.Serialization;

namespace PixMix.MLNet.Transforms;

/// <summary>The JSON form of a <see cref="PixMixTransformer"/> in a model file (part version 1).</summary>
internal sealed record PixMixTransformerState
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public string InputColumnName { get; init; } = "";
    public string OutputColumnName { get; init; } = "";
    public long Seed { get; init; }
    public GreyHandling GreyHandling { get; init; }
    public PixelValueRange FloatRange { get; init; }
    public ShapeState? InputShape { get; init; }
    public RecipeState Recipe { get; init; } = new();
    /// <summary>The mixing set's description, stored as it is (its properties are the JSON's).</summary>
    public MixingSetDescription MixingSet { get; init; } = new();

    public static PixMixTransformerState From(PixMixTransformer t) => new()
    {
        InputColumnName = t.InputColumnName,
        OutputColumnName = t.OutputColumnName,
        Seed = t.Seed,
        GreyHandling = t.GreyHandling,
        FloatRange = t.FloatRange,
        InputShape = t.InputShape is { } s ? new ShapeState { Height = s.Height, Width = s.Width, Channels = s.Channels } : null,
        Recipe = new RecipeState
        {
            K = t.Recipe.Parameters.K, Beta = t.Recipe.Parameters.Beta, Severity = t.Recipe.Parameters.Severity, AllOps = t.Recipe.Parameters.AllOps,
            TrainTransform = t.Recipe.TrainTransform, CropPadding = t.Recipe.CropPadding, Size = t.Recipe.Size, MixingResize = t.Recipe.MixingResize,
            Mean = [.. t.Recipe.Mean], Std = [.. t.Recipe.Std], UsePixMix = t.Recipe.UsePixMix,
        },
        MixingSet = t.MixingSetDescription,
    };

    /// <summary>The options and mixing-set description; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    public (PixMixOptions Options, MixingSetDescription MixingSet) ToOptions()
    {
        if (Recipe is null) throw new ArgumentException("the recipe is missing.");
        if (MixingSet is null) throw new ArgumentException("the mixing set description is missing.");
        var recipe = new PixMixRecipe
        {
            Parameters = new PixMixParameters { K = Recipe.K, Beta = Recipe.Beta, Severity = Recipe.Severity, AllOps = Recipe.AllOps },
            TrainTransform = Enum.IsDefined(Recipe.TrainTransform) ? Recipe.TrainTransform : throw new ArgumentException($"unknown train transform {Recipe.TrainTransform}."),
            CropPadding = Recipe.CropPadding, Size = Recipe.Size, MixingResize = Recipe.MixingResize,
            Mean = Recipe.Mean ?? [], Std = Recipe.Std ?? [], UsePixMix = Recipe.UsePixMix,
        };
        var options = new PixMixOptions
        {
            InputColumnName = InputColumnName, OutputColumnName = OutputColumnName, Seed = Seed, GreyHandling = GreyHandling, FloatRange = FloatRange,
            InputShape = InputShape is { } s ? new ImageShape(s.Height, s.Width, s.Channels) : null, Recipe = recipe,
        };
        options.Validate();
        if (!Enum.IsDefined(MixingSet.Kind)) throw new ArgumentException($"unknown mixing set kind {MixingSet.Kind}.");
        return (options, MixingSet);
    }

    internal sealed record ShapeState
    {
        public int Height { get; init; }
        public int Width { get; init; }
        public int Channels { get; init; }
    }

    internal sealed record RecipeState
    {
        public int K { get; init; }
        public double Beta { get; init; }
        public double Severity { get; init; }
        public bool AllOps { get; init; }
        public TrainTransform TrainTransform { get; init; }
        public int CropPadding { get; init; }
        public int Size { get; init; }
        public int MixingResize { get; init; }
        public float[]? Mean { get; init; }
        public float[]? Std { get; init; }
        public bool UsePixMix { get; init; } = true;
    }
}
