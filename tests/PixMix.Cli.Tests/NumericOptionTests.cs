using System.CommandLine;
using PixMix.Cli.Commands;

namespace PixMix.Cli.Tests;

/// <summary>
/// Rows of the bad-input matrix for every numeric option of every command, found from the commands themselves so that a
/// new option is covered as it is added: text, a fraction for an integer, a number beyond the type, and a value out of
/// the option's range each exit 2 with one line naming the option, never a crash.
/// </summary>
public class NumericOptionTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, option) in NumericOptions())
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            data.Add(path, option.Name, "abc");
            data.Add(path, option.Name, type == typeof(int) ? "99999999999" : type == typeof(long) ? "99999999999999999999" : "1e999");
            if (type == typeof(int) || type == typeof(long)) data.Add(path, option.Name, "1.5");
        }
        return data;
    }

    [Fact]
    public void EveryCommandWithNumbersIsCovered()
    {
        var commands = NumericOptions().Select(o => o.Path).Distinct().ToList();
        foreach (var expected in new[] { "train", "evaluate", "corrupt", "fractals", "augment", "demo", "import-pytorch", "bench train" })
            Assert.Contains(expected, commands);
        Assert.True(NumericOptions().Count() >= 25, $"only {NumericOptions().Count()} numeric options found");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnUnparsableNumberExitsTwoNamingTheOption(string command, string option, string value)
    {
        var args = command.Split(' ').Concat([option, value]).ToArray();
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}: {error}");
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pixmix: ", line);
        Assert.Contains(option, line);
        // Text, fractions and integers beyond their type are named as unparsable; 1e999 parses as infinity, out of range.
        Assert.True(line.Contains($"'{value}'") || line.Contains($"Option '{option}' must be"), line);
        Assert.DoesNotContain("System.", line);
    }

    [Theory]
    [InlineData("train", "--epochs", "0", "in 1..")]
    [InlineData("train", "--batch-size", "-1", "in ")]
    [InlineData("evaluate", "--limit", "0", "at least 1")]
    [InlineData("demo", "--lr", "11", "in (0, 10]")]
    [InlineData("demo", "--dropout", "1", "in [0, 1)")]
    [InlineData("demo", "--epochs", "201", "in 1..200")]
    public void AnOutOfRangeNumberExitsTwoNamingTheRange(string command, string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run(command, option, value);
        Assert.Equal(2, code);
        Assert.Contains($"Option '{option}' must be {expected}", error);
        Assert.Contains($"got {value}", error);
    }

    private static IEnumerable<(string Path, Option Option)> NumericOptions()
    {
        foreach (var command in CommandCatalog.All(TextWriter.Null, TextWriter.Null))
            foreach (var found in Walk(command, command.Name))
                yield return found;
    }

    private static IEnumerable<(string Path, Option Option)> Walk(Command command, string path)
    {
        foreach (var option in command.Options)
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float)) yield return (path, option);
        }
        foreach (var sub in command.Subcommands)
            foreach (var found in Walk(sub, path + " " + sub.Name))
                yield return found;
    }
}
