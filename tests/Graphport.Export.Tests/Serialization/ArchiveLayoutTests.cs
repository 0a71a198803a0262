using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Graphport.Serialization;
using Graphport.Tests.ControlFlow;
using Graphport.Tests.Exporting;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>The archive is laid out as torch.export.save lays it out, and its JSON follows torch's schema.</summary>
public class ArchiveLayoutTests
{
    private static ExportedProgram MyModuleProgram()
    {
        ManualSeed(1);
        return Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]);
    }

    private static ExportedProgram DerivedDimProgram()
    {
        var dx = new Dim("dx", min: 3, max: 6);
        return Export(new DerivedDimExample2(), [Randn(4), Randn(10)], dynamicShapes: DynamicShapes.Positional(new() { [0] = dx + 1 }, new() { [0] = dx * 3 + 1 }));
    }

    private static JsonNode ModelJson(string path, string root) => JsonNode.Parse(ArchiveContents.Text(path, $"{root}/models/model.json"))!;

    [Fact]
    public void Records_live_under_a_root_folder_named_after_the_file()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("my_module.pt2");
        MyModuleProgram().Save(path);
        var names = ArchiveContents.Records(path).Select(r => r.Name).ToList();
        Assert.All(names, n => Assert.StartsWith("my_module/", n));
        Assert.Equal(
            ["data/weights/weight_0", "data/weights/weight_1", "data/weights/model_weights_config.json", "data/constants/model_constants_config.json",
             "models/model.json", "data/sample_inputs/model.pt", "extra/graphport.json", "archive_format", "archive_version", ".data/version", "byteorder", ".data/serialization_id"],
            names.Select(n => n["my_module/".Length..]));
        Assert.Equal("pt2", ArchiveContents.Text(path, "my_module/archive_format"));
        Assert.Equal("0", ArchiveContents.Text(path, "my_module/archive_version"));
        Assert.Equal("little", ArchiveContents.Text(path, "my_module/byteorder"));
    }

    [Fact]
    public void Every_record_is_stored_uncompressed_with_its_data_on_a_64_byte_boundary()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("aligned.pt2");
        MyModuleProgram().Save(path);
        var offsets = ArchiveContents.DataOffsets(path);
        Assert.Equal(12, offsets.Count);
        Assert.All(offsets, o => Assert.True(o.DataOffset % 64 == 0, $"{o.Name} starts at {o.DataOffset}"));
        using var zip = ZipFile.OpenRead(path);
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
    }

    [Fact]
    public void Saving_the_same_program_twice_gives_the_same_bytes()
    {
        using var files = new ArchiveFiles();
        var ep = MyModuleProgram();
        ep.Save(files.PathFor("a.pt2"));
        ep.Save(files.PathFor("b.pt2"));
        var a = File.ReadAllBytes(files.PathFor("a.pt2"));
        var b = File.ReadAllBytes(files.PathFor("b.pt2"));
        // The root folder differs with the file name; rename it back for the comparison.
        Assert.Equal(a, ArchiveRenamed(b, "b", "a"));
    }

    private static byte[] ArchiveRenamed(byte[] bytes, string from, string to)
    {
        var copy = (byte[])bytes.Clone();
        var pattern = System.Text.Encoding.ASCII.GetBytes(from + "/");
        for (int i = 0; i + pattern.Length <= copy.Length; i++)
            if (copy.AsSpan(i, pattern.Length).SequenceEqual(pattern)) copy[i] = (byte)to[0];
        return copy;
    }

    [Fact]
    public void Weights_are_the_raw_little_endian_bytes_of_their_storage_with_a_payload_config()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("weights.pt2");
        var ep = MyModuleProgram();
        ep.Save(path);
        var records = ArchiveContents.Records(path).ToDictionary(r => r.Name, r => r.Data);
        var bias = ep.StateDict["lin.bias"];
        var expected = Enumerable.Range(0, 10).SelectMany(i => BitConverter.GetBytes((float)bias[i].Item())).ToArray();
        Assert.Equal(expected, records["weights/data/weights/weight_1"]);
        var config = JsonNode.Parse(records["weights/data/weights/model_weights_config.json"])!["config"]!;
        Assert.Equal("weight_0", (string?)config["lin.weight"]!["path_name"]);
        Assert.True((bool)config["lin.weight"]!["is_param"]!);
        Assert.False((bool)config["lin.weight"]!["use_pickle"]!);
        Assert.Equal("[{\"as_int\":10},{\"as_int\":100}]", config["lin.weight"]!["tensor_meta"]!["sizes"]!.ToJsonString());
        Assert.Empty(SchemaConformance.Check(System.Text.Encoding.UTF8.GetString(records["weights/data/weights/model_weights_config.json"]), "PayloadConfig"));
    }

    [Fact]
    public void Model_json_names_targets_arguments_and_versions_as_torch_does()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("m.pt2");
        MyModuleProgram().Save(path);
        var model = ModelJson(path, "m");
        Assert.Equal("{\"major\":8,\"minor\":6}", model["schema_version"]!.ToJsonString());
        Assert.Equal(10, (int)model["opset_version"]!["aten"]!);
        var add = model["graph_module"]!["graph"]!["nodes"]![0]!;
        Assert.Equal("torch.ops.aten.add.Tensor", (string?)add["target"]);
        Assert.Equal("[{\"name\":\"self\",\"arg\":{\"as_tensor\":{\"name\":\"x\"}},\"kind\":1},{\"name\":\"other\",\"arg\":{\"as_tensor\":{\"name\":\"y\"}},\"kind\":1}]", add["inputs"]!.ToJsonString());
        Assert.Equal("[{\"as_tensor\":{\"name\":\"add\"}}]", add["outputs"]!.ToJsonString());
        var specs = model["graph_module"]!["signature"]!["input_specs"]!.AsArray();
        Assert.Equal("{\"parameter\":{\"arg\":{\"name\":\"p_lin_weight\"},\"parameter_name\":\"lin.weight\"}}", specs[0]!.ToJsonString());
        Assert.Equal("{\"user_input\":{\"arg\":{\"as_tensor\":{\"name\":\"x\"}}}}", specs[2]!.ToJsonString());
    }

    [Fact]
    public void Model_json_has_exactly_the_fields_of_torchs_schema()
    {
        using var files = new ArchiveFiles();
        var programs = new (string Name, ExportedProgram Program)[]
        {
            ("linear", MyModuleProgram()),
            ("derived", DerivedDimProgram()),
            ("cond", Export(new CondPredicate(), [Randn(6, 4, 12)], dynamicShapes: new DynamicShapes { ["x"] = new() { [2] = new Dim("d") } })),
            ("map", Export(new MapExample(), [Randn(4, 3)])),
            ("flatten", Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } })),
            ("counter", Export(new Counter(), [Ones(3)])),
            ("bn", Export(new BatchNorm2d(3), [Randn(4, 3, 5, 5)])),
            ("arguments", Export(new ManyArgumentKinds(), [Randn(3, 2), Randn(3, 4)])),
            ("buffers", Export(new ScaledByTransientBuffer(), [Randn(3)])),
        };
        foreach (var (name, program) in programs)
        {
            string path = files.PathFor(name + ".pt2");
            program.Save(path);
            Assert.Empty(SchemaConformance.Check(ArchiveContents.Text(path, $"{name}/models/model.json"), "ExportedProgram"));
        }
    }

    [Fact]
    public void Symbolic_sizes_are_sympy_srepr_strings_with_their_example_values()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("derived.pt2");
        DerivedDimProgram().Save(path);
        var model = ModelJson(path, "derived");
        var z = model["graph_module"]!["graph"]!["tensor_values"]!["z"]!;
        Assert.Equal("Add(Symbol('s0', integer=True, positive=True), Integer(1))", (string?)z["sizes"]![0]!["as_expr"]!["expr_str"]);
        Assert.Equal("{\"as_int\":4}", z["sizes"]![0]!["as_expr"]!["hint"]!.ToJsonString());
        var y = model["graph_module"]!["graph"]!["tensor_values"]!["y"]!;
        Assert.Equal("Add(Mul(Integer(3), Symbol('s0', integer=True, positive=True)), Integer(1))", (string?)y["sizes"]![0]!["as_expr"]!["expr_str"]);
        Assert.Equal("{\"s0\":{\"min_val\":3,\"max_val\":6}}", model["range_constraints"]!.ToJsonString());
    }

    [Fact]
    public void Unbounded_ranges_have_null_maximums()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("flatten.pt2");
        Export(new FlattenHead(), [Randn(4, 3, 4)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("batch") } }).Save(path);
        Assert.Equal("{\"s0\":{\"min_val\":2,\"max_val\":null}}", ModelJson(path, "flatten")["range_constraints"]!.ToJsonString());
    }

    [Fact]
    public void Size_arithmetic_nodes_are_operator_calls_producing_sym_ints()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("double.pt2");
        Export(new ReshapesToDouble(), [Randn(6)], dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("d", min: 2, max: 50) } }).Save(path);
        var graph = ModelJson(path, "double")["graph_module"]!["graph"]!;
        var mul = graph["nodes"]!.AsArray().Single(n => (string?)n!["target"] == "_operator.mul")!;
        Assert.Equal("[{\"name\":\"a\",\"arg\":{\"as_sym_int\":{\"as_name\":\"sym_size_int\"}},\"kind\":1},{\"name\":\"b\",\"arg\":{\"as_int\":2},\"kind\":1}]", mul["inputs"]!.ToJsonString());
        string output = (string)mul["outputs"]![0]!["as_sym_int"]!["as_name"]!;
        var value = graph["sym_int_values"]![output]!["as_expr"]!;
        Assert.Equal("Mul(Integer(2), Symbol('s0', integer=True, positive=True))", (string?)value["expr_str"]);
        Assert.Equal(12, (long)value["hint"]!["as_int"]!);
    }

    [Fact]
    public void Cond_nodes_carry_their_branches_inline_and_name_their_results_after_the_getitems()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("cond.pt2");
        ManualSeed(3);
        Export(new Bad1Fixed(), [Randn(3, 3)]).Save(path);
        var graph = ModelJson(path, "cond")["graph_module"]!["graph"]!;
        var cond = graph["nodes"]!.AsArray().Single(n => (string?)n!["target"] == "torch.ops.higher_order.cond")!;
        var inputs = cond["inputs"]!.AsArray();
        Assert.Equal(["as_tensor", "as_graph", "as_graph", "as_tensors"], inputs.Select(i => i!["arg"]!.AsObject().Single().Key));
        Assert.All(inputs, i => Assert.Equal("", (string?)i!["name"]));
        Assert.Equal("true_graph_0", (string?)inputs[1]!["arg"]!["as_graph"]!["name"]);
        Assert.Equal("[{\"as_tensor\":{\"name\":\"getitem\"}}]", cond["outputs"]!.ToJsonString());
        Assert.False((bool)cond["is_hop_single_tensor_return"]!);
        Assert.DoesNotContain(graph["nodes"]!.AsArray(), n => (string?)n!["target"] == "_operator.getitem");
    }

    [Fact]
    public void Call_structure_is_a_torch_pytree_spec_of_args_and_kwargs()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("list.pt2");
        ManualSeed(4);
        Export(new ListIn(), [new[] { Randn(2, 2), Randn(2, 2) }]).Save(path);
        var signature = ModelJson(path, "list")["graph_module"]!["module_call_graph"]![0]!;
        Assert.Equal("", (string?)signature["fqn"]);
        const string leaf = "{\"type\":null,\"context\":null,\"children_spec\":[]}";
        Assert.Equal(
            "[1,{\"type\":\"builtins.tuple\",\"context\":\"null\",\"children_spec\":[{\"type\":\"builtins.tuple\",\"context\":\"null\",\"children_spec\":[" +
            $"{{\"type\":\"builtins.list\",\"context\":\"null\",\"children_spec\":[{leaf},{leaf}]}}]}},{{\"type\":\"builtins.dict\",\"context\":\"[]\",\"children_spec\":[]}}]}}]",
            (string?)signature["signature"]!["in_spec"]);
        Assert.Equal($"[1,{{\"type\":\"builtins.tuple\",\"context\":\"null\",\"children_spec\":[{leaf},{leaf}]}}]", (string?)signature["signature"]!["out_spec"]);
        Assert.Equal("[\"xs\"]", signature["signature"]!["forward_arg_names"]!.ToJsonString());
    }

    [Fact]
    public void An_archive_written_with_zip64_records_loads()
    {
        var ep = MyModuleProgram();
        using var stream = new MemoryStream();
        ProgramWriter.Write(ep, stream, "big", zip64Threshold: 0);
        stream.Position = 0;
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
            Assert.Equal(12, zip.Entries.Count);
        stream.Position = 0;
        var loaded = ProgramArchive.Load(stream, "big.pt2");
        Assert.Equal(ep.ToString(), loaded.ToString());
        TensorAssert.BitIdentical(ep.StateDict["lin.weight"], loaded.StateDict["lin.weight"], "lin.weight");
    }
}
