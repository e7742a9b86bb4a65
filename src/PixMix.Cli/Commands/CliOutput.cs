using Spectre.Console;

namespace PixMix.Cli.Commands;

/// <summary>Writing results as text or JSON, and progress bars.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// One-line JSON with snake_case names and unescaped text, for the lines the GPU check collects: the same field names
    /// as the PyTorch reference script prints (bench train --json, selftest cuda).
    /// </summary>
    public static readonly JsonSerializerOptions SnakeCaseJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static void Result(TextWriter stdout, bool json, object value, string text)
    {
        stdout.WriteLine(json ? JsonSerializer.Serialize(value, JsonOptions) : text);
    }
}
