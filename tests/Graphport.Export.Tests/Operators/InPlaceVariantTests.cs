using Graphport.Operators;

namespace Graphport.Tests.Operators;

/// <summary>
/// In-place variants torch's training IR records (nn.SiLU(inplace=True) as aten.silu_, dropout_ in eval) are declared
/// the first time they are looked up, from their functional op: self written and returned, and run by writing the
/// functional result back.
/// </summary>
public class InPlaceVariantTests
{
    [Fact]
    public void An_in_place_variant_is_the_functional_schema_with_self_written_and_returned()
    {
        Assert.True(Torch.Ops.TryGet("aten.silu_.default", out var silu));
        Assert.Equal("aten::silu_(Tensor(a!) self) -> Tensor(a!)", silu.Schema.ToString());
        // dropout names its tensor "input"; every in-place schema calls the written tensor "self", as .pt2 files spell it.
        Assert.Equal("aten::dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)", Torch.Ops["aten::dropout_"].Schema.ToString());
        Assert.DoesNotContain("core", silu.Tags);
        // It decomposes as the in-place ops declared up front do, so every aten op still reaches the core opset.
        Assert.True(Decompositions.Has(silu));
        Assert.Empty(OpCoverage.Compute().NonCoreUnreachable);
        Assert.Contains(OpRegistry.DerivedInPlaceTag, silu.Tags);
    }

    [Fact]
    public void Its_decomposition_computes_the_functional_op_and_writes_it_back()
    {
        var op = Torch.Ops["aten::silu_"];
        var x = Tensor.FromArray(new[] { -1f, 0.5f, 2f }, 3);
        var expected = x.ToArray<float>().Select(v => v / (1 + MathF.Exp(-v))).ToArray();
        var result = (Tensor)Decompositions.Default()[op]([x])!;
        Assert.Equal(expected, x.ToArray<float>(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(expected, result.ToArray<float>(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Calling_one_writes_the_functional_result_into_the_tensor_and_returns_it()
    {
        var x = Tensor.FromArray(new[] { -2f, -0.5f, 0f, 1.5f, 3f }, 5);
        var expected = x.ToArray<float>().Select(v => v / (1 + MathF.Exp(-v))).ToArray();
        var returned = Torch.Ops["aten::silu_"].CallTensor(x);
        Assert.Same(x, returned);
        Assert.Equal(expected, x.ToArray<float>(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void A_name_with_no_functional_op_behind_it_stays_unknown()
    {
        Assert.False(Torch.Ops.TryGet("aten::no_such_op_", out _));
        Assert.False(Torch.Ops.TryGet("aten::t_", out _));  // t is a view; its in-place form is not derived
        var error = Assert.Throws<KeyNotFoundException>(() => Torch.Ops["aten::no_such_op_"]);
        Assert.Contains("no_such_op_", error.Message);
    }
}
