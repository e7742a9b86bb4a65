namespace PixMix.Cli.Workflows;

/// <summary>
/// The input of a chain that loads its pictures itself (<c>paths -> LoadImages -> ResizeImages -> ...</c>): a text column
/// of file paths and, where the chain maps it to a key, a text label column. Such a chain is fed the files of a
/// <c>folder:</c> test set as paths and class-folder names; the pictures are decoded and resized by the chain alone.
/// </summary>
internal sealed class PicturePathInput
{
    private PicturePathInput(string pathColumn, string? labelColumn) { PathColumn = pathColumn; LabelColumn = labelColumn; }

    /// <summary>The column of file paths.</summary>
    public string PathColumn { get; }
    /// <summary>The text label column, when the model's input has one.</summary>
    public string? LabelColumn { get; }

    /// <summary>
    /// The path input of <paramref name="model"/>, or null when its input holds the pixels themselves (an image column).
    /// </summary>
    /// <exception cref="InvalidDataException">The chain makes its images from its input but that input is not one path column and a label.</exception>
    public static PicturePathInput? Find(ITransformer model, DataViewSchema inputSchema, string labelColumnName)
    {
        var visible = inputSchema.Where(c => !c.IsHidden).ToList();
        if (visible.Any(c => EvaluationChain.IsImage(c.Type))) return null;
        var text = visible.Where(c => c.Type is TextDataViewType).ToList();
        var label = text.FirstOrDefault(c => c.Name == labelColumnName);
        var paths = text.Where(c => c.Name != labelColumnName).ToList();
        if (paths.Count != 1)
            throw new InvalidDataException(
                $"The model reads no pixels from its input ({string.Join(", ", visible.Select(c => $"{c.Name} ({c.Type})"))}); a chain that loads its pictures needs one text column of paths besides the label '{labelColumnName}'.");
        if (visible.Count > paths.Count + (label.Name is null ? 0 : 1))
            throw new InvalidDataException(
                $"The model's input has columns other than the paths '{paths[0].Name}' and the label '{labelColumnName}' ({string.Join(", ", visible.Select(c => c.Name))}); the command line can feed only those two.");
        // The chain must turn the paths into images; its steps say whether it does.
        EvaluationChain.Analyze(model, inputSchema, paths[0].Name, SafetyEvaluator.EvaluationLabelColumnName);
        return new PicturePathInput(paths[0].Name, label.Name);
    }

    /// <summary>
    /// The test set as (path, label) rows: every picture checked first (a regular file, a known format, within the pixel
    /// budget), then handed to the chain as its absolute path and its class name.
    /// </summary>
    public IDataView View(MLContext context, IImageSource test, string modelPath, string? datasetName)
    {
        var folder = (test as ImageSourceSlice)?.Inner as ImageFolderSource ?? test as ImageFolderSource
            ?? throw new ArgumentException(
                $"Model '{Path.GetFullPath(modelPath)}' loads its own pictures from file paths ('{PathColumn}'), so its test data must be picture files: give --test folder:<dir> (got '{datasetName ?? "test images"}').");
        var rows = new List<PathRow>((int)test.Count);
        for (long i = 0; i < test.Count; i++)
        {
            string path = Path.GetFullPath(folder.Paths[(int)SourceIndex(test, i)]);
            PictureFileCheck.Check(path);
            string label = "";
            if (test.HasLabels)
            {
                int l = test.ReadLabel(i);
                label = test.ClassNames is { } names && l >= 0 && l < names.Count ? names[l] : l.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(new PathRow { Path = path, Label = label });
        }
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[nameof(PathRow.Path)].ColumnName = PathColumn;
        if (LabelColumn is not null) definition[nameof(PathRow.Label)].ColumnName = LabelColumn;
        var view = context.Data.LoadFromEnumerable(rows, definition);
        return LabelColumn is null ? context.Transforms.DropColumns(nameof(PathRow.Label)).Fit(view).Transform(view) : view;
    }

    private static long SourceIndex(IImageSource test, long i) => test is ImageSourceSlice slice ? slice.Start + i : i;

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
