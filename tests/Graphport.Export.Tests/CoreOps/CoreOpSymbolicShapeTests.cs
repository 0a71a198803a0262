using Graphport.Tests.OpOracle;
using static Graphport.Tests.CoreOps.CoreOpCalls;

namespace Graphport.Tests.CoreOps;

/// <summary>
/// The metas of the added core ops work on symbolic sizes: each op exported with a dynamic batch dim records no
/// guard on it, keeps the batch symbolic in its output, and the program runs at another batch size.
/// </summary>
public class CoreOpSymbolicShapeTests
{
    /// <summary>An op call whose first argument (and every tensor with the same leading size) has a dynamic batch dim.</summary>
    public sealed record SymbolicCase(string Op, Func<long, object?[]> Args, bool KeepsBatch = true)
    {
        public override string ToString() => Op;
    }

    private static Tensor R(long[] shape, DType dtype = DType.Float32, double lo = -3, double hi = 3) => Random(shape.Aggregate(7, (h, s) => h * 31 + (int)s), shape, dtype, lo, hi);

    private static readonly SymbolicCase[] Cases =
    [
        new("aten::acosh", b => [R([b, 3], DType.Float32, 1, 4)]),
        new("aten::add.Scalar", b => [R([b, 3]), 2.5, 2L]),
        new("aten::clamp.Tensor", b => [R([b, 3]), R([3]), R([1], DType.Float32, 1, 2)]),
        new("aten::any.dim", b => [R([b, 3], DType.Bool), 1L]),
        new("aten::prod", b => [R([b, 3], DType.Float32, 0.5, 1.5)], KeepsBatch: false),
        new("aten::var.dim", b => [R([b, 4]), new long[] { 1 }, true]),
        new("aten::flip", b => [R([b, 3, 2]), new long[] { 0, 2 }]),
        new("aten::repeat", b => [R([b, 3]), new long[] { 2, 1, 2 }]),
        new("aten::split_with_sizes", b => [R([b, 5]), new long[] { 2, 3 }, 1L]),
        new("aten::index.Tensor", b => [R([b, 5]), new Tensor?[] { null, Tensor.FromArray(new long[] { 4, 0, 4 }, 3) }]),
        new("aten::index_put", b => [R([b, 5]), new Tensor?[] { null, Tensor.FromArray(new long[] { 1, 3 }, 2) }, R([2]), true]),
        new("aten::scatter_add", b => [R([b, 4]), 1L, R([b, 2], DType.Int64, 0, 4), R([b, 2])]),
        new("aten::scatter_reduce.two", b => [R([b, 4]), 1L, R([b, 2], DType.Int64, 0, 4), R([b, 2]), "amax", false]),
        new("aten::sort", b => [R([b, 5]), 1L, true]),
        new("aten::topk", b => [R([b, 5]), 2L]),
        new("aten::masked_scatter", b => [R([b, 3]), Tensor.FromArray(new[] { true, false, true }, 3), R([b, 3])]),
        new("aten::avg_pool1d", b => [R([b, 2, 9]), new long[] { 3 }, new long[] { 2 }, new long[] { 1 }, true, false]),
        new("aten::avg_pool3d", b => [R([b, 2, 4, 4, 5]), new long[] { 2 }]),
        new("aten::max_pool3d_with_indices", b => [R([b, 2, 4, 4, 5]), new long[] { 2, 2, 3 }, new long[] { 2 }, new long[] { 1 }]),
        new("aten::adaptive_avg_pool1d", b => [R([b, 2, 9]), new long[] { 4 }]),
        new("aten::_adaptive_avg_pool3d", b => [R([b, 2, 4, 4, 5]), new long[] { 2, 3, 1 }]),
        new("aten::reflection_pad2d", b => [R([b, 2, 4, 5]), new long[] { 1, 2, 3, 0 }]),
        new("aten::replication_pad3d", b => [R([b, 2, 2, 3, 4]), new long[] { 1, 1, 0, 2, 1, 0 }]),
        new("aten::grid_sampler_2d", b => [R([b, 2, 4, 5]), R([b, 3, 2, 2], DType.Float32, -1, 1), 0L, 0L, false]),
        new("aten::col2im", b => [R([b, 12, 9]), new long[] { 4, 5 }, new long[] { 2, 3 }, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }]),
        new("aten::_cdist_forward", b => [R([b, 4, 3]), R([5, 3]), 2.0, null]),
        new("aten::_pdist_forward", b => [R([b, 3]), 2.0]),
        new("aten::_native_batch_norm_legit.no_stats", b => [R([b, 3, 4]), R([3]), R([3]), true, 0.1, 1e-5]),
        new("aten::native_layer_norm_backward", b => [R([b, 3]), R([b, 3]), new long[] { 3 }, R([b, 1]), R([b, 1], DType.Float32, 0.5, 1), R([3]), R([3]), new[] { true, true, true }]),
        new("aten::embedding_dense_backward", b => [R([b, 3]), R([b], DType.Int64, 0, 6), 6L, -1L, false], KeepsBatch: false),
        new("aten::one_hot", b => [R([b, 2], DType.Int64, 0, 4), 4L]),
    ];

    public static TheoryData<SymbolicCase> All() => new(Cases);

    [Theory]
    [MemberData(nameof(All))]
    public void The_op_traces_with_a_dynamic_batch_without_guards(SymbolicCase c)
    {
        var op = Torch.Ops[c.Op];
        var args = c.Args(4);
        var inputs = SingleOpModule.TensorsOf(args);
        bool[] marked = inputs.Select(t => t.Ndim > 0 && t.Shape[0].Hint == 4).ToArray();
        var dim = new Dim("batch");
        var specs = inputs.Select((t, i) => marked[i] ? new ShapeSpec { [0] = dim } : null).ToArray();
        var ep = Torch.Export(new SingleOpModule(op, args), [inputs], dynamicShapes: DynamicShapes.Positional(ShapeSpec.List(specs)), strict: false);
        Assert.True(ep.ShapeEnv.Guards.Count == 0, $"{c.Op} guarded on: {string.Join("; ", ep.ShapeEnv.Guards)}");
        var node = ep.Graph.Nodes.Single(n => n.Op == op);
        var outputs = node.Value switch
        {
            TensorMeta m => [m],
            TensorMeta[] ms => ms,
            _ => Array.Empty<TensorMeta>(),
        };
        if (c.KeepsBatch) Assert.Contains(outputs, m => m.Shape.Any(s => s.IsSymbolic));

        var other = c.Args(6);
        var expected = op.Call(op.BindArgs(other));
        Agree.Results(expected, ep.Module().Invoke([SingleOpModule.TensorsOf(other)]), Agreement.Values, $"{c.Op} at batch 6");
    }
}
