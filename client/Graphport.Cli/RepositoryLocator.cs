namespace Graphport.Cli;

/// <summary>Finds the checkout to write generated files into: the nearest folder holding Cluster.sln.</summary>
public static class RepositoryLocator
{
    /// <summary>Searches upward from the working directory, then from the executable's folder.</summary>
    public static string? Find(string workingDirectory)
    {
        foreach (var start in new[] { workingDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        return null;
    }
}
