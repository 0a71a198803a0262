namespace Graphport.Cli;

/// <summary>
/// A command's arguments after its path: positionals, flags and options with values. Parsed by hand against
/// the command's declared flags and options, so a misspelt option is an error rather than silently ignored.
/// </summary>
public sealed class CommandArguments
{
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> options = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals { get; private init; } = [];

    public bool Has(string flag) => flags.Contains(flag);

    /// <summary>The option's value; when it is given more than once, the last one.</summary>
    public string? Option(string name) => options.GetValueOrDefault(name) is { } values ? values[^1] : null;

    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/>
    /// when it is not given; anything else is a usage error naming the range.</summary>
    public long WholeNumber(string name, long fallback, long min, long max)
    {
        if (Option(name) is not { } text) return fallback;
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) || value < min || value > max)
            throw new UsageException($"{name} must be a whole number from {min} to {max}, got '{text}'.");
        return value;
    }

    /// <summary>Every value of an option that may repeat (--dim batch=8 --dim seq=16), in command-line order.</summary>
    public IReadOnlyList<string> OptionValues(string name) => options.GetValueOrDefault(name) ?? [];

    public static CommandArguments Parse(IReadOnlyList<string> tokens, IReadOnlySet<string> knownFlags, IReadOnlySet<string> knownOptions)
    {
        var positionals = new List<string>();
        var result = new CommandArguments { Positionals = positionals };
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(token);
                continue;
            }
            if (knownFlags.Contains(token))
            {
                result.flags.Add(token);
            }
            else if (knownOptions.Contains(token))
            {
                if (i + 1 >= tokens.Count) throw new UsageException($"{token} needs a value.");
                if (!result.options.TryGetValue(token, out var values)) result.options[token] = values = [];
                values.Add(tokens[++i]);
            }
            else
            {
                var known = knownFlags.Concat(knownOptions).Order(StringComparer.Ordinal).ToList();
                throw new UsageException($"Unknown option {token}." + (known.Count > 0 ? $" Options: {string.Join(", ", known)}." : " This command takes no options."));
            }
        }
        return result;
    }
}
