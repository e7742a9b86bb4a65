namespace PixMix.Cli.Commands;

/// <summary>--k, --beta and --severity: PixMix's parameters, as the commands that run PixMix take them.</summary>
internal sealed class PixMixOptions(PixMixParameters defaults, string kDescription = "PixMix k", string of = "")
{
    /// <summary>--k, the maximum mixing rounds.</summary>
    public Option<int> K { get; } = CliOptions.Int("--k", kDescription, defaults.K, 0, 16);
    /// <summary>--beta, the mixing weights' Beta parameter.</summary>
    public Option<double> Beta { get; } = CliOptions.Double("--beta", "PixMix beta" + of, defaults.Beta, 0.01, 100);
    /// <summary>--severity of the augmentation operations.</summary>
    public Option<double> Severity { get; } = CliOptions.Double("--severity", "PixMix severity" + of, defaults.Severity, 0.1, 10);

    /// <summary>The parameters given (all operations unless <paramref name="allOps"/> says otherwise).</summary>
    public PixMixParameters Read(ParseResult parse, bool allOps = true)
        => new() { K = parse.GetValue(K), Beta = parse.GetValue(Beta), Severity = parse.GetValue(Severity), AllOps = allOps };
}
