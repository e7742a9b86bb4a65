namespace PixMix.Cli.Commands;

/// <summary>
/// The options of the commands that write a derived copy of a data set (corrupt, perturb): the clean data set and its
/// split, --limit, --seed, --threads, --output, --json and the data layout options; and the data set they open.
/// </summary>
internal sealed class DataSetCopyOptions(string outputDescription, bool grey)
{
    private readonly Option<string> _data = CliOptions.Data("--data", "The clean data set", "fashion-mnist");
    private readonly Option<string> _split = CliOptions.Split();
    private readonly Option<int?> _limit = CliOptions.Limit();
    private readonly Option<long> _seed = CliOptions.Seed();
    private readonly Option<int> _threads = CliOptions.Int("--threads", "Worker threads (0: all processors)", 0, 0, 1024);
    private readonly Option<string> _output = CliOptions.RequiredPath("--output", outputDescription);
    private readonly Option<bool> _json = CliOptions.Json();
    private readonly DataLayoutOptions _layout = CliOptions.DataLayout(grey);

    /// <summary>The command with these options and its own: <paramref name="selection"/> after the split, <paramref name="afterLimit"/> after --limit.</summary>
    public Command Command(string name, string description, Option[] selection, params Option[] afterLimit)
    {
        var cmd = new Command(name, description) { _data, _split };
        foreach (var option in selection.Append(_limit).Concat(afterLimit)) cmd.Options.Add(option);
        foreach (var option in new Option[] { _seed, _threads, _output, _json }.Concat(_layout.All)) cmd.Options.Add(option);
        return cmd;
    }

    /// <summary>The data set named by --data, parsed.</summary>
    public DataSetReference Reference(ParseResult parse) => DataSetReference.Parse(parse.GetValue(_data)!, "--data");

    /// <summary>The --output folder (checked, created if missing).</summary>
    public string OutputFolder(ParseResult parse, DataSetReference reference)
        => CliOptions.OutputFolder("--output", parse.GetValue(_output)!, CliOptions.DataFolderOf(reference));

    public long Seed(ParseResult parse) => parse.GetValue(_seed);

    public bool Json(ParseResult parse) => parse.GetValue(_json);

    /// <summary>Opens the split (--split) of the data set.</summary>
    public SourceScope Open(ParseResult parse, DataSetReference reference)
        => new(reference.Open(parse.GetValue(_split) == "train", _layout.Read(parse)));

    /// <summary>The first --limit images of <paramref name="opened"/>.</summary>
    public IImageSource Source(ParseResult parse, SourceScope opened) => ImageSourceSlice.Take(opened.Source, parse.GetValue(_limit));

    /// <summary>The writer's options: --threads, and the set's description (data, split, limit).</summary>
    public CorruptedSetWriterOptions WriterOptions(ParseResult parse, DataSetReference reference) => new()
    {
        MaxDegreeOfParallelism = parse.GetValue(_threads),
        SetDescription = $"data={reference.Name}; split={parse.GetValue(_split)}; limit={parse.GetValue(_limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}",
    };
}
