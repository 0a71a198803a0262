using System.Text.Json.Nodes;

namespace Graphport.Serialization;

/// <summary>
/// Weights and constants in the archive's raw form: one record per storage holding all of its bytes
/// (weight_0, weight_1, ... or tensor_0, ...), and a PayloadConfig JSON mapping each name to its record and to
/// the sizes, strides and offset of its view. Tensors that share a storage share a record, so aliasing survives.
/// </summary>
internal static class TensorPayloads
{
    private const int Chunk = 1 << 20;

    public static void Write(AlignedZipWriter zip, string directory, string filePrefix, string configPath, IEnumerable<PayloadEntry> entries)
    {
        var files = new Dictionary<Storage, string>(ReferenceEqualityComparer.Instance);
        var config = new JsonObject();
        foreach (var entry in entries)
        {
            if (entry.Tensor.IsFake) throw new ExportException($"Cannot save {entry.Name}: it is a traced tensor without data.");
            var storage = entry.Tensor.Storage;
            if (!files.TryGetValue(storage, out var file))
            {
                file = filePrefix + files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                files[storage] = file;
                WriteStorage(zip, directory + file, storage);
            }
            config[entry.Name] = new JsonObject
            {
                ["path_name"] = file,
                ["is_param"] = entry.IsParameter,
                ["use_pickle"] = false,
                ["tensor_meta"] = TensorMetaJson.WriteConcrete(entry.Tensor, entry.RequiresGrad),
            };
        }
        zip.WriteText(configPath, JsonText.Of(new JsonObject { ["config"] = config }));
    }

    private static void WriteStorage(AlignedZipWriter zip, string name, Storage storage)
    {
        long length = StorageBytes.Length(storage);
        zip.Begin(name, length);
        for (long offset = 0; offset < length; offset += Chunk)
            zip.Append(StorageBytes.Window(storage, offset, (int)Math.Min(Chunk, length - offset)));
        zip.End();
    }

    /// <summary>Reads a PayloadConfig and the records it names; a missing config means no tensors of this kind.</summary>
    public static List<PayloadEntry> Read(ArchiveReader archive, string directory, string configPath)
    {
        var entries = new List<PayloadEntry>();
        if (!archive.Has(configPath)) return entries;
        var root = JsonCursor.Parse(archive.ReadBytes(configPath), $"{archive.DisplayName}:{configPath}");
        var storages = new Dictionary<string, Storage>(StringComparer.Ordinal);
        foreach (var (name, meta) in root.Field("config").Properties())
        {
            string file = meta.Field("path_name").String();
            if (meta.Optional("use_pickle")?.Bool() == true)
                throw meta.Error($"{name} is stored as a Python pickle ({file}), which only PyTorch can read; Graphport reads raw tensor records.");
            bool isParameter = meta.Optional("is_param")?.Bool() ?? false;
            var tensorMeta = meta.Optional("tensor_meta") ?? throw meta.Error($"{name} has no tensor_meta, so its sizes are unknown.");
            var (dtype, sizes, strides, offset, requiresGrad) = TensorMetaJson.ReadConcrete(tensorMeta);
            if (file.Contains('/') || file.Contains('\\') || file is "." or "..")
                throw meta.Field("path_name").Error($"\"{file}\" is not a record name in {directory}.");
            string record = directory + file;
            long needed = ElementsNeeded(sizes, strides, offset);
            if (!storages.TryGetValue(file, out var storage))
            {
                storage = ReadStorage(archive, record, dtype, needed, name);
                storages[file] = storage;
            }
            else if (storage.DType != dtype)
            {
                throw meta.Error($"{name} reads {record} as {dtype.TorchName()}, but another entry reads it as {storage.DType.TorchName()}.");
            }
            if (needed > storage.Length)
                throw new InvalidDataException(
                    $"{archive.DisplayName}: record {record} holds {storage.Length} {dtype.TorchName()} elements, but {name} (sizes [{string.Join(", ", sizes)}], strides [{string.Join(", ", strides)}], offset {offset}) needs {needed}.");
            entries.Add(new PayloadEntry(name, new Tensor(storage, sizes, strides, offset), isParameter, requiresGrad));
        }
        return entries;
    }

    /// <summary>How many elements a strided view reaches into its storage (0 for an empty view).</summary>
    private static long ElementsNeeded(long[] sizes, long[] strides, long offset)
    {
        if (sizes.Any(s => s == 0)) return 0;
        long last = offset;
        try
        {
            for (int i = 0; i < sizes.Length; i++) last = checked(last + (sizes[i] - 1) * strides[i]);
            return checked(last + 1);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    private static Storage ReadStorage(ArchiveReader archive, string record, DType dtype, long needed, string name)
    {
        long length = archive.LengthOf(record);
        int elementSize = dtype.ElementSize();
        if (length % elementSize != 0)
            throw new InvalidDataException($"{archive.DisplayName}: record {record} ({name}) has {length} bytes, which is not a multiple of the {elementSize}-byte size of {dtype.TorchName()}.");
        long elements = length / elementSize;
        // torch writes an empty record for a tensor it had no data for and rebuilds it as zeros.
        if (length == 0 && needed > 0) elements = needed;
        if (elements > Array.MaxLength)
            throw new InvalidDataException($"{archive.DisplayName}: record {record} ({name}) holds {elements} elements, more than one Graphport storage can hold ({Array.MaxLength}).");
        var storage = Storage.Allocate(dtype, elements);
        if (length > 0) archive.Read(record, (offset, count) => StorageBytes.Window(storage, offset, count));
        StorageBytes.NormalizeBools(storage);
        return storage;
    }
}
