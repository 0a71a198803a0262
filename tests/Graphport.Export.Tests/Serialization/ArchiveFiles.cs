namespace Graphport.Tests.Serialization;

/// <summary>A temporary folder for the archives a test writes, deleted when the test ends.</summary>
public sealed class ArchiveFiles : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "graphport-pt2-" + Guid.NewGuid().ToString("N")[..12]);

    public ArchiveFiles() => Directory.CreateDirectory(folder);

    public string PathFor(string name) => Path.Combine(folder, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the OS cleans temp eventually.
        }
    }
}
