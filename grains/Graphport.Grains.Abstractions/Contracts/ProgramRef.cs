using System.Globalization;
using System.Text.RegularExpressions;

namespace Graphport.Grains;

/// <summary>
/// One stored version of a named program ("resnet18@2"). Versions count from 1; a program's name is also the
/// key of its ProgramGrain, and "name@version" the key of its executor.
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramRef")]
public sealed partial record ProgramRef([property: Id(0)] string Name, [property: Id(1)] int Version)
{
    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit: safe as a grain key, a file name and a blob path.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>What a program name may contain, for errors about <paramref name="name"/>.</summary>
    public static string InvalidNameMessage(string? name) =>
        $"Invalid program name '{name}': use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    /// <summary>Throws a message that says what a program name may contain.</summary>
    public static string CheckName(string? name)
    {
        if (!IsValidName(name))
            throw new ArgumentException(InvalidNameMessage(name), nameof(name));
        return name!;
    }

    /// <summary>Parses "name@3"; "name" alone has version 0, which callers resolve to the latest version.</summary>
    public static ProgramRef Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.LastIndexOf('@');
        if (at < 0) return new ProgramRef(CheckName(text), 0);
        string name = text[..at];
        if (!int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw new ArgumentException($"Invalid program reference '{text}': write NAME or NAME@VERSION with VERSION a positive integer, e.g. resnet18@2.", nameof(text));
        return new ProgramRef(CheckName(name), version);
    }

    /// <summary>True when this names no particular version (the latest is meant).</summary>
    public bool IsLatest => Version == 0;

    public override string ToString() => Version == 0 ? Name : $"{Name}@{Version.ToString(CultureInfo.InvariantCulture)}";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
