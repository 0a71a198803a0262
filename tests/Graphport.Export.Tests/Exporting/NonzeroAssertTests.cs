using Graphport.Shapes;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>
/// nonzero's data-dependent count u0, as torch.export records it: range [0, numel] and, right after the nonzero node,
/// two run-time assertions (u0 &gt;= 0 and u0 &lt;= numel) with torch's messages.
/// </summary>
public class NonzeroAssertTests
{
    private sealed class NonzeroOf : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x) => x.Nonzero();
    }

    [Fact]
    public void Nonzero_is_followed_by_torchs_two_runtime_assertions_on_its_count()
    {
        ManualSeed(5);
        var program = Export(new NonzeroOf(), [Randn(3, 4)]);
        string graph = program.Graph.ToString();
        Assert.Contains("%sym_size_int : [num_users=2] = call_function[target=torch.ops.aten.sym_size.int](args = (%nonzero, 0)", graph);
        Assert.Contains("_assert_scalar.default](args = (%ge, 'Runtime assertion failed for expression u0 >= 0 on node \\'ge\\'')", graph);
        Assert.Contains("_assert_scalar.default](args = (%le, 'Runtime assertion failed for expression u0 <= 12 on node \\'le\\'')", graph);
        Assert.Equal(new ValueRange(0, 12), program.RangeConstraints["u0"]);
        var x = Randn(3, 4).Relu();
        var expected = x.Nonzero();
        foreach (var run in new[] { program, program.RunDecompositions() })
        {
            var got = (Tensor)run.Module().Call(x)!;
            Assert.Equal(expected.Shape, got.Shape);
            Assert.Equal(expected.ToArray<long>(), got.ToArray<long>());
        }
    }
}
