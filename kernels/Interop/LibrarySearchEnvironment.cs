namespace Graphport.Kernels.Interop;

/// <summary>
/// What the library search looks at: environment variables, which files exist, and folder listings. The real
/// machine is <see cref="Current"/>; tests pass a fake one to check candidate order without any CUDA installed.
/// </summary>
public sealed class LibrarySearchEnvironment
{
    public LibrarySearchEnvironment(Func<string, string?> variable, Func<string, bool> fileExists, Func<string, IEnumerable<string>> subdirectories, string? homeDirectory)
    {
        Variable = variable;
        FileExists = fileExists;
        Subdirectories = subdirectories;
        HomeDirectory = homeDirectory;
    }

    public Func<string, string?> Variable { get; }

    public Func<string, bool> FileExists { get; }

    /// <summary>Full paths of the folders directly inside a folder (empty when it does not exist).</summary>
    public Func<string, IEnumerable<string>> Subdirectories { get; }

    public string? HomeDirectory { get; }

    public static LibrarySearchEnvironment Current { get; } = new(
        Environment.GetEnvironmentVariable,
        File.Exists,
        dir => Directory.Exists(dir) ? Directory.EnumerateDirectories(dir) : [],
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : null);
}
