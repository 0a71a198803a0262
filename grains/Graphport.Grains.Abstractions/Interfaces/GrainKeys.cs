using System.Globalization;

namespace Graphport.Grains;

/// <summary>How grain keys are spelled, in one place so clients and grains agree.</summary>
public static class GrainKeys
{
    /// <summary>The one catalog of program names.</summary>
    public const string Catalog = "all";

    /// <summary>The executor of one concrete version: "resnet18@2".</summary>
    public static string Executor(ProgramRef program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.IsLatest) throw new ArgumentException($"An executor serves one version; resolve '{program.Name}' to a version first.", nameof(program));
        return program.ToString();
    }

    /// <summary>The decomposition of one version with one table: "resnet18@1/core".</summary>
    public static string Decomposition(ProgramRef program, string table) => $"{Executor(program)}/{table}";

    /// <summary>Splits a decomposition key back into its program and table.</summary>
    public static (ProgramRef Program, string Table) ParseDecomposition(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) throw new ArgumentException($"'{key}' is not a decomposition key (NAME@VERSION/TABLE).");
        var program = ProgramRef.Parse(key[..slash]);
        if (program.IsLatest) throw new ArgumentException($"'{key}' names no version (NAME@VERSION/TABLE).");
        return (program, key[(slash + 1)..]);
    }

    /// <summary>One model's worker in a zoo batch: "BATCH/MODEL".</summary>
    public static string ZooModel(string batchId, string model) => $"{batchId}/{model}";

    /// <summary>A fresh zoo batch id, sortable by start time.</summary>
    public static string NewZooBatch() =>
        "zoo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
}
