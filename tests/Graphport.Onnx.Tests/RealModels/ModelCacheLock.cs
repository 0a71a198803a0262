namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// One writer at a time in the model cache, across test classes running in parallel and across test processes:
/// an exclusively opened lock file (FileShare.None is an flock on Unix, so it also holds between processes).
/// Writers still move finished files into place, so a reader that skips the lock never sees half a file.
/// </summary>
internal static class ModelCacheLock
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static IDisposable Take(string cacheFolder)
    {
        Directory.CreateDirectory(cacheFolder);
        string path = Path.Combine(cacheFolder, ".lock");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
            catch (IOException e)
            {
                throw new TimeoutException(
                    $"Waited {Patience.TotalMinutes:F0} minutes for {path}, held by another fetch of the test models; " +
                    "if no test run is fetching, delete the lock file.", e);
            }
        }
    }
}
