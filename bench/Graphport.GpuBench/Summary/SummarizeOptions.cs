namespace Graphport.GpuBench.Summary;

/// <summary>
/// What `summarize` reads and where it writes the markdown: the latest run's results first, then earlier runs of
/// the same kit whose files fill in what the latest did not measure (a device lease is short, so the PyTorch
/// peers of every model rarely fit into one call).
/// </summary>
public sealed record SummarizeOptions(IReadOnlyList<string> ResultsDirs, string OutPath)
{
    public string ResultsDir => ResultsDirs[0];

    public static SummarizeOptions Parse(string[] args)
    {
        string? outPath = null;
        var folders = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) outPath = args[++i];
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"summarize: unknown option {args[i]}.");
            else folders.Add(args[i]);
        }
        if (folders.Count == 0) throw new ArgumentException("summarize needs the results folder first.");
        foreach (var folder in folders)
            if (!Directory.Exists(folder)) throw new ArgumentException($"summarize: no folder {folder}.");
        return new SummarizeOptions(folders, outPath ?? DefaultOut());
    }

    /// <summary>bench/RESULTS-gpu.md of the repository that holds the current folder (the folder with Cluster.sln).</summary>
    private static string DefaultOut()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return Path.Combine(dir.FullName, "bench", "RESULTS-gpu.md");
        return Path.Combine(Directory.GetCurrentDirectory(), "RESULTS-gpu.md");
    }
}
