using System.Text.Json.Nodes;
using Graphport.Graphs;
using Graphport.Tests.Serialization;
using static Graphport.Tests.Interop.TorchStyleArchive;

namespace Graphport.Tests.Interop;

/// <summary>
/// What torch.export (2.14, training IR) writes for torch's own ExportDB examples and Graphport's own tracer never
/// records, each pinned without Python by the graph torch's serializer wrote (TorchExportDbArchivesTests checks the
/// real archives): aten.item with _assert_scalar checks (constrain_as_size_example), a string argument as a
/// constant input (tensor_setattr), lift_fresh_copy + detach_ of a lifted constant (cond_branch_nonlocal_variables),
/// _assert_tensor_metadata before x.to(dtype) and a slice ending at item() (assume_constant_result), and an in-place
/// op on a user input with no mutation output (user_input_mutation).
/// </summary>
public class TorchTrainingIrArchiveTests
{
    private static ExportedProgram Load(ArchiveFiles files, string name, string model, params (string, float[], long[])[] constants)
    {
        string path = files.PathFor(name + ".pt2");
        Write(path, model, constants);
        return ExportedProgram.Load(path);
    }

    // constrain_as_size_example: a = x.item(); torch._check(a >= 0); torch._check(a <= 5); return torch.zeros((a, 5))
    private static string ItemModel() => Model(
        [Tensor("x")],
        [
            Node("torch.ops.aten.item.default", "item", Inputs(("self", Tensor("x"), 1)), SymInt("item")),
            Node("_operator.ge", "ge_1", Inputs(("a", SymInt("item"), 1), ("b", Int(0), 1)), SymBool("ge_1")),
            Node("torch.ops.aten._assert_scalar.default", "_assert_scalar_default",
                Inputs(("self", SymBool("ge_1"), 1), ("assert_msg", String("Runtime assertion failed for expression u0 >= 0 on node 'ge_1'"), 1))),
            Node("_operator.le", "le_1", Inputs(("a", SymInt("item"), 1), ("b", Int(5), 1)), SymBool("le_1")),
            Node("torch.ops.aten._assert_scalar.default", "_assert_scalar_default_1",
                Inputs(("self", SymBool("le_1"), 1), ("assert_msg", String("Runtime assertion failed for expression u0 <= 5 on node 'le_1'"), 1))),
            Node("torch.ops.aten.zeros.default", "zeros",
                Inputs(("size", new JsonObject { ["as_sym_ints"] = new JsonArray(SymInt("item")["as_sym_int"]!.DeepClone(), Int(5)) }, 1),
                       ("device", new JsonObject { ["as_device"] = new JsonObject { ["type"] = "cpu", ["index"] = null } }, 2),
                       ("pin_memory", new JsonObject { ["as_bool"] = false }, 2)),
                Tensor("zeros")),
        ],
        [Tensor("zeros")],
        new JsonObject { ["x"] = Meta(I64), ["zeros"] = Meta(F32, "Symbol('u0', integer=True)", 5) },
        [UserInput("x")], [UserOutput("zeros")], ["x"],
        symIntValues: new JsonObject { ["item"] = new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = "Symbol('u0', integer=True)", ["hint"] = null } } },
        symBoolValues: new JsonObject
        {
            ["ge_1"] = new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = "GreaterThan(Symbol('u0', integer=True), Integer(0))", ["hint"] = null } },
            ["le_1"] = new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = "LessThan(Symbol('u0', integer=True), Integer(5))", ["hint"] = null } },
        },
        rangeConstraints: new JsonObject { ["u0"] = new JsonObject { ["min_val"] = 0, ["max_val"] = 5 } });

    [Fact]
    public void Item_sizes_a_tensor_and_torchs_runtime_assertions_hold_it_to_its_range()
    {
        using var files = new ArchiveFiles();
        var ep = Load(files, "constrain_as_size_example", ItemModel());
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.Name == "aten::item");
        Assert.Equal("{u0: [0, 5]}", ep.RangeConstraints.ToString());
        Assert.Contains("item: \"Sym(u0)\" = torch.ops.aten.item.default(x)", ep.ToString());

        var y = ep.Module().Call(Torch.Tensor(new long[] { 4 }).Reshape());
        Assert.Equal([4L, 5L], y.Shape.ToLongs());
        Assert.Equal(0.0, y.Abs().Sum().Item<double>());

        var e = Assert.Throws<NodeExecutionException>(() => ep.Module().Call(Torch.Tensor(new long[] { 7 }).Reshape()));
        Assert.Contains("Runtime assertion failed for expression u0 <= 5 on node 'le_1'", e.Message);
    }

    [Fact]
    public void Item_is_torchs_composite_over_local_scalar_dense()
    {
        Assert.Equal(4L, Aten.Item.Call(Torch.Tensor(new long[] { 4 }).Reshape()));
        Assert.Equal(2.5, Aten.Item.Call(Torch.Tensor(new[] { 2.5 }).Reshape()));
        Assert.Equal(true, Aten.Item.Call(Torch.Tensor(new[] { true }).Reshape()));
        var e = Assert.Throws<ArgumentException>(() => Aten.Item.Call(Torch.Zeros(2)));
        Assert.Contains("a Tensor with 2 elements cannot be converted to Scalar", e.Message);
    }

    // tensor_setattr: def forward(self, x, attr): setattr(x, attr, torch.randn(3, 2)); return x + 4   (attr = "attr")
    private static string ConstantInputModel() => Model(
        [Tensor("x"), String("attr")],
        [Node("torch.ops.aten.add.Tensor", "add", Inputs(("self", Tensor("x"), 1), ("other", Int(4), 1)), Tensor("add"))],
        [Tensor("add")],
        new JsonObject { ["x"] = Meta(F32, 3, 2), ["add"] = Meta(F32, 3, 2) },
        [UserInput("x"), new JsonObject { ["constant_input"] = new JsonObject { ["name"] = "attr", ["value"] = String("attr") } }],
        [UserOutput("add")], ["x", "attr"]);

    [Fact]
    public void A_constant_input_has_no_placeholder_and_stays_a_constant_argument_of_the_call()
    {
        using var files = new ArchiveFiles();
        var ep = Load(files, "tensor_setattr", ConstantInputModel());
        Assert.Equal(["x"], ep.Graph.Placeholders.Select(p => p.Name));
        Assert.Equal(["x"], ep.GraphSignature.UserInputs);
        Assert.Equal(["x", "attr"], ep.CallSignature.ArgumentNames);
        Assert.Equal(new ConstantLeaf("attr"), ep.CallSignature.InputTrees[1]);

        var x = Torch.Randn(3, 2);
        Assert.True(ep.Module().Call(x, "attr").AllClose(x + 4, 0, 0));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Call(x));
        Assert.Contains("Unexpected number of inputs (expected 2, got 1)", e.Message);
    }

    [Fact]
    public void A_constant_input_inside_a_subgraph_is_refused_with_what_it_is()
    {
        // Only the root graph's inputs can be constant arguments; a branch graph's inputs are its operands.
        using var files = new ArchiveFiles();
        var model = JsonNode.Parse(ConstantInputModel())!;
        var graph = model["graph_module"]!["graph"]!.DeepClone();
        var cond = Node("torch.ops.higher_order.cond", "cond",
            new JsonArray(
                new JsonObject { ["name"] = "", ["arg"] = new JsonObject { ["as_bool"] = true }, ["kind"] = 1 },
                new JsonObject { ["name"] = "", ["arg"] = new JsonObject { ["as_graph"] = new JsonObject { ["name"] = "true_graph_0", ["graph"] = graph.DeepClone() } }, ["kind"] = 1 },
                new JsonObject { ["name"] = "", ["arg"] = new JsonObject { ["as_graph"] = new JsonObject { ["name"] = "false_graph_0", ["graph"] = graph } }, ["kind"] = 1 },
                new JsonObject { ["name"] = "", ["arg"] = new JsonObject { ["as_tensors"] = new JsonArray(new JsonObject { ["name"] = "x" }) }, ["kind"] = 1 }),
            Tensor("getitem"));
        model["graph_module"]!["graph"]!["nodes"] = new JsonArray(cond);
        model["graph_module"]!["graph"]!["outputs"] = new JsonArray(Tensor("getitem"));
        model["graph_module"]!["graph"]!["tensor_values"]!["getitem"] = Meta(F32, 3, 2);
        model["graph_module"]!["signature"]!["output_specs"] = new JsonArray(UserOutput("getitem"));
        string path = files.PathFor("constant_in_branch.pt2");
        Write(path, model.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => ExportedProgram.Load(path));
        Assert.Contains("a graph input of kind as_string is not supported by Graphport (inputs are tensors or sizes)", e.Message);
    }

    // cond_branch_nonlocal_variables (its cond specialized away): a tensor constant created in forward is lifted,
    // and torch records lift_fresh_copy + detach_ on it.
    private static string LiftedConstantModel() => Model(
        [Tensor("c_lifted_tensor_0"), Tensor("x")],
        [
            Node("torch.ops.aten.add.Tensor", "add", Inputs(("self", Tensor("x"), 1), ("other", Int(100), 1)), Tensor("add")),
            Node("torch.ops.aten.lift_fresh_copy.default", "lift_fresh_copy", Inputs(("self", Tensor("c_lifted_tensor_0"), 1)), Tensor("lift_fresh_copy")),
            Node("torch.ops.aten.detach_.default", "detach_", Inputs(("self", Tensor("lift_fresh_copy"), 1)), Tensor("detach_")),
            Node("torch.ops.aten.add.Tensor", "add_1", Inputs(("self", Tensor("x"), 1), ("other", Tensor("add"), 1)), Tensor("add_1")),
            Node("torch.ops.aten.add.Tensor", "add_2", Inputs(("self", Tensor("add_1"), 1), ("other", Tensor("detach_"), 1)), Tensor("add_2")),
        ],
        [Tensor("add_2")],
        new JsonObject
        {
            ["c_lifted_tensor_0"] = Meta(F32), ["x"] = Meta(F32, 6), ["add"] = Meta(F32, 6), ["lift_fresh_copy"] = Meta(F32),
            ["detach_"] = Meta(F32), ["add_1"] = Meta(F32, 6), ["add_2"] = Meta(F32, 6),
        },
        [new JsonObject { ["tensor_constant"] = new JsonObject { ["arg"] = new JsonObject { ["name"] = "c_lifted_tensor_0" }, ["tensor_constant_name"] = "lifted_tensor_0" } }, UserInput("x")],
        [UserOutput("add_2")], ["x"]);

    [Fact]
    public void Lift_fresh_copy_and_detach_of_a_lifted_constant_run_and_leave_the_constant_alone()
    {
        using var files = new ArchiveFiles();
        var ep = Load(files, "cond_branch_nonlocal_variables", LiftedConstantModel(), ("lifted_tensor_0", [6f], []));
        var x = Torch.Randn(6);
        var module = ep.Module();
        Assert.True(module.Call(x).AllClose(x + (x + 100) + 6, 1e-6, 1e-6));
        Assert.True(module.Call(x).AllClose(x + (x + 100) + 6, 1e-6, 1e-6));
        Assert.Equal(6f, ep.Constants["lifted_tensor_0"].Item<float>());

        // torch's run_decompositions turns lift_fresh_copy into clone and drops detach_; so does Graphport's.
        var core = ep.RunDecompositions();
        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name is "aten::lift_fresh_copy" or "aten::detach_");
        Assert.Contains(core.Graph.Nodes, n => n.Op?.Name == "aten::clone");
        Assert.True(core.Module().Call(x).AllClose(x + (x + 100) + 6, 1e-6, 1e-6));
    }

    [Fact]
    public void Lift_fresh_copy_copies_and_detach_in_place_is_the_tensor_itself()
    {
        var c = Torch.Tensor(new[] { 1f, 2f });
        var copy = (Tensor)Aten.LiftFreshCopy.Call(c)!;
        copy.Add_(1);
        Assert.Equal([1f, 2f], c.ToArray<float>());
        Assert.Same(c, Aten.Detach_.Call(c));
    }

    // assume_constant_result: return x[: self.get_item(y)] with get_item returning y.int().item() under
    // torch._export.assume_constant_result (non-strict export traces it): y.to(int32) first checks y's metadata.
    private static string AssertMetadataModel() => Model(
        [Tensor("x"), Tensor("y")],
        [
            Node("torch.ops.aten._assert_tensor_metadata.default", "_assert_tensor_metadata_default",
                Inputs(("a", Tensor("y"), 1), ("dtype", ScalarType(I64), 2),
                       ("device", new JsonObject { ["as_device"] = new JsonObject { ["type"] = "cpu", ["index"] = null } }, 2), ("layout", new JsonObject { ["as_layout"] = 7 }, 2))),
            Node("torch.ops.aten.to.dtype", "to", Inputs(("self", Tensor("y"), 1), ("dtype", ScalarType(I32), 1)), Tensor("to")),
            Node("torch.ops.aten.item.default", "item", Inputs(("self", Tensor("to"), 1)), SymInt("item")),
            Node("torch.ops.aten.slice.Tensor", "slice_1", Inputs(("self", Tensor("x"), 1), ("dim", Int(0), 1), ("start", None(), 1), ("end", SymInt("item"), 1)), Tensor("slice_1")),
        ],
        [Tensor("slice_1")],
        new JsonObject
        {
            ["x"] = Meta(F32, 3, 2), ["y"] = Meta(I64), ["to"] = Meta(I32), ["slice_1"] = Meta(F32, "Symbol('u1', integer=True)", 2),
        },
        [UserInput("x"), UserInput("y")], [UserOutput("slice_1")], ["x", "y"],
        symIntValues: new JsonObject { ["item"] = new JsonObject { ["as_expr"] = new JsonObject { ["expr_str"] = "Symbol('u0', integer=True)", ["hint"] = null } } },
        rangeConstraints: new JsonObject
        {
            ["u0"] = new JsonObject { ["min_val"] = null, ["max_val"] = null },
            ["u1"] = new JsonObject { ["min_val"] = 0, ["max_val"] = 3 },
        });

    [Fact]
    public void Assert_tensor_metadata_checks_the_dtype_as_torch_does_before_to_dtype()
    {
        using var files = new ArchiveFiles();
        var ep = Load(files, "assume_constant_result", AssertMetadataModel());
        var x = Torch.Randn(3, 2);
        Assert.True(ep.Module().Call(x, Torch.Tensor(new long[] { 2 }).Reshape()).AllClose(x.Slice(0, 0, 2), 0, 0));
        Assert.True(ep.Module().Call(x, Torch.Tensor(new long[] { -1 }).Reshape()).AllClose(x.Slice(0, 0, 2), 0, 0));

        // Module() refuses an int32 y up front (its input checks); the graph's own check says the same when run directly.
        Assert.Contains("to have dtype torch.int64, but got torch.int32",
            Assert.Throws<ArgumentException>(() => ep.Module().Call(x, Torch.Tensor(new[] { 2 }).Reshape())).Message);
        var e = Assert.Throws<NodeExecutionException>(() => GraphInterpreter.Run(ep.Graph, [x, Torch.Tensor(new[] { 2 }).Reshape()]));
        Assert.Contains("Tensor dtype mismatch! Expected: Long, Got: Int", e.Message);
    }

    [Fact]
    public void Assert_tensor_metadata_says_what_differs_with_torchs_messages()
    {
        var a = Torch.Zeros(2, 3).To(DType.Int32);
        Assert.Empty((Tensor[])Aten.AssertTensorMetadata.Call(a, new long[] { 2, 3 }, new long[] { 3, 1 }, DType.Int32)!);
        Assert.Contains("Tensor dtype mismatch! Expected: Long, Got: Int",
            Assert.Throws<ArgumentException>(() => Aten.AssertTensorMetadata.Call(a, null, null, DType.Int64)).Message);
        Assert.Contains("Tensor sizes mismatch! Expected: [2, 4], Got: [2, 3]",
            Assert.Throws<ArgumentException>(() => Aten.AssertTensorMetadata.Call(a, new long[] { 2, 4 })).Message);
        Assert.Contains("Tensor strides mismatch! Expected: [1, 1], Got: [3, 1]",
            Assert.Throws<ArgumentException>(() => Aten.AssertTensorMetadata.Call(a, null, new long[] { 1, 1 })).Message);
        // A run-time assertion: it stays in the Core ATen dialect, as _assert_scalar does.
        Assert.Contains("side_effect", Aten.AssertTensorMetadata.Tags);
    }

    // user_input_mutation: x.mul_(2); return x.cos() - torch's training IR keeps mul_ and lists no mutation output.
    private static string InputMutationModel() => Model(
        [Tensor("x")],
        [
            Node("torch.ops.aten.mul_.Tensor", "mul_", Inputs(("self", Tensor("x"), 1), ("other", Int(2), 1)), Tensor("mul_")),
            Node("torch.ops.aten.cos.default", "cos", Inputs(("self", Tensor("mul_"), 1)), Tensor("cos")),
        ],
        [Tensor("cos")],
        new JsonObject { ["x"] = Meta(F32, 3, 2), ["mul_"] = Meta(F32, 3, 2), ["cos"] = Meta(F32, 3, 2) },
        [UserInput("x")], [UserOutput("cos")], ["x"]);

    [Fact]
    public void An_in_place_op_on_a_user_input_writes_the_callers_tensor_and_decomposes_to_a_user_input_mutation()
    {
        using var files = new ArchiveFiles();
        var ep = Load(files, "user_input_mutation", InputMutationModel());
        var original = Torch.Randn(3, 2);
        var x = original.Clone();
        Assert.True(ep.Module().Call(x).AllClose((original * 2).Cos(), 1e-6, 1e-6));
        Assert.True(x.AllClose(original * 2, 0, 0));

        // As torch's run_decompositions: the functionalized mul_ becomes a USER_INPUT_MUTATION output.
        var core = ep.RunDecompositions();
        Assert.DoesNotContain(core.Graph.Nodes, n => n.Op?.Name == "aten::mul_.Tensor");
        var mutation = Assert.Single(core.GraphSignature.OutputSpecs, s => s.Kind == OutputKind.UserInputMutation);
        Assert.Equal("x", mutation.Target);
        Assert.Equal(OutputKind.UserOutput, core.GraphSignature.OutputSpecs[^1].Kind);
        x = original.Clone();
        Assert.True(core.Module().Call(x).AllClose((original * 2).Cos(), 1e-6, 1e-6));
        Assert.True(x.AllClose(original * 2, 0, 0));
    }

    [Fact]
    public void A_buffer_written_in_place_decomposes_to_a_buffer_mutation()
    {
        // make_fixtures.py's counter (self.calls.add_(1); return x * self.calls): torch's training IR keeps add_ on
        // the buffer with no BUFFER_MUTATION output; decomposing must not lose the update.
        string counter = Path.Combine(TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "torch", "counter.pt2");
        var ep = ExportedProgram.Load(counter);
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.Name == "aten::add_.Tensor");
        var core = ep.RunDecompositions();
        var mutation = Assert.Single(core.GraphSignature.OutputSpecs, s => s.Kind == OutputKind.BufferMutation);
        Assert.Equal("calls", mutation.Target);
        var module = core.Module();
        var x = Torch.Randn(3);
        for (int call = 1; call <= 3; call++)
            Assert.True(module.Call(x).AllClose(x * call, 1e-6, 1e-6), $"call {call}");
        Assert.Equal(3f, module.StateDict["calls"].Item<float>());
    }
}
