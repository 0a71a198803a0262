namespace Graphport.Kernels.Planning;

/// <summary>Gives each step a unique C identifier k{index}_{ops}, in execution order (what a profiler shows).</summary>
internal static class KernelNames
{
    public static IReadOnlyList<KernelStep> Assign(IReadOnlyList<KernelStep> steps) =>
        steps.Select((s, i) => s with { Name = $"k{i}_{Sanitize(s.Name)}" }).ToList();

    private static string Sanitize(string hint)
    {
        var chars = hint.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var name = new string(chars).Trim('_');
        while (name.Contains("__", StringComparison.Ordinal)) name = name.Replace("__", "_", StringComparison.Ordinal);
        if (name.Length > 48) name = name[..48].TrimEnd('_');
        return name.Length == 0 ? "kernel" : name;
    }
}
