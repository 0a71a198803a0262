using System.Security.Cryptography;
using System.Text;

namespace Graphport.Kernels.Compilation;

/// <summary>
/// Compiles a module once per (source, architecture, compiler version, options): the key is their SHA-256, so an
/// edited kernel or another GPU never gets a stale CUBIN. The store only saves compiles: when it cannot be read or
/// written (a cluster's blob storage unreachable, a full disk), the kernel is compiled anyway and the failure is
/// said through <paramref name="warn"/>, once per kind of failure, rather than failing the program.
/// </summary>
public sealed class KernelCache(IKernelBlobStore store, Action<string>? warn = null)
{
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);

    public IKernelBlobStore Store { get; } = store;

    /// <summary>Reads and writes of the store that failed (each counted; the compile went on without them).</summary>
    public int StoreFailures { get; private set; }

    public int Hits { get; private set; }

    public int Misses { get; private set; }

    public static string Key(string source, string architecture, string compilerVersion, IEnumerable<string> options)
    {
        var text = $"{compilerVersion}\n{architecture}\n{string.Join(' ', options)}\n{source}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return $"{hash[..32]}-{architecture}.cubin";
    }

    public byte[] GetOrCompile(string source, string architecture, string compilerVersion, IReadOnlyList<string> options, Func<byte[]> compile)
    {
        var key = Key(source, architecture, compilerVersion, options);
        if (Attempt("read", () => Store.TryGet(key, out var found) ? found : null) is { Length: > 0 } cached)
        {
            Hits++;
            return cached;
        }
        Misses++;
        var compiled = compile();
        Attempt("write", () =>
        {
            Store.Put(key, compiled);
            return compiled;
        });
        return compiled;
    }

    private byte[]? Attempt(string what, Func<byte[]?> access)
    {
        try
        {
            return access();
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or ArgumentException))
        {
            // ArgumentException is a malformed key: the cache's own bug, which should fail loudly.
            StoreFailures++;
            bool first;
            lock (warned) first = warned.Add($"{what}:{e.GetType().FullName}");
            if (first) (warn ?? (m => Console.Error.WriteLine(m)))($"kernel cache: could not {what} {Store.GetType().Name} ({e.GetType().Name}: {e.Message}); kernels are compiled without it.");
            return null;
        }
    }
}
