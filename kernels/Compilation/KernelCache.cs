using System.Security.Cryptography;
using System.Text;

namespace Graphport.Kernels.Compilation;

/// <summary>
/// Compiles a module once per (source, architecture, compiler version, options): the key is their SHA-256, so an
/// edited kernel or another GPU never gets a stale CUBIN.
/// </summary>
public sealed class KernelCache(IKernelBlobStore store)
{
    public IKernelBlobStore Store { get; } = store;

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
        if (Store.TryGet(key, out var cached) && cached.Length > 0)
        {
            Hits++;
            return cached;
        }
        Misses++;
        var compiled = compile();
        Store.Put(key, compiled);
        return compiled;
    }
}
