using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Graphport.Graphs;

namespace Graphport.Serialization;

/// <summary>
/// A node's provenance in the string forms of the schema's Node.metadata: "stack_trace" as a Python traceback
/// frame and "nn_module_stack" as "key,path,type" entries joined by ";". Graphport keeps the exact values in
/// extra/graphport.json; these forms are for torch, and for reading archives torch wrote.
/// </summary>
internal static partial class NodeMetadataFormat
{
    public const string StackTraceKey = "stack_trace";
    public const string ModuleStackKey = "nn_module_stack";

    public static string StackTrace(SourceFrame frame)
    {
        var sb = new StringBuilder();
        sb.Append("  File \"").Append(frame.File).Append("\", line ").Append(frame.Line.ToString(CultureInfo.InvariantCulture))
            .Append(", in ").Append(frame.Method).Append('\n');
        if (frame.Code is not null) sb.Append("    ").Append(frame.Code).Append('\n');
        return sb.ToString();
    }

    /// <summary>The innermost frame of a traceback (the user's line), or null when the text has none.</summary>
    public static SourceFrame? ParseStackTrace(string text)
    {
        SourceFrame? last = null;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = FrameLine().Match(lines[i]);
            if (!m.Success) continue;
            string? code = i + 1 < lines.Length && !FrameLine().IsMatch(lines[i + 1]) && lines[i + 1].Trim().Length > 0 ? lines[i + 1].Trim() : null;
            last = new SourceFrame(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value, code);
        }
        return last;
    }

    public static string ModuleStack(IReadOnlyList<ModuleFrame> stack) =>
        string.Join(";", stack.Select(f => $"{Key(f.Path)},{f.Path},{f.TypeName}"));

    // torch keys entries by the attribute path as Dynamo names it; any unique string does.
    private static string Key(string path) => path.Length == 0 ? "L__self__" : "L__self___" + path.Replace('.', '_');

    /// <summary>Reads "key,path,type;..." (commas inside brackets belong to the type, as torch's reader has it).</summary>
    public static IReadOnlyList<ModuleFrame> ParseModuleStack(string text)
    {
        var frames = new List<ModuleFrame>();
        foreach (var item in text.Split(';'))
        {
            if (item.Length == 0) continue;
            var parts = SplitOutsideBrackets(item);
            if (parts.Count != 3) continue;
            string path = parts[1];
            // Dynamo writes paths like "L['self'].layer1"; keep the attribute path.
            if (path.StartsWith("L['self']", StringComparison.Ordinal)) path = path["L['self']".Length..].TrimStart('.');
            frames.Add(new ModuleFrame(path, parts[2]));
        }
        return frames;
    }

    private static List<string> SplitOutsideBrackets(string s)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '[' or '(') depth++;
            else if (c is ']' or ')') depth--;
            else if (c == ',' && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    [GeneratedRegex("^\\s*File \"(.*)\", line (\\d+), in (.*)$")]
    private static partial Regex FrameLine();
}
