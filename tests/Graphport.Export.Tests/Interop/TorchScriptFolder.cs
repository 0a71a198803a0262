namespace Graphport.Tests.Interop;

/// <summary>
/// A Python script written inline in a test, run with the installed torch on a fresh folder (its first argument) where
/// it saves archives and the values to expect, which the test then reads; the folder is deleted afterwards.
/// </summary>
internal static class TorchScriptFolder
{
    public static void Run(string script, Action<string> check)
    {
        string python = TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-torch-script-").FullName;
        try
        {
            string path = Path.Combine(folder, "make.py");
            File.WriteAllText(path, script);
            var (exit, printed) = TorchPython.Run(python, TimeSpan.FromMinutes(2), path, folder);
            Assert.True(exit == 0, $"the script's archives could not be made ({exit}):\n{printed}");
            check(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Lines of space-separated numbers (Python's repr of floats), one tensor's flat values per line.</summary>
    public static float[][] Values(string path) => File.ReadAllLines(path)
        .Select(l => l.Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
}
