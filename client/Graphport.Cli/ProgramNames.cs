using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>The program name a command gives a file it stores when --name is not given.</summary>
public static class ProgramNames
{
    /// <summary>
    /// The file name without its extension, made a valid program name ("My Model (v2).onnx" → "My-Model-v2"), or
    /// <paramref name="fallback"/> when nothing valid is left of it.
    /// </summary>
    public static string FromFile(string file, string fallback)
    {
        var name = new System.Text.StringBuilder();
        foreach (char c in Path.GetFileNameWithoutExtension(file))
        {
            bool allowed = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
            if (allowed) name.Append(c);
            else if (name.Length > 0 && name[^1] != '-') name.Append('-');
        }
        string result = name.ToString().TrimStart('.', '_', '-').TrimEnd('-');
        if (result.Length > 100) result = result[..100];
        return ProgramRef.IsValidName(result) ? result : fallback;
    }
}
