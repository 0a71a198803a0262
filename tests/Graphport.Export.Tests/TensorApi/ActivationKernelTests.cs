using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.TensorApi;

/// <summary>Activation functions (functional and module forms) against their formulas in double.</summary>
public class ActivationKernelTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Relu6(double x) => Math.Clamp(x, 0, 6);

    public static TheoryData<string, DType> Cases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var name in new[] { "gelu", "gelu_tanh", "silu", "hardswish", "hardsigmoid", "relu6", "leaky_relu", "elu", "softplus", "hardtanh", "sigmoid", "tanh" })
        {
            data.Add(name, DType.Float32);
            data.Add(name, DType.Float64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Activation_matches_its_formula(string name, DType dtype)
    {
        var (rtol, atol) = Tol(dtype);
        // Covers the flat regions and the kinks of the piecewise functions (±3 for hardswish, 0 and 6 for relu6).
        var x = Reference.Random(1, [4, 40], dtype, -8, 8).T();
        (Tensor r, Func<double, double> f) = name switch
        {
            "gelu" => (Functional.Gelu(x), (Func<double, double>)(v => 0.5 * v * (1 + PointwiseKernelTests.Erf(v / Math.Sqrt(2))))),
            "gelu_tanh" => (Functional.Gelu(x, "tanh"), v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))),
            "silu" => (Functional.Silu(x), v => v * Sigmoid(v)),
            "hardswish" => (Functional.Hardswish(x), v => v * Relu6(v + 3) / 6),
            "hardsigmoid" => (Functional.Hardsigmoid(x), v => Relu6(v + 3) / 6),
            "relu6" => (Functional.Relu6(x), Relu6),
            "leaky_relu" => (Functional.LeakyRelu(x, 0.2), v => v >= 0 ? v : 0.2 * v),
            "elu" => (Functional.Elu(x, 1.5), v => v > 0 ? v : 1.5 * (Math.Exp(v) - 1)),
            "softplus" => (Functional.Softplus(x, 2, 10), v => v * 2 > 10 ? v : Math.Log(1 + Math.Exp(2 * v)) / 2),
            "hardtanh" => (Functional.Hardtanh(x, -2, 1.5), v => Math.Clamp(v, -2, 1.5)),
            "sigmoid" => (Functional.Sigmoid(x), Sigmoid),
            _ => (Functional.Tanh(x), Math.Tanh),
        };
        AssertClose(Values(x).Select(f).ToArray(), [40, 4], r, rtol * 10, atol * 10, dtype);
    }

    [Fact]
    public void Activation_modules_apply_their_functional_forms()
    {
        var x = Reference.Random(2, [3, 5], DType.Float32, -5, 5);
        var xv = Values(x);
        void Check(Module<Tensor, Tensor> m, Func<double, double> f) => AssertClose(xv.Select(f).ToArray(), [3, 5], m.Call(x), 1e-5, 1e-6);
        Check(new ReLU(), v => Math.Max(v, 0));
        Check(new ReLU6(), Relu6);
        Check(new GELU(), v => 0.5 * v * (1 + PointwiseKernelTests.Erf(v / Math.Sqrt(2))));
        Check(new GELU("tanh"), v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
        Check(new SiLU(), v => v * Sigmoid(v));
        Check(new Hardswish(), v => v * Relu6(v + 3) / 6);
        Check(new Sigmoid(), Sigmoid);
        Check(new Tanh(), Math.Tanh);
        Check(new Identity(), v => v);
    }

    [Fact]
    public void Inplace_relu_writes_into_its_input()
    {
        var x = Reference.Random(3, [8]);
        var expected = Values(x).Select(v => Math.Max(v, 0)).ToArray();
        var r = new ReLU(inplace: true).Call(x);
        Assert.Same(x, r);
        Assert.Equal(expected, Values(x));
    }

    [Fact]
    public void Gelu_rejects_an_unknown_approximation()
    {
        var e = Assert.ThrowsAny<Exception>(() => Functional.Gelu(Torch.Zeros(2), "fast"));
        Assert.Contains("approximate must be 'none' or 'tanh'", e.Message);
    }

    [Fact]
    public void Softmax_and_flatten_modules()
    {
        var x = Reference.Random(4, [2, 3, 4], DType.Float64);
        var s = new Softmax(1).Call(x);
        var sums = Values(s.Sum(1));
        Assert.All(sums, v => Assert.Equal(1.0, v, 12));
        Assert.Equal([2L, 12L], Sizes(new Flatten().Call(x)));
        Assert.Equal([24L], Sizes(new Flatten(0).Call(x)));
    }
}
