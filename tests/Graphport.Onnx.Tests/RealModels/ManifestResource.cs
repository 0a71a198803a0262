using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// Reads an embedded resource straight from an assembly file's metadata, without loading the assembly: a
/// netstandard package assembly need not load here, and none of its code should run just to hand over bytes.
/// </summary>
internal static class ManifestResource
{
    /// <summary>Writes resource <paramref name="name"/> of <paramref name="assemblyPath"/> to <paramref name="target"/>.</summary>
    public static void ExtractTo(string assemblyPath, string name, string target)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            string resourceName = metadata.GetString(resource.Name);
            names.Add(resourceName);
            if (resourceName != name) continue;
            if (!resource.Implementation.IsNil)
                throw new InvalidDataException($"Resource '{name}' of {assemblyPath} lives in another file, not embedded in the assembly.");
            // ECMA-335 II.24.2.4: embedded resources sit in the CLI header's resources block, each a 4-byte length then the bytes.
            var block = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
            var reader = block.GetReader(checked((int)resource.Offset), block.Length - checked((int)resource.Offset));
            int length = reader.ReadInt32();
            byte[] bytes = reader.ReadBytes(length);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string partial = $"{target}.{Guid.NewGuid():N}.partial";
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, target, overwrite: true);
            return;
        }
        throw new InvalidDataException($"{assemblyPath} has no embedded resource '{name}'; it has: {string.Join(", ", names)}.");
    }
}
