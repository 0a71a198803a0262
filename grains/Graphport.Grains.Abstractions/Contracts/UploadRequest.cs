using System.Buffers;
using System.Globalization;
using System.Text;

namespace Graphport.Grains;

/// <summary>
/// A program a client made, to store as a new version of <see cref="ProgramName"/>: its .pt2 archive
/// (ExportedProgram.Save) and, optionally, where it came from (<see cref="Origin"/>, e.g. "onnx:resnet18.onnx"),
/// which the version then shows as its origin instead of "uploaded".
/// </summary>
[GenerateSerializer, Immutable, Alias("Graphport.UploadRequest")]
public sealed record UploadRequest(
    [property: Id(0)] string ProgramName,
    [property: Id(1)] byte[] Archive,
    [property: Id(2)] string? Origin = null)
{
    public const int MaxOriginLength = 200;

    private static readonly string OriginRule =
        $"Give 1-{MaxOriginLength} printable characters saying where the program came from (e.g. \"onnx:resnet18.onnx\"), or no origin.";

    /// <summary>Why <paramref name="origin"/> cannot be an upload's origin, or null when it can; null itself means no origin and is fine.</summary>
    public static string? OriginProblem(string? origin)
    {
        if (origin is null) return null;
        if (string.IsNullOrWhiteSpace(origin)) return $"The upload origin is blank. {OriginRule}";
        if (origin.Length > MaxOriginLength) return $"The upload origin is {origin.Length} characters long. {OriginRule}";
        for (int index = 0; index < origin.Length;)
        {
            var status = Rune.DecodeFromUtf16(origin.AsSpan(index), out var rune, out int consumed);
            if (status != OperationStatus.Done)
                return $"The upload origin has a lone UTF-16 surrogate (U+{(int)origin[index]:X4}) at index {index}. {OriginRule}";
            if (!IsPrintable(rune))
                return $"The upload origin has the unprintable character U+{rune.Value:X4} at index {index}. {OriginRule}";
            index += consumed;
        }
        return null;
    }

    /// <summary>Throws an ArgumentException that says what an origin may contain, for callers that check before sending.</summary>
    public static string? CheckOrigin(string? origin) =>
        OriginProblem(origin) is { } problem ? throw new ArgumentException(problem, nameof(origin)) : origin;

    /// <summary>
    /// Any text (a file name, a producer read from a model) as a valid origin: unprintable characters become '?',
    /// runs of white space one space, and it is cut to <see cref="MaxOriginLength"/>; null when nothing printable is left.
    /// </summary>
    public static string? OriginFrom(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var result = new StringBuilder(Math.Min(text.Length, MaxOriginLength));
        foreach (var rune in text.Trim().EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (result.Length > 0 && result[^1] != ' ') result.Append(' ');
                continue;
            }
            if (rune == Rune.ReplacementChar || !IsPrintable(rune)) result.Append('?');
            else result.Append(rune.ToString());
        }
        int length = Math.Min(result.Length, MaxOriginLength);
        // Never cut a surrogate pair in two.
        if (length < result.Length && char.IsLowSurrogate(result[length])) length--;
        return result.ToString(0, length).TrimEnd();
    }

    // Control characters, bidirectional and other invisible format characters, and line breaks: they would
    // rewrite or hide what a terminal shows in programs list/show.
    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
