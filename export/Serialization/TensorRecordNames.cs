namespace Graphport.Serialization;

/// <summary>
/// Which records of an archive hold tensor bytes, read from its weights and constants PayloadConfigs (not guessed
/// from file names, since torch-written archives name records their own way), with the tensors each one holds.
/// </summary>
internal static class TensorRecordNames
{
    public static Dictionary<string, List<string>> Of(ArchiveReader archive)
    {
        var records = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Add(archive, ArchiveLayout.WeightsDir, ArchiveLayout.WeightsConfigPath(ArchiveLayout.ModelName), records);
        Add(archive, ArchiveLayout.ConstantsDir, ArchiveLayout.ConstantsConfigPath(ArchiveLayout.ModelName), records);
        return records;
    }

    private static void Add(ArchiveReader archive, string directory, string configPath, Dictionary<string, List<string>> records)
    {
        if (!archive.Has(configPath)) return;
        var root = JsonCursor.Parse(archive.ReadBytes(configPath), $"{archive.DisplayName}:{configPath}");
        foreach (var (tensor, meta) in root.Field("config").Properties())
        {
            string record = directory + meta.Field("path_name").String();
            // A config naming a record the archive lacks is the reader's error to report, with its own words.
            if (!archive.Has(record)) continue;
            if (!records.TryGetValue(record, out var tensors)) records[record] = tensors = [];
            tensors.Add(tensor);
        }
    }
}
