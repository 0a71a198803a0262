using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.Exporting;

/// <summary>
/// ExportedModule.Profile: one call, timed node by node, summed per op; what it returns is what Invoke returns, and a
/// frozen module's profile says which nodes it folded or fused.
/// </summary>
public class ProfileTests
{
    private sealed class ConvNet : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 8, 3, padding: 1);
        private readonly BatchNorm2d norm = new(8);
        private readonly Linear head = new(8, 4);

        public override Tensor Forward(Tensor x) => head.Call(F.Relu(norm.Call(conv.Call(x)) * 0.5 + 0.25).Mean([2, 3]));
    }

    [Fact]
    public void A_profile_times_every_call_node_sums_them_per_op_and_returns_the_call_output()
    {
        ManualSeed(3);
        var program = Export(new ConvNet().Eval(), [Randn(2, 3, 16, 16)]);
        var x = Randn(2, 3, 16, 16);
        var module = program.Module();

        var profile = module.Profile(x);

        int calls = program.Graph.Nodes.Count(n => n.Kind == Graphs.NodeKind.CallFunction);
        Assert.Equal(calls, profile.Nodes.Count);
        Assert.All(profile.Nodes, n => Assert.True(n.Milliseconds >= 0 && n.Frozen is null));
        Assert.Equal(program.Graph.Nodes.Where(n => n.Kind == Graphs.NodeKind.CallFunction).Select(n => n.Name), profile.Nodes.Select(n => n.Node));
        Assert.True(profile.TotalMilliseconds >= profile.Nodes.Sum(n => n.Milliseconds));
        var convolution = Assert.Single(profile.ByTarget(), t => t.Target == "aten.convolution.default");
        Assert.Equal(1, convolution.Calls);
        Assert.Equal(((Tensor)module.Invoke(x)!).ToArray<float>(), ((Tensor)profile.Output!).ToArray<float>());
        var table = profile.ToString();
        Assert.StartsWith("target", table);
        Assert.Contains("aten.convolution.default", table);
        Assert.Contains($"{calls} nodes:", table);
    }

    [Fact]
    public void A_frozen_module_profile_names_the_folded_and_fused_nodes()
    {
        ManualSeed(4);
        var program = Export(new ConvNet().Eval(), [Randn(2, 3, 16, 16)]);
        var frozen = program.Module().Freeze();

        var profile = frozen.Profile(Randn(2, 3, 16, 16));

        var kinds = profile.ByTarget().Select(t => t.Target).ToList();
        // Batch norm and the affine folded in, the ReLU run on its output in the same pass.
        Assert.Contains("frozen: convolution with its ReLU", kinds);
        Assert.Contains("frozen: folded or fused away (hands a value on)", kinds);
        Assert.Contains("frozen: matrix product with packed weight", kinds.Select(k => k.Split(" and ")[0]));
        Assert.DoesNotContain("aten.convolution.default", kinds);
    }
}
