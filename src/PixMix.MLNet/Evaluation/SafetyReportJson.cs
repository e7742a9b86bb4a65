using System.Text.Json.Serialization;

namespace PixMix.MLNet.Evaluation;

/// <summary>
/// JSON form of <see cref="SafetyReport"/> (System.Text.Json): camelCase property names, enums as camelCase strings,
/// indented; non-finite numbers as the strings "NaN"/"Infinity". Files are written atomically.
/// </summary>
public static class SafetyReportJson
{
    /// <summary>The format version written by this library; newer files are refused. Version 2 added the class matching and the per-class results.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The serializer options used.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The report as JSON text.</summary>
    public static string Serialize(SafetyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }

    /// <summary>Reads a report from JSON text.</summary>
    /// <exception cref="InvalidDataException">The text is not a report or has a newer format version.</exception>
    public static SafetyReport Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SafetyReport? report;
        try { report = JsonSerializer.Deserialize<SafetyReport>(json, Options); }
        catch (JsonException e) { throw new InvalidDataException($"Not a safety report: {e.Message}", e); }
        if (report is null) throw new InvalidDataException("Not a safety report: the JSON is null.");
        if (report.Metadata.FormatVersion > CurrentFormatVersion)
            throw new InvalidDataException($"The safety report has format version {report.Metadata.FormatVersion}; this library reads up to {CurrentFormatVersion}. Update PixMix.MLNet.");
        return report;
    }

    /// <summary>Writes the report to <paramref name="path"/> atomically (UTF-8 JSON).</summary>
    public static void Save(SafetyReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, report, Options));
    }

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static SafetyReport Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Safety report file '{path}' not found.", path);
        try { return Deserialize(File.ReadAllText(path)); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{path}': {e.Message}", e); }
    }
}
