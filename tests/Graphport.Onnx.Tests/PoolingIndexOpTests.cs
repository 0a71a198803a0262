using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// MaxPool's Indices output (counted over the whole input tensor), MaxUnpool (to the default size and to an
/// output_shape), LpPool and GlobalLpPool (p 1 to 3, padding, ceil mode), each against ONNX Runtime on random inputs.
/// </summary>
public class PoolingIndexOpTests
{
    public static TheoryData<long[], long[], long[], long[]> IndexedPools() => new()
    {
        { [2, 3, 7, 6], [3, 3], [2, 2], [1, 1, 1, 1] },
        { [1, 2, 8, 8], [2, 2], [2, 2], [0, 0, 0, 0] },
        { [2, 4, 9], [3], [2], [1, 1] },
        { [1, 2, 4, 6, 5], [2, 2, 2], [2, 2, 1], [0, 1, 0, 0, 1, 0] },
    };

    [Theory]
    [MemberData(nameof(IndexedPools))]
    public void MaxPool_gives_onnx_runtimes_values_and_indices(long[] x, long[] kernel, long[] strides, long[] pads)
    {
        var random = new Random((int)x.Sum() * 13 + kernel.Length);
        var model = new OnnxModelBuilder(12)
            .Input("x", ElemType.Float, x.Cast<object?>().ToArray())
            .Node("MaxPool", ["x"], ["y", "i"], OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("pads", pads))
            .Output("y", ElemType.Float)
            .Output("i", ElemType.Int64)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, x));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MaxUnpool_writes_maxpools_values_back_where_they_came_from(bool withOutputShape)
    {
        var random = new Random(withOutputShape ? 71 : 72);
        long[] x = [2, 3, 6, 9];
        var builder = new OnnxModelBuilder(12)
            .Input("x", ElemType.Float, x.Cast<object?>().ToArray())
            .Node("MaxPool", ["x"], ["y", "i"], OnnxAttr.Ints("kernel_shape", 2, 3), OnnxAttr.Ints("strides", 2, 3));
        if (withOutputShape) builder = builder.Initializer("shape", new long[] { 2, 3, 7, 10 }, 4);
        var model = builder
            .Node("MaxUnpool", withOutputShape ? ["y", "i", "shape"] : ["y", "i"], ["z"], OnnxAttr.Ints("kernel_shape", 2, 3), OnnxAttr.Ints("strides", 2, 3))
            .Output("z", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, x));
    }

    public static TheoryData<long, long[], long[], long[], long> LpPools() => new()
    {
        { 2, [2, 3, 7, 6], [3, 3], [1, 1, 1, 1], 0 },
        { 1, [1, 2, 8, 5], [2, 3], [0, 1, 0, 1], 0 },
        { 3, [2, 2, 9], [4], [2, 1], 1 },
        { 2, [1, 2, 5, 4, 6], [2, 2, 3], [0, 0, 0, 0, 0, 0], 1 },
    };

    [Theory]
    [MemberData(nameof(LpPools))]
    public void LpPool_is_the_p_norm_of_each_window(long p, long[] x, long[] kernel, long[] pads, long ceil)
    {
        var random = new Random((int)x.Sum() * 7 + (int)p);
        var strides = kernel.Select(k => Math.Max(1, k - 1)).ToArray();
        var model = new OnnxModelBuilder(18)
            .Input("x", ElemType.Float, x.Cast<object?>().ToArray())
            .Node("LpPool", ["x"], ["y"], OnnxAttr.Int("p", p), OnnxAttr.Ints("kernel_shape", kernel), OnnxAttr.Ints("strides", strides), OnnxAttr.Ints("pads", pads), OnnxAttr.Int("ceil_mode", ceil))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, [ModelInput.Floats("x", random, x)], Tolerance.Float32);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void GlobalLpPool_is_the_p_norm_of_each_channel(long p)
    {
        var random = new Random(80 + (int)p);
        var model = new OnnxModelBuilder(12)
            .Input("x", ElemType.Float, 2, 3, 5, 4)
            .Node("GlobalLpPool", ["x"], ["y"], OnnxAttr.Int("p", p))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 3, 5, 4]));
    }
}
