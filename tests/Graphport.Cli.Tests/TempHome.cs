namespace Graphport.Cli.Tests;

/// <summary>A fresh GRAPHPORT_HOME for one test, removed afterwards.</summary>
public sealed class TempHome : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"graphport-cli-{Guid.NewGuid():N}");

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["GRAPHPORT_HOME"] = Path };

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
