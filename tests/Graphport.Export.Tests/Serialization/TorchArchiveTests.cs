using System.Text;
using Graphport.Graphs;
using Graphport.Serialization;
using static Graphport.Torch;

namespace Graphport.Tests.Serialization;

/// <summary>
/// Archives as torch.export.save writes them — newer schema minor, fields Graphport does not use, symbols named
/// by torch (s77), factory calls with layout/device keywords, a multi-output op with an unused result, no
/// Graphport extras — load and run. The archive is written here by hand, following torch's serializer.
/// </summary>
public class TorchArchiveTests
{
    // torch 2.11's export of:
    //     class M(nn.Module):
    //         def __init__(self): self.lin = nn.Linear(4, 3); self.register_buffer("offset", torch.full((3,), 0.5))
    //         def forward(self, x):
    //             y = self.lin(x).relu() + torch.ones(x.shape[0], 3) + self.offset
    //             return y, x.max(dim=1).values
    // with the batch dimension dynamic (Dim("batch", max=1024)).
    private const string ModelJson = """
    {
      "graph_module": {
        "graph": {
          "inputs": [{"as_tensor": {"name": "p_lin_weight"}}, {"as_tensor": {"name": "p_lin_bias"}}, {"as_tensor": {"name": "b_offset"}}, {"as_tensor": {"name": "x"}}],
          "outputs": [{"as_tensor": {"name": "add_1"}}, {"as_tensor": {"name": "getitem"}}],
          "nodes": [
            {"target": "torch.ops.aten.linear.default", "name": "linear",
             "inputs": [{"name": "input", "arg": {"as_tensor": {"name": "x"}}, "kind": 1}, {"name": "weight", "arg": {"as_tensor": {"name": "p_lin_weight"}}, "kind": 1}, {"name": "bias", "arg": {"as_tensor": {"name": "p_lin_bias"}}, "kind": 1}],
             "outputs": [{"as_tensor": {"name": "linear"}}],
             "metadata": {"stack_trace": "  File \"/home/user/model.py\", line 12, in forward\n    y = self.lin(x).relu() + torch.ones(x.shape[0], 3) + self.offset\n", "nn_module_stack": "L__self___lin,L['self'].lin,torch.nn.modules.linear.Linear", "torch_fn": "linear_1;class_Linear_forward"},
             "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.relu.default", "name": "relu",
             "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "linear"}}, "kind": 1}],
             "outputs": [{"as_tensor": {"name": "relu"}}], "metadata": {}, "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.sym_size.int", "name": "sym_size_int_2",
             "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "x"}}, "kind": 1}, {"name": "dim", "arg": {"as_int": 0}, "kind": 1}],
             "outputs": [{"as_sym_int": {"as_name": "sym_size_int_2"}}], "metadata": {}, "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.ones.default", "name": "ones",
             "inputs": [{"name": "size", "arg": {"as_sym_ints": [{"as_name": "sym_size_int_2"}, {"as_int": 3}]}, "kind": 1},
                        {"name": "dtype", "arg": {"as_scalar_type": 7}, "kind": 2}, {"name": "layout", "arg": {"as_layout": 7}, "kind": 2},
                        {"name": "device", "arg": {"as_device": {"type": "cpu", "index": null}}, "kind": 2}, {"name": "pin_memory", "arg": {"as_bool": false}, "kind": 2}],
             "outputs": [{"as_tensor": {"name": "ones"}}], "metadata": {}, "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.add.Tensor", "name": "add",
             "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "relu"}}, "kind": 1}, {"name": "other", "arg": {"as_tensor": {"name": "ones"}}, "kind": 1}],
             "outputs": [{"as_tensor": {"name": "add"}}], "metadata": {}, "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.add.Tensor", "name": "add_1",
             "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "add"}}, "kind": 1}, {"name": "other", "arg": {"as_tensor": {"name": "b_offset"}}, "kind": 1}],
             "outputs": [{"as_tensor": {"name": "add_1"}}], "metadata": {}, "is_hop_single_tensor_return": null},
            {"target": "torch.ops.aten.max.dim", "name": "max_1",
             "inputs": [{"name": "self", "arg": {"as_tensor": {"name": "x"}}, "kind": 1}, {"name": "dim", "arg": {"as_int": 1}, "kind": 1}],
             "outputs": [{"as_tensor": {"name": "getitem"}}, {"as_tensor": {"name": "max_1_unused_1"}}], "metadata": {}, "is_hop_single_tensor_return": null}
          ],
          "tensor_values": {
            "p_lin_weight": {"dtype": 7, "sizes": [{"as_int": 3}, {"as_int": 4}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 4}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "p_lin_bias": {"dtype": 7, "sizes": [{"as_int": 3}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "b_offset": {"dtype": 7, "sizes": [{"as_int": 3}], "requires_grad": false, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "x": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 4}], "requires_grad": false, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 4}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "linear": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 3}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 3}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "relu": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 3}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 3}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "ones": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 3}], "requires_grad": false, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 3}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "add": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 3}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 3}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "add_1": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}, {"as_int": 3}], "requires_grad": true, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 3}, {"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "getitem": {"dtype": 7, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}], "requires_grad": false, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7},
            "max_1_unused_1": {"dtype": 5, "sizes": [{"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}], "requires_grad": false, "device": {"type": "cpu", "index": null}, "strides": [{"as_int": 1}], "storage_offset": {"as_int": 0}, "layout": 7}
          },
          "sym_int_values": {"sym_size_int_2": {"as_expr": {"expr_str": "Symbol('s77', integer=True, positive=True)", "hint": {"as_int": 5}}}},
          "sym_bool_values": {}, "is_single_tensor_return": false, "custom_obj_values": {}, "sym_float_values": {}
        },
        "signature": {
          "input_specs": [
            {"parameter": {"arg": {"name": "p_lin_weight"}, "parameter_name": "lin.weight"}},
            {"parameter": {"arg": {"name": "p_lin_bias"}, "parameter_name": "lin.bias"}},
            {"buffer": {"arg": {"name": "b_offset"}, "buffer_name": "offset", "persistent": true}},
            {"user_input": {"arg": {"as_tensor": {"name": "x"}}}}
          ],
          "output_specs": [
            {"user_output": {"arg": {"as_tensor": {"name": "add_1"}}}},
            {"user_output": {"arg": {"as_tensor": {"name": "getitem"}}}}
          ]
        },
        "module_call_graph": [
          {"fqn": "", "signature": {
            "inputs": [{"as_tensor": {"name": "x"}}],
            "outputs": [{"as_tensor": {"name": "add_1"}}, {"as_tensor": {"name": "getitem"}}],
            "in_spec": "[1, {\"type\": \"builtins.tuple\", \"context\": \"null\", \"children_spec\": [{\"type\": \"builtins.tuple\", \"context\": \"null\", \"children_spec\": [{\"type\": null, \"context\": null, \"children_spec\": []}]}, {\"type\": \"builtins.dict\", \"context\": \"[]\", \"children_spec\": []}]}]",
            "out_spec": "[1, {\"type\": \"builtins.tuple\", \"context\": \"null\", \"children_spec\": [{\"type\": null, \"context\": null, \"children_spec\": []}, {\"type\": null, \"context\": null, \"children_spec\": []}]}]",
            "forward_arg_names": ["x"]}},
          {"fqn": "lin", "signature": null}
        ],
        "metadata": {},
        "treespec_namedtuple_fields": {}
      },
      "opset_version": {"aten": 10},
      "range_constraints": {"s77": {"min_val": 2, "max_val": 1024}},
      "schema_version": {"major": 8, "minor": 20},
      "verifiers": ["TRAINING"],
      "torch_version": "2.11.0",
      "guards_code": []
    }
    """;

