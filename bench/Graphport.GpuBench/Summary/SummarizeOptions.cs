namespace Graphport.GpuBench.Summary;

/// <summary>What `summarize` reads and where it writes the markdown.</summary>
public sealed record SummarizeOptions(string ResultsDir, string OutPath)
{
    public static SummarizeOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("summarize needs the results folder first.");
        string? outPath = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) outPath = args[++i];
            else throw new ArgumentException($"summarize: unknown option {args[i]}.");
        }
        if (!Directory.Exists(args[0])) throw new ArgumentException($"summarize: no folder {args[0]}.");
        return new SummarizeOptions(args[0], outPath ?? DefaultOut());
    }

    /// <summary>bench/RESULTS-gpu.md of the repository that holds the current folder (the folder with Cluster.sln).</summary>
    private static string DefaultOut()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return Path.Combine(dir.FullName, "bench", "RESULTS-gpu.md");
        return Path.Combine(Directory.GetCurrentDirectory(), "RESULTS-gpu.md");
    }
}
