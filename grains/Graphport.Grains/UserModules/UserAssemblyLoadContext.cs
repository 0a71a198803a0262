using System.Reflection;
using System.Runtime.Loader;

namespace Graphport.Grains;

/// <summary>
/// Where a user's module assembly and its own dependencies load: from the assembly's folder (its .deps.json when it
/// has one, else the files beside it). Graphport's assemblies and everything else the host carries come from the
/// host, so the user's Module and Tensor are the silo's own types; a second copy would be a stranger to the exporter.
/// </summary>
internal sealed class UserAssemblyLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext($"graphport-modules:{System.IO.Path.GetFileName(mainAssemblyPath)}", isCollectible: false)
{
    private readonly AssemblyDependencyResolver resolver = new(mainAssemblyPath);
    private readonly string folder = System.IO.Path.GetDirectoryName(mainAssemblyPath)!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not { } name || IsHostAssembly(name)) return null;
        string? path = resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            // A plain folder of DLLs (copied by hand, no .deps.json) still resolves by file name.
            string beside = System.IO.Path.Combine(folder, name + ".dll");
            path = File.Exists(beside) ? beside : null;
        }
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    /// <summary>Whether the host loads this assembly itself: one of its trusted platform assemblies, or one it has loaded already.</summary>
    internal static bool IsHostAssembly(string simpleName) =>
        TrustedPlatformAssemblies.Value.Contains(simpleName)
        || Default.Assemblies.Any(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));

    private static readonly Lazy<HashSet<string>> TrustedPlatformAssemblies = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(System.IO.Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase));
}