    private static readonly float[] Weight = [0.5f, -1f, 0.25f, 2f, -0.5f, 1.5f, 1f, -2f, 0.75f, 0.125f, -0.25f, 1f];
    private static readonly float[] Bias = [0.1f, -0.2f, 0.3f];

    private static string Config(params (string Name, string File, bool IsParam, int Size, int[] Sizes)[] entries) =>
        "{\"config\": {" + string.Join(", ", entries.Select(e =>
            $"\"{e.Name}\": {{\"path_name\": \"{e.File}\", \"is_param\": {(e.IsParam ? "true" : "false")}, \"use_pickle\": false, \"tensor_meta\": {{\"dtype\": 7, " +
            $"\"sizes\": [{string.Join(", ", e.Sizes.Select(s => $"{{\"as_int\": {s}}}"))}], \"requires_grad\": {(e.IsParam ? "true" : "false")}, \"device\": {{\"type\": \"cpu\", \"index\": null}}, " +
            $"\"strides\": [{(e.Sizes.Length == 2 ? $"{{\"as_int\": {e.Sizes[1]}}}, " : "")}{{\"as_int\": 1}}], \"storage_offset\": {{\"as_int\": 0}}, \"layout\": 7}}}}")) + "}}";

    private static byte[] Floats(float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Writes the archive in the order torch's packager does, without Graphport's extras.</summary>
    private static void WriteTorchArchive(string path, string modelJson = ModelJson)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        var zip = new AlignedZipWriter(stream, Path.GetFileNameWithoutExtension(path));
        zip.Write("data/weights/weight_0", Floats(Weight));
        zip.Write("data/weights/weight_1", Floats(Bias));
        zip.Write("data/weights/weight_2", Floats([0.5f, 0.5f, 0.5f]));
        zip.WriteText("data/weights/model_weights_config.json",
            Config(("lin.weight", "weight_0", true, 12, [3, 4]), ("lin.bias", "weight_1", true, 3, [3]), ("offset", "weight_2", false, 3, [3])));
        zip.WriteText("data/constants/model_constants_config.json", "{\"config\": {}}");
        zip.Write("models/model.json", Encoding.UTF8.GetBytes(modelJson));
        Interop.TorchStyleArchive.WriteTrailer(zip);
    }

