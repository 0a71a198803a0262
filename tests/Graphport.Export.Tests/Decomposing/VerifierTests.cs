using Graphport.Graphs;
using Graphport.Tests.Exporting;
using static Graphport.Torch;

namespace Graphport.Tests.Decomposing;

public class VerifierTests
{
    [Fact]
    public void Exported_and_decomposed_programs_verify()
    {
        ManualSeed(90);
        var ep = Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]);
        ep.Verify();
        ep.RunDecompositions().Verify(requireCore: true);
    }

    [Fact]
    public void The_core_dialect_rejects_non_core_ops_by_name()
    {
        ManualSeed(91);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var e = Assert.Throws<VerificationException>(() => ep.Verify(requireCore: true));
        Assert.Contains("t calls aten::t, which is not in the Core ATen opset", e.Message);
    }

    [Fact]
    public void Inconsistent_node_metadata_is_reported()
    {
        ManualSeed(92);
        var ep = Export(new LinearOnly(), [Randn(2, 3)]);
        var addmm = ep.Graph.Nodes.Single(n => n.Op?.OpName == "addmm");
        addmm.Value = new TensorMeta(DType.Float32, [2, 5]);
        var e = Assert.Throws<VerificationException>(() => ep.Verify());
        Assert.Contains("addmm: recorded f32[2, 5] but aten::addmm computes f32[2, 4] from its inputs.", e.Message);
    }
}
