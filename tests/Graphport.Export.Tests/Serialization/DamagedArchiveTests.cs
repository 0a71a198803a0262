using System.Text;
using System.Text.Json.Nodes;
using Graphport.Tests.Exporting;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>Damaged, truncated or unsupported archives are refused with a message naming the file and what is wrong.</summary>
public class DamagedArchiveTests
{
    private static string SavedModule(ArchiveFiles files, string name = "model.pt2")
    {
        string path = files.PathFor(name);
        ManualSeed(1);
        Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]).Save(path);
        return path;
    }

    private static void EditModelJson(string path, Action<JsonNode> edit) => ArchiveContents.Rewrite(path, (name, data) =>
    {
        if (!name.EndsWith("/models/model.json", StringComparison.Ordinal)) return data;
        var json = JsonNode.Parse(data)!;
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    });

    [Fact]
    public void Random_bytes_are_not_an_archive()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("noise.pt2");
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(path, noise);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("is not a readable .pt2 archive", e.Message);
    }

    [Fact]
    public void Truncated_archives_are_refused_at_every_length()
    {
        using var files = new ArchiveFiles();
        var bytes = File.ReadAllBytes(SavedModule(files));
        string cut = files.PathFor("cut.pt2");
        foreach (int length in new[] { 0, 1, 22, 100, bytes.Length / 3, bytes.Length / 2, bytes.Length - 200, bytes.Length - 23, bytes.Length - 1 })
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(cut));
            Assert.Contains(cut, e.Message);
        }
    }

    [Fact]
    public void A_flipped_byte_anywhere_either_loads_or_is_refused_as_invalid_data()
    {
        using var files = new ArchiveFiles();
        var bytes = File.ReadAllBytes(SavedModule(files));
        string damaged = files.PathFor("damaged.pt2");
        var random = new Random(11);
        int refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var copy = (byte[])bytes.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            File.WriteAllBytes(damaged, copy);
            try
            {
                ExportedProgram.Load(damaged);
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(damaged, e.Message);
                refused++;
            }
        }
        // Most bytes are weights and JSON, guarded by their CRCs; padding and unread header fields may change freely.
        Assert.True(refused > 150, $"only {refused} of 300 damaged archives were refused");
    }

    [Fact]
    public void A_corrupted_weight_is_caught_by_its_checksum()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => data);
        var bytes = File.ReadAllBytes(path);
        var offset = ArchiveContents.DataOffsets(path).Single(o => o.Name.EndsWith("weight_0", StringComparison.Ordinal)).DataOffset;
        bytes[offset + 17] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("record data/weights/weight_0 is damaged: its CRC-32", e.Message);
    }

    [Fact]
    public void An_archive_without_models_model_json_is_refused_naming_it()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/models/model.json", StringComparison.Ordinal) ? null : data);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("has no model/models/model.json", e.Message);
    }

    [Fact]
    public void A_zip_that_is_not_a_pt2_archive_is_refused()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/archive_format", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes("torchscript") : data);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("its archive_format is \"torchscript\", expected \"pt2\"", e.Message);
    }

    [Fact]
    public void An_unknown_schema_major_version_is_refused_naming_both_versions()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["schema_version"] = new JsonObject { ["major"] = 9, ["minor"] = 0 });
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("models/model.json: $.schema_version: the program uses schema version 9.0; Graphport reads schema major version 8", e.Message);
    }

    [Fact]
    public void Newer_minor_versions_with_unknown_fields_load()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j =>
        {
            j["schema_version"] = new JsonObject { ["major"] = 8, ["minor"] = 99 };
            j["guards_code"] = new JsonArray();
            j["graph_module"]!["treespec_namedtuple_fields"] = new JsonObject();
            j["graph_module"]!["graph"]!["nodes"]![0]!["name"] = "add";
        });
        Assert.Contains("torch.ops.aten.addmm.default", ExportedProgram.Load(path).ToString());
    }

    [Fact]
    public void An_operator_graphport_does_not_have_is_refused_naming_it()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["graph_module"]!["graph"]!["nodes"]![3]!["target"] = "torch.ops.aten.not_an_op.default");
        var e = Assert.Throws<ExportException>(() => ExportedProgram.Load(path));
        Assert.Contains("Operator aten::not_an_op used by the program is not implemented in Graphport", e.Message);
    }

    [Fact]
    public void A_weight_record_shorter_than_its_tensor_is_refused_with_both_sizes()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/data/weights/weight_0", StringComparison.Ordinal) ? data[..400] : data);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("record data/weights/weight_0 holds 100 torch.float32 elements, but lin.weight (sizes [10, 100], strides [100, 1], offset 0) needs 1000", e.Message);
    }

    [Fact]
    public void A_weight_record_that_is_not_whole_elements_is_refused()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/data/weights/weight_1", StringComparison.Ordinal) ? data[..39] : data);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("record data/weights/weight_1 (lin.bias) has 39 bytes, which is not a multiple of the 4-byte size of torch.float32", e.Message);
    }

    [Fact]
    public void Malformed_json_is_refused_naming_the_record()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        ArchiveContents.Rewrite(path, (name, data) => name.EndsWith("/models/model.json", StringComparison.Ordinal) ? data[..(data.Length / 2)] : data);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("models/model.json is not valid JSON", e.Message);
    }

    [Fact]
    public void A_missing_field_is_refused_with_its_json_path()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["graph_module"]!["graph"]!.AsObject().Remove("nodes"));
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("$.graph_module.graph: the required field \"nodes\" is missing", e.Message);
    }

    [Fact]
    public void A_node_reading_a_value_nothing_produces_is_refused()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["graph_module"]!["graph"]!["nodes"]![1]!["inputs"]![0]!["arg"] = new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = "ghost" } });
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("\"ghost\" is not a value any earlier node or input of this graph produces", e.Message);
    }

    [Fact]
    public void A_dtype_graphport_lacks_is_refused_naming_it()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["graph_module"]!["graph"]!["tensor_values"]!["x"]!["dtype"] = 9);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("the dtype COMPLEXHALF is not supported by Graphport", e.Message);
    }

    [Fact]
    public void A_union_with_two_variants_is_refused()
    {
        using var files = new ArchiveFiles();
        string path = SavedModule(files);
        EditModelJson(path, j => j["graph_module"]!["graph"]!["outputs"]![0]!["as_none"] = true);
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("$.graph_module.graph.outputs[0]: a union must have exactly one field, found 2 (as_tensor, as_none)", e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        using var files = new ArchiveFiles();
        Assert.Throws<FileNotFoundException>(() => ExportedProgram.Load(files.PathFor("absent.pt2")));
    }
}