    private static Tensor Expected(Tensor x)
    {
        var w = Torch.Tensor(Weight).Reshape(3, 4);
        var b = Torch.Tensor(Bias);
        return (x.Matmul(w.T()) + b).Relu() + 1.5;
    }

    [Fact]
    public void A_torch_made_archive_loads_and_runs()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_linear.pt2");
        WriteTorchArchive(path);
        var ep = ExportedProgram.Load(path);
        foreach (long batch in new long[] { 5, 2, 9 })
        {
            ManualSeed((ulong)batch);
            var x = Randn(batch, 4);
            var (y, maxima) = ((Tensor, Tensor))ep.Module().Invoke(x)!;
            Assert.True(y.AllClose(Expected(x), 1e-5, 1e-6));
            Assert.True(maxima.AllClose(x.Amax(1), 0, 0));
        }
    }

    [Fact]
    public void Torch_symbols_keep_their_names_ranges_and_example_values()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_linear.pt2");
        WriteTorchArchive(path);
        var ep = ExportedProgram.Load(path);
        Assert.Equal("{s77: [2, 1024]}", ep.RangeConstraints.ToString());
        Assert.Contains("def forward(self, p_lin_weight: \"f32[3, 4]\", p_lin_bias: \"f32[3]\", b_offset: \"f32[3]\", x: \"f32[s77, 4]\"):", ep.ToString());
        var symbol = Assert.Single(ep.ShapeEnv.Symbols);
        Assert.Equal(5, symbol.Hint);
        Assert.Equal("x.Shape[0]", symbol.Source);
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(1025, 4)));
        Assert.Contains("to be <= 1024", e.Message);
    }

    [Fact]
    public void Torch_node_metadata_becomes_sources_and_module_stacks()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_linear.pt2");
        WriteTorchArchive(path);
        var ep = ExportedProgram.Load(path);
        var linear = Assert.Single(ep.Graph.Nodes, n => n.Op?.Name == "aten::linear");
        Assert.Equal(new SourceFrame("/home/user/model.py", 12, "forward", "y = self.lin(x).relu() + torch.ones(x.shape[0], 3) + self.offset"), linear.Source);
        Assert.Equal([new ModuleFrame("lin", "torch.nn.modules.linear.Linear")], linear.ModuleStack);
        Assert.Contains("# File: /home/user/model.py:12 in forward, code: y = self.lin(x).relu()", ep.ToString());
    }

    [Fact]
    public void Factory_keywords_torch_records_are_read_and_the_device_kept_through_a_save()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_linear.pt2");
        WriteTorchArchive(path);
        var ep = ExportedProgram.Load(path);
        var ones = Assert.Single(ep.Graph.Nodes, n => n.Op?.OpName == "ones");
        Assert.Equal(["dtype", "layout", "device", "pin_memory"], ones.Kwargs.Keys);
        Assert.Contains("ones: \"f32[s77, 3]\" = torch.ops.aten.ones.default([sym_size_int_2, 3], dtype = torch.float32, layout = torch.strided, device = device(type='cpu'), pin_memory = False)", ep.ToString());
        string again = files.PathFor("saved_again.pt2");
        ep.Save(again);
        Assert.Equal(Device.Cpu, Assert.Single(ExportedProgram.Load(again).Graph.Nodes, n => n.Op?.OpName == "ones").Kwargs["device"]);
        // Only the read result of max.dim gets a getitem node.
        Assert.Equal(["getitem"], ep.Graph.Nodes.Where(n => n.Target is BuiltinTarget { Name: "operator.getitem" }).Select(n => n.Name));
    }

    [Fact]
    public void A_factory_asking_for_a_sparse_layout_is_refused_when_the_archive_loads()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_sparse.pt2");
        WriteTorchArchive(path, ModelJson.Replace("{\"as_layout\": 7}", "{\"as_layout\": 1}", StringComparison.Ordinal));
        var error = Assert.ThrowsAny<Exception>(() => ExportedProgram.Load(path));
        Assert.Contains("the layout 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("dense and strided", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_root_call_signature_torch_2_14_writes_without_inputs_and_outputs_loads()
    {
        // torch.export's _make_module_call_graph leaves the root entry's inputs and outputs empty; only the pytree
        // specs say how the leaves nest, and the leaves are the graph signature's user inputs and outputs.
        string json = System.Text.RegularExpressions.Regex.Replace(ModelJson,
            "(\"fqn\": \"\", \"signature\": \\{\\s*\"inputs\": )\\[[^\\]]*\\](,\\s*\"outputs\": )\\[[^\\]]*\\]", "$1[]$2[]");
        Assert.Matches("\"inputs\": \\[\\],\\s*\"outputs\": \\[\\]", json);
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_214.pt2");
        WriteTorchArchive(path, json);
        var ep = ExportedProgram.Load(path);
        Assert.Equal(["x"], ep.CallSignature.ArgumentNames);
        ManualSeed(4);
        var x = Randn(3, 4);
        var (y, maxima) = ((Tensor, Tensor))ep.Module().Invoke(x)!;
        Assert.True(y.AllClose(Expected(x), 1e-5, 1e-6));
        Assert.True(maxima.AllClose(x.Amax(1), 0, 0));
    }

    [Fact]
    public void A_torch_made_program_saved_by_graphport_round_trips_exactly()
    {
        using var files = new ArchiveFiles();
        string path = files.PathFor("torch_linear.pt2");
        WriteTorchArchive(path);
        var ep = ExportedProgram.Load(path);
        RoundTrip.AssertExact(ep, () => { ManualSeed(3); return [Randn(6, 4)]; });
        Assert.Equal(ep.RunDecompositions().ToString(), RoundTrip.SaveAndLoad(ep).RunDecompositions().ToString());
    }
}
