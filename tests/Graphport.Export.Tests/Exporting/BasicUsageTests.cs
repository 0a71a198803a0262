using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

public class BasicUsageTests
{
    private static ExportedProgram ExportMyModule(out MyModule module)
    {
        ManualSeed(1);
        module = new MyModule();
        return Export(module, [Randn(8, 100), Randn(8, 100)]);
    }

    [Fact]
    public void Linear_plus_inplace_relu_exports_as_functional_aten_ops()
    {
        var ep = ExportMyModule(out _);
        var calls = ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => n.Op!.Target).ToList();
        Assert.Equal(["aten.add.Tensor", "aten.t.default", "aten.addmm.default", "aten.relu.default"], calls);
    }

    [Fact]
    public void Printed_program_has_torchs_layout()
    {
        var ep = ExportMyModule(out _);
        var (file, line) = SourceLines.Marker("mymodule");
        string text = ep.ToString();
        Assert.StartsWith("ExportedProgram:\n    class GraphModule(torch.nn.Module):\n        def forward(self, p_lin_weight: \"f32[10, 100]\", p_lin_bias: \"f32[10]\", x: \"f32[8, 100]\", y: \"f32[8, 100]\"):\n", text);
        Assert.Contains($"            # File: {file}:{line} in MyModule.Forward, code: public override Tensor Forward(Tensor x, Tensor y) => F.Relu(lin.Call(x + y), inplace: true); // LINE:mymodule\n", text);
        Assert.Contains("            add: \"f32[8, 100]\" = torch.ops.aten.add.Tensor(x, y);  x = y = None\n", text);
        Assert.Contains("            t: \"f32[100, 10]\" = torch.ops.aten.t.default(p_lin_weight);  p_lin_weight = None\n", text);
        Assert.Contains("            addmm: \"f32[8, 10]\" = torch.ops.aten.addmm.default(p_lin_bias, add, t);  p_lin_bias = add = t = None\n", text);
        Assert.Contains("            relu: \"f32[8, 10]\" = torch.ops.aten.relu.default(addmm);  addmm = None\n            return (relu,)\n", text);
        Assert.Contains("Range constraints: {}", text);
    }

    [Fact]
    public void Graph_signature_prints_like_torchs_ExportGraphSignature()
    {
        var ep = ExportMyModule(out _);
        Assert.Equal(
            "ExportGraphSignature(input_specs=[InputSpec(kind=<InputKind.PARAMETER: 2>, arg=TensorArgument(name='p_lin_weight'), target='lin.weight', persistent=None), " +
            "InputSpec(kind=<InputKind.PARAMETER: 2>, arg=TensorArgument(name='p_lin_bias'), target='lin.bias', persistent=None), " +
            "InputSpec(kind=<InputKind.USER_INPUT: 1>, arg=TensorArgument(name='x'), target=None, persistent=None), " +
            "InputSpec(kind=<InputKind.USER_INPUT: 1>, arg=TensorArgument(name='y'), target=None, persistent=None)], " +
            "output_specs=[OutputSpec(kind=<OutputKind.USER_OUTPUT: 1>, arg=TensorArgument(name='relu'), target=None)])",
            ep.GraphSignature.ToString());
    }

    [Fact]
    public void Graph_listing_prints_like_fx()
    {
        ManualSeed(2);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        Assert.Equal(
            "graph():\n" +
            "    %p_linear_weight : [num_users=1] = placeholder[target=p_linear_weight]\n" +
            "    %p_linear_bias : [num_users=1] = placeholder[target=p_linear_bias]\n" +
            "    %x : [num_users=1] = placeholder[target=x]\n" +
            "    %t : [num_users=1] = call_function[target=torch.ops.aten.t.default](args = (%p_linear_weight,), kwargs = {})\n" +
            "    %addmm : [num_users=1] = call_function[target=torch.ops.aten.addmm.default](args = (%p_linear_bias, %x, %t), kwargs = {})\n" +
            "    return (addmm,)",
            ep.Graph.ToString());
    }

    [Fact]
    public void Exported_module_matches_the_eager_module_on_random_inputs()
    {
        var ep = ExportMyModule(out var module);
        var callable = ep.Module();
        for (ulong seed = 10; seed < 15; seed++)
        {
            ManualSeed(seed);
            var x = Randn(8, 100);
            var y = Randn(8, 100);
            var expected = module.Call(x, y);
            var actual = callable.Call(x, y);
            Assert.True(actual.AllClose(expected, rtol: 1e-5, atol: 1e-6), $"seed {seed}: max diff {(actual - expected).Abs().Max().Item()}");
        }
    }

    [Fact]
    public void The_running_example_matches_eager_on_random_inputs()
    {
        ManualSeed(9);
        var module = new LinearOnly();
        var ep = Export(module, [Randn(2, 3)]);
        for (int i = 0; i < 5; i++)
        {
            var x = Randn(2, 3);
            Assert.True(ep.Module().Call(x).AllClose(module.Call(x), 1e-6, 1e-6));
        }
    }

    [Fact]
    public void State_dict_holds_the_parameters_by_dotted_name()
    {
        var ep = ExportMyModule(out var module);
        Assert.Equal(["lin.weight", "lin.bias"], ep.StateDict.Keys);
        Assert.True(ep.StateDict["lin.weight"].AllClose(module.StateDict()["lin.weight"]));
    }

    [Fact]
    public void Nodes_carry_shape_source_line_and_module_stack()
    {
        var ep = ExportMyModule(out _);
        var addmm = ep.Graph.Nodes.Single(n => n.Op?.OpName == "addmm");
        Assert.Equal("f32[8, 10]", addmm.TensorValue.Describe());
        Assert.Equal(SourceLines.Marker("mymodule").Line, addmm.Source!.Line);
        Assert.Equal("lin", Assert.Single(addmm.ModuleStack).Path);
        var add = ep.Graph.Nodes.Single(n => n.Op?.OpName == "add");
        Assert.Empty(add.ModuleStack);
    }

    [Fact]
    public void Export_does_not_run_or_mutate_the_real_module()
    {
        ManualSeed(3);
        var module = new MyModule();
        var before = module.StateDict()["lin.weight"].Clone();
        var x = Randn(8, 100);
        var xBefore = x.Clone();
        Export(module, [x, Randn(8, 100)]);
        Assert.True(module.StateDict()["lin.weight"].AllClose(before, 0, 0));
        Assert.True(x.AllClose(xBefore, 0, 0));
    }
}
