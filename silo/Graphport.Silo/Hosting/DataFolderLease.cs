using System.Text.Json;

namespace Graphport.Silo;

/// <summary>
/// A silo's hold on its local data folder. A localhost silo is a cluster of one, and Orleans keeps grain state right only
/// within a cluster: a standing silo (`graphport silo`) keeps its activations, and what they read, for as long as it runs,
/// so another silo on its folder would serve and overwrite state behind its back. It therefore holds DATA/silo.lock
/// exclusively and describes itself in DATA/silo.json. An embedded silo lives for one command; it holds the lock shared, so
/// several commands can run at once (their grains re-read state a stale etag refuses), but none beside a standing silo.
/// The operating system drops the lock when the process ends, however it ends.
/// </summary>
public sealed class DataFolderLease : IDisposable
{
    public const string LockFileName = "silo.lock";
    public const string OwnerFileName = "silo.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly FileStream lockFile;
    private readonly string? ownerFile;

    private DataFolderLease(FileStream lockFile, string? ownerFile)
    {
        this.lockFile = lockFile;
        this.ownerFile = ownerFile;
    }

    /// <summary>The lease <paramref name="options"/> call for: none unless the silo is a localhost silo on a local folder.</summary>
    public static DataFolderLease? For(GraphportSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Storage != StorageMode.LocalFolder || options.Clustering != ClusteringMode.Localhost) return null;
        return options.DataFolderUse == DataFolderUse.Shared
            ? AcquireShared(options.DataDirectory)
            : AcquireExclusive(options.DataDirectory, new DataFolderOwner(
                options.SiloName ?? $"silo-{Environment.ProcessId}", Environment.ProcessId, options.ClusterId, $"127.0.0.1:{options.GatewayPort}", DateTimeOffset.UtcNow));
    }

    /// <summary>Takes the folder for a standing silo, or throws <see cref="DataFolderInUseException"/> naming who has it.</summary>
    public static DataFolderLease AcquireExclusive(string dataDirectory, DataFolderOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        string folder = Prepare(dataDirectory);
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive flock on Unix and a sharing lock on Windows.
            lockFile = new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            if (IsHeldExclusively(folder))
            {
                var standing = ReadOwner(folder);
                throw new DataFolderInUseException(
                    $"The data folder {folder} is already served by {standing?.ToString() ?? "another silo"}. Stop that silo, or give this one another data folder.", folder, standing);
            }
            throw new DataFolderInUseException(
                $"The data folder {folder} is in use by a graphport command running its own embedded silo (a command without --cluster). "
                + "Wait for it to finish, or give this silo another data folder.", folder, null);
        }
        string ownerFile = Path.Combine(folder, OwnerFileName);
        try
        {
            File.WriteAllText(ownerFile, JsonSerializer.Serialize(owner, Json));
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
        return new DataFolderLease(lockFile, ownerFile);
    }

    /// <summary>Joins the other embedded silos on the folder, or throws <see cref="DataFolderInUseException"/> naming the standing silo that has it.</summary>
    public static DataFolderLease AcquireShared(string dataDirectory)
    {
        string folder = Prepare(dataDirectory);
        try
        {
            // Read access with sharing is a shared flock on Unix: it waits for no one and keeps standing silos out.
            return new DataFolderLease(new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite), null);
        }
        catch (IOException)
        {
            var standing = ReadOwner(folder);
            string who = standing?.ToString() ?? "a silo that has not said yet which it is";
            throw new DataFolderInUseException(
                $"The data folder {folder} is served by {who}; a second silo on it would serve and overwrite state behind that one's back. "
                + (standing is null ? "Connect to that silo instead, or stop it first." : $"Connect to that silo through its gateway {standing.Gateway} instead, or stop it first."),
                folder, standing);
        }
    }

    public void Dispose()
    {
        if (ownerFile is not null)
        {
            try
            {
                File.Delete(ownerFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A description left behind is harmless: it is read only while its silo's lock is held.
            }
        }
        lockFile.Dispose();
    }

    private static string Prepare(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        string folder = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>True when a standing silo holds the lock (a shared open fails), false when only embedded silos do.</summary>
    private static bool IsHeldExclusively(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static DataFolderOwner? ReadOwner(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<DataFolderOwner>(File.ReadAllText(Path.Combine(folder, OwnerFileName)), Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
