using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;

namespace Graphport.Analysis;

/// <summary>
/// The on-disk view of a loaded assembly: its PE image (for method bodies) and its portable PDB, next to it or
/// embedded (for sequence points). Opened once per assembly and kept for the process, because every break found
/// asks for a location and every inspected method for a body.
/// </summary>
internal sealed class AssemblyImage
{
    // Weak keys: a collectible assembly (a model loaded into its own AssemblyLoadContext) must still be able to unload.
    private static readonly ConditionalWeakTable<Assembly, Lazy<AssemblyImage>> Cache = new();

    private readonly ConcurrentDictionary<int, ImmutableArray<SequencePointInfo>> _sequencePoints = new();

    /// <summary>The PE image, or null when the assembly has no file or the file is not the one loaded.</summary>
    public PEReader? PE { get; }

    /// <summary>Metadata of <see cref="PE"/>; null exactly when PE is.</summary>
    public MetadataReader? Metadata { get; }

    /// <summary>The portable PDB, or null when there is none (Windows PDBs and missing symbols end up here too).</summary>
    public MetadataReader? Pdb { get; }

    // The provider owns the memory the PDB reader points into; holding it keeps that memory from being freed.
    private readonly MetadataReaderProvider? _pdbProvider;

    private AssemblyImage(PEReader? pe, MetadataReader? metadata, MetadataReaderProvider? pdbProvider)
    {
        PE = pe;
        Metadata = metadata;
        _pdbProvider = pdbProvider;
        Pdb = pdbProvider?.GetMetadataReader();
    }

    public static AssemblyImage For(Assembly assembly) =>
        Cache.GetValue(assembly, a => new Lazy<AssemblyImage>(() => Load(a), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static AssemblyImage Load(Assembly assembly)
    {
        string path;
        try
        {
            path = assembly.IsDynamic ? string.Empty : assembly.Location;
        }
        catch (NotSupportedException)
        {
            path = string.Empty;
        }
        if (path.Length == 0 || !File.Exists(path))
            return new AssemblyImage(null, null, null);

        try
        {
            // The whole image is copied into memory so no file handle stays open: builds must be able to overwrite the DLL.
            var pe = new PEReader(File.ReadAllBytes(path).ToImmutableArray());
            if (!pe.HasMetadata)
                return new AssemblyImage(null, null, null);
            var metadata = pe.GetMetadataReader();
            // A file replaced after loading would give IL and lines for different code than what runs; the MVID tells.
            var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            if (mvid != assembly.ManifestModule.ModuleVersionId)
                return new AssemblyImage(null, null, null);
            return new AssemblyImage(pe, metadata, OpenPdb(pe, path));
        }
        catch (BadImageFormatException)
        {
            return new AssemblyImage(null, null, null);
        }
        catch (IOException)
        {
            return new AssemblyImage(null, null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return new AssemblyImage(null, null, null);
        }
    }

    private static MetadataReaderProvider? OpenPdb(PEReader pe, string path)
    {
        try
        {
            // TryOpenAssociatedPortablePdb checks the PDB id in the debug directory, and falls back to an embedded PDB.
            var found = pe.TryOpenAssociatedPortablePdb(
                path,
                pdbPath => File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath), writable: false) : null,
                out var provider,
                out _);
            return found ? provider : null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The method's sequence points in IL order (hidden ones included), empty without a PDB.</summary>
    public ImmutableArray<SequencePointInfo> SequencePoints(int methodToken) =>
        Pdb is null ? [] : _sequencePoints.GetOrAdd(methodToken, ReadSequencePoints);

    private ImmutableArray<SequencePointInfo> ReadSequencePoints(int methodToken)
    {
        var pdb = Pdb!;
        var handle = MetadataTokens.MethodDefinitionHandle(MetadataTokens.GetRowNumber(MetadataTokens.EntityHandle(methodToken)));
        var builder = ImmutableArray.CreateBuilder<SequencePointInfo>();
        try
        {
            var info = pdb.GetMethodDebugInformation(handle);
            foreach (var point in info.GetSequencePoints())
            {
                if (point.IsHidden)
                {
                    builder.Add(new SequencePointInfo(point.Offset, string.Empty, 0, 0, 0, 0, Hidden: true));
                    continue;
                }
                var file = pdb.GetString(pdb.GetDocument(point.Document).Name);
                builder.Add(new SequencePointInfo(point.Offset, file, point.StartLine, point.StartColumn, point.EndLine, point.EndColumn, Hidden: false));
            }
        }
        catch (BadImageFormatException)
        {
            return [];
        }
        return builder.ToImmutable();
    }
}
