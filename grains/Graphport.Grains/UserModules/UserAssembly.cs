namespace Graphport.Grains;

/// <summary>
/// An assembly of the user's that silos load (graphport silo --modules FILE.dll, Graphport:Modules): where it came
/// from, the modules it makes exportable as "module:NAME" and the custom operators it defined.
/// </summary>
public sealed record UserAssembly(string Path, string Name, IReadOnlyList<RegisteredModule> Modules, IReadOnlyList<string> Operators)
{
    /// <summary>"UserModules.dll: modules scaled_relu; operators user_ops::plus_one", for a silo's start-up lines.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Modules.Count > 0) parts.Add($"module{(Modules.Count == 1 ? "" : "s")} {string.Join(", ", Modules.Select(m => m.Name))}");
        if (Operators.Count > 0) parts.Add($"operator{(Operators.Count == 1 ? "" : "s")} {string.Join(", ", Operators)}");
        return $"{System.IO.Path.GetFileName(Path)}: {string.Join("; ", parts)}";
    }
}
