using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Graphport.Grains;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace Graphport.Silo;

/// <summary>
/// Grain state in a local folder, for an embedded silo with no storage server: one JSON envelope per grain
/// state, written to a temporary file, flushed to disk and renamed into place (a crash leaves the old state or
/// the new one, never half of either). Etags refuse stale writers, within this process (a lock per file) and
/// across processes sharing the folder (an exclusive lock file). A damaged file fails the read with its path
/// and is never overwritten.
/// </summary>
public sealed class LocalFolderGrainStorage(string name, LocalFolderGrainStorageOptions options, IGrainStorageSerializer serializer, ILogger logger)
    : IGrainStorage
{
    /// <summary>
    /// This provider's own log category. Orleans logs every failed read or write under the provider's type name before
    /// passing it on; <see cref="LocalFolderGrainStorageExtensions"/> quiets that category, since here each failure reaches
    /// its caller anyway (a refused stale write is retried by the grain, the rest are logged once below, without a stack).
    /// </summary>
    public const string LogCategory = "Graphport.Silo.LocalFolderStorage";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);
    private readonly string root = Path.GetFullPath(options.RootDirectory);

    public string Name => name;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LoggingFailuresAsync(() => ReadAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LoggingFailuresAsync(() => WriteAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        LoggingFailuresAsync(() => ClearAsync(stateName, grainId, grainState));

    private async Task LoggingFailuresAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (GraphportException e)
        {
            logger.LogError("{Message}", e.Message);
            throw;
        }
    }

    private async Task ReadAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        var envelope = await ReadEnvelopeAsync(path, grainId);
        if (envelope is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        try
        {
            grainState.State = serializer.Deserialize<T>(envelope.Data);
        }
        catch (Exception e)
        {
            throw new GraphportException(GraphportErrorKind.StorageFailed,
                $"The state file {path} holds a {envelope.StateType} that cannot be read as {typeof(T).Name}: {e.Message}. It was left untouched.");
        }
        grainState.ETag = envelope.ETag;
        grainState.RecordExists = true;
    }

    private async Task WriteAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        byte[] data = serializer.Serialize(grainState.State).ToArray();
        string etag = Guid.NewGuid().ToString("N");
        await UnderLockAsync(path, async () =>
        {
            await CheckETagAsync(path, grainId, grainState.ETag, "write");
            var envelope = new StateEnvelope(etag, grainId.ToString(), stateName, typeof(T).FullName ?? typeof(T).Name, DateTimeOffset.UtcNow, data);
            await WriteAtomicallyAsync(path, JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
        });
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    private async Task ClearAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        await UnderLockAsync(path, async () =>
        {
            await CheckETagAsync(path, grainId, grainState.ETag, "clear");
            File.Delete(path);
        });
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task CheckETagAsync(string path, GrainId grainId, string? expected, string operation)
    {
        var current = await ReadEnvelopeAsync(path, grainId);
        if (current?.ETag != expected)
            throw new InconsistentStateException(
                $"Cannot {operation} the state of {grainId} in {path}: it was changed by another writer (stored etag {current?.ETag ?? "none"}, this activation's {expected ?? "none"}).",
                current?.ETag ?? "", expected ?? "");
    }

    private static async Task<StateEnvelope?> ReadEnvelopeAsync(string path, GrainId grainId)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        StateEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<StateEnvelope>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The state file {path} is damaged ({e.Message}); it was left untouched. Restore it or remove it to start {grainId} afresh.");
        }
        if (envelope is null || envelope.Data is null || string.IsNullOrEmpty(envelope.ETag))
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The state file {path} is incomplete; it was left untouched. Restore it or remove it to start {grainId} afresh.");
        if (envelope.GrainId != grainId.ToString())
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The state file {path} belongs to {envelope.GrainId}, not {grainId}; it was left untouched.");
        return envelope;
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private async Task UnderLockAsync(string path, Func<Task> action)
    {
        var gate = locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var crossProcess = await AcquireLockFileAsync(path + ".lock");
            await action();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<FileStream> AcquireLockFileAsync(string lockPath)
    {
        var deadline = DateTime.UtcNow + options.LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            catch (IOException e)
            {
                throw new GraphportException(GraphportErrorKind.StorageFailed, $"Another process has held {lockPath} for {options.LockTimeout.TotalSeconds:F0} s; the write was not done. ({e.Message})");
            }
        }
    }

    /// <summary>root/STATE/GRAINTYPE/KEY-HASH.json: readable names, with a hash so distinct keys never share a file.</summary>
    private string PathOf(string stateName, GrainId grainId)
    {
        string key = grainId.Key.ToString() ?? "";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        return Path.Combine(root, Safe(stateName), Safe(grainId.Type.ToString() ?? "grain"), $"{Safe(key)}-{hash}.json");
    }

    private static string Safe(string text)
    {
        var sb = new StringBuilder(Math.Min(text.Length, 80));
        foreach (char c in text.Take(80)) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        if (sb.Length == 0 || sb[0] == '.') sb.Insert(0, '_');
        return sb.ToString();
    }
}
