namespace Graphport.Tests.Interop;

/// <summary>
/// The common frame of the tests that have the installed torch write archives: run a script from
/// tests/fixtures/pt2 into a scratch folder, require at least some archives, check each one, and report every archive
/// that fails (not only the first) with its error.
/// </summary>
internal static class TorchMadeArchives
{
    /// <param name="script">The script's file name in tests/fixtures/pt2.</param>
    /// <param name="arguments">Its arguments; "{dir}" stands for the scratch folder.</param>
    /// <param name="atLeast">How many archives the script must have written.</param>
    /// <param name="check">What must hold for one archive; throws when it does not.</param>
    public static void WriteAndCheck(string script, string[] arguments, int atLeast, Action<string> check)
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-archives-").FullName;
        try
        {
            string path = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", script);
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(4), [path, .. arguments.Select(a => a.Replace("{dir}", folder, StringComparison.Ordinal))]);
            Assert.True(exit == 0, $"{script} failed ({exit}):\n{output}");

            var archives = Directory.GetFiles(folder, "*.pt2").Order(StringComparer.Ordinal).ToList();
            Assert.True(archives.Count >= atLeast, $"torch wrote only {archives.Count} archives (expected {atLeast} or more):\n{output}");
            var failures = new List<string>();
            foreach (var archive in archives)
            {
                try
                {
                    check(archive);
                }
                catch (Exception e)
                {
                    failures.Add($"{Path.GetFileName(archive)}: {e.GetType().Name}: {e.Message}");
                }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {archives.Count} archives {script} wrote fail here:\n" + string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
