using System.Reflection;

namespace Graphport.ExportDB;

/// <summary>
/// The catalog: every case (found from the modules that implement <see cref="IExportDbExample"/>), sorted by
/// name, and a runner that exports one the way its metadata says.
/// </summary>
public static class ExportDb
{
    /// <summary>The seed every run starts from, so example tensors and module weights repeat exactly.</summary>
    public const ulong Seed = 0;

    private static readonly Lazy<IReadOnlyList<ExportDbCase>> AllCases = new(Discover);

    /// <summary>All cases, sorted by name (ordinal).</summary>
    public static IReadOnlyList<ExportDbCase> Cases => AllCases.Value;

    /// <summary>The case called <paramref name="name"/>; throws KeyNotFoundException listing the valid names.</summary>
    public static ExportDbCase Get(string name) =>
        TryGet(name) ?? throw new KeyNotFoundException($"No ExportDB case named '{name}'. Cases: {string.Join(", ", Cases.Select(c => c.Name))}.");

    public static ExportDbCase? TryGet(string name) => Cases.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// Exports the case's module with its example inputs, dynamic shapes and strictness. Whatever export throws
    /// is caught and returned: an unsupported case is an expected outcome here, not a failure of the runner.
    /// </summary>
    public static ExportDbRun Run(ExportDbCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        Torch.ManualSeed(Seed);
        var module = @case.Model();
        var args = @case.ExampleArgs();
        var kwargs = @case.ExampleKwargs?.Invoke();
        var shapes = @case.DynamicShapes?.Invoke();
        try
        {
            var program = Torch.Export(module, args, kwargs, shapes, @case.Strict);
            return new ExportDbRun(@case, module, args, kwargs, program, null);
        }
        catch (Exception e)
        {
            return new ExportDbRun(@case, module, args, kwargs, null, e);
        }
    }

    private static IReadOnlyList<ExportDbCase> Discover()
    {
        var cases = typeof(ExportDb).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsInterface && typeof(IExportDbExample).IsAssignableFrom(t))
            .Select(t => (ExportDbCase)t.GetProperty(nameof(IExportDbExample.Case), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two ExportDB cases are named '{duplicate.Key}'.");
        return cases;
    }
}
