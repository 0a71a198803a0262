namespace Graphport.Serialization;

/// <summary>
/// Where things live in a .pt2 archive and the versions written, as torch.export.save lays it out (paths are
/// relative to the archive's root folder, which is named after the file).
/// </summary>
internal static class ArchiveLayout
{
    /// <summary>torch.export.save stores its one program under this model name.</summary>
    public const string ModelName = "model";

    public const string ArchiveFormatPath = "archive_format";
    public const string ArchiveFormatValue = "pt2";
    public const string ArchiveVersionPath = "archive_version";
    public const string ArchiveVersionValue = "0";

    public const string ModelsDir = "models/";
    public const string WeightsDir = "data/weights/";
    public const string WeightFilePrefix = "weight_";
    public const string ConstantsDir = "data/constants/";
    public const string TensorConstantFilePrefix = "tensor_";
    public const string SampleInputsDir = "data/sample_inputs/";

    /// <summary>Graphport's own additions (container types, sources, symbol provenance); torch ignores extra/.</summary>
    public const string GraphportExtrasPath = "extra/graphport.json";

    /// <summary>Records the zip writer of PyTorch adds at the end; its reader requires .data/version.</summary>
    public const string ZipVersionPath = ".data/version";
    public const string ZipVersionValue = "6\n";
    public const string ByteOrderPath = "byteorder";
    public const string SerializationIdPath = ".data/serialization_id";

    /// <summary>The schema major version this reader understands; minors only add fields with defaults.</summary>
    public const int SchemaMajor = 8;

    /// <summary>
    /// The minor written: every field we emit exists in schema 8.6, so torch releases from that schema on load
    /// our JSON (their reader rejects fields it does not know, so we never write newer ones).
    /// </summary>
    public const int SchemaMinor = 6;

    /// <summary>The aten opset version torch records (torch._C._get_max_operator_version()).</summary>
    public const int AtenOpsetVersion = 10;

    public static string ModelPath(string model) => $"{ModelsDir}{model}.json";

    public static string WeightsConfigPath(string model) => $"{WeightsDir}{model}_weights_config.json";

    public static string ConstantsConfigPath(string model) => $"{ConstantsDir}{model}_constants_config.json";

    public static string SampleInputsPath(string model) => $"{SampleInputsDir}{model}.pt";
}
