using System.Security.Cryptography;

namespace Graphport.Grains;

/// <summary>Blob ids: "sha256:" and 64 lowercase hex digits. Parsing refuses anything else, so an id is always a safe path.</summary>
public static class ContentId
{
    public const string Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> content) => Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The hex digest of a well-formed id; throws ArgumentException naming the bad id otherwise.</summary>
    public static string Digest(string id)
    {
        if (id is null || id.Length != Prefix.Length + 64 || !id.StartsWith(Prefix, StringComparison.Ordinal)
            || !id.AsSpan(Prefix.Length).ContainsOnlyHexLowercase())
            throw new ArgumentException($"'{id}' is not a blob id (expected {Prefix} followed by 64 lowercase hex digits).", nameof(id));
        return id[Prefix.Length..];
    }

    private static bool ContainsOnlyHexLowercase(this ReadOnlySpan<char> s)
    {
        foreach (char c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }
}
