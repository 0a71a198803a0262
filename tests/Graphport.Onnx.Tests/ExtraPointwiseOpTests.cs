using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// The less common elementwise ops: trigonometric and hyperbolic functions on their domains, IsInf/IsNaN on
/// non-finite inputs, CastLike, Mod in both sign conventions and the variadic Sum/Mean/Max/Min.
/// </summary>
public class ExtraPointwiseOpTests
{
    [Theory]
    [InlineData("Asin", -0.99f, 0.99f)]
    [InlineData("Acos", -0.99f, 0.99f)]
    [InlineData("Atanh", -0.99f, 0.99f)]
    [InlineData("Acosh", 1.01f, 5f)]
    [InlineData("Asinh", -5f, 5f)]
    [InlineData("Sinh", -3f, 3f)]
    [InlineData("Cosh", -3f, 3f)]
    [InlineData("Tan", -1.2f, 1.2f)]
    [InlineData("Atan", -5f, 5f)]
    public void Trigonometric_and_hyperbolic_functions_match_onnx_runtime_on_their_domains(string op, float min, float max)
    {
        var random = new Random(201);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4, 5)
            .Node(op, ["x"], ["y"])
            .Output("y", ElemType.Float, [3, 4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [3, 4, 5], min, max));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(1L, 1L)]
    [InlineData(1L, 0L)]
    [InlineData(0L, 1L)]
    [InlineData(0L, 0L)]
    public void IsInf_detects_the_requested_infinities(long? detectPositive, long? detectNegative)
    {
        var attributes = new List<OnnxAttr>();
        if (detectPositive is long p) attributes.Add(OnnxAttr.Int("detect_positive", p));
        if (detectNegative is long n) attributes.Add(OnnxAttr.Int("detect_negative", n));
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Node("IsInf", ["x"], ["y"], [.. attributes])
            .Output("y", ElemType.Bool, [3, 4])
            .Build();
        AssertMatchesOrt(model, WithSpecials("x", new Random(202), [3, 4]));
    }

    [Fact]
    public void IsNaN_marks_only_the_nans()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 4)
            .Node("IsNaN", ["x"], ["y"])
            .Output("y", ElemType.Bool, [3, 4])
            .Build();
        AssertMatchesOrt(model, WithSpecials("x", new Random(203), [3, 4]));
    }

    [Fact]
    public void CastLike_of_float_to_the_type_of_an_int64_tensor_truncates()
    {
        var random = new Random(204);
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Float, 4, 5)
            .Input("like", ElemType.Int64, 2)
            .Node("CastLike", ["x", "like"], ["y"])
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -50f, 50f), ModelInput.Longs("like", random, [2], 0, 10));
    }

    [Fact]
    public void CastLike_of_int64_to_the_type_of_a_float_tensor_keeps_the_values()
    {
        var random = new Random(205);
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Int64, 3, 4)
            .Input("like", ElemType.Float, 1)
            .Node("CastLike", ["x", "like"], ["y"])
            .Output("y", ElemType.Float, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [3, 4], -100000, 100000), ModelInput.Floats("like", random, [1]));
    }

    [Fact]
    public void CastLike_to_the_type_of_a_small_int64_initializer()
    {
        // A small int64 initializer is kept as known sizes while tracing; its dtype still decides the cast.
        var random = new Random(206);
        var model = new OnnxModelBuilder(15)
            .Input("x", ElemType.Float, 4, 5)
            .Initializer("like", [0L], 1)
            .Node("CastLike", ["x", "like"], ["y"])
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 5], -50f, 50f));
    }

    [Fact]
    public void Mod_with_fmod_0_of_int64_takes_the_sign_of_the_divisor()
    {
        var random = new Random(207);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Int64, 4, 5)
            .Input("b", ElemType.Int64, 4, 5)
            .Node("Mod", ["a", "b"], ["y"], OnnxAttr.Int("fmod", 0))
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [4, 5], -50, 50), NonZeroLongs("b", random, [4, 5], 7));
    }

    [Fact]
    public void Mod_without_fmod_of_int64_broadcasts_a_divisor_row()
    {
        var random = new Random(208);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Int64, 4, 5)
            .Input("b", ElemType.Int64, 5)
            .Node("Mod", ["a", "b"], ["y"])
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [4, 5], -50, 50), NonZeroLongs("b", random, [5], 7));
    }

    [Fact]
    public void Mod_with_fmod_1_of_float_takes_the_sign_of_the_dividend()
    {
        var random = new Random(209);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Float, 4, 5)
            .Input("b", ElemType.Float, 4, 5)
            .Node("Mod", ["a", "b"], ["y"], OnnxAttr.Int("fmod", 1))
            .Output("y", ElemType.Float, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [4, 5], -10f, 10f), ModelInput.AwayFromZero("b", random, [4, 5], 0.5f, 3f));
    }

    [Fact]
    public void Mod_with_fmod_1_of_int64_takes_the_sign_of_the_dividend()
    {
        var random = new Random(210);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Int64, 4, 5)
            .Input("b", ElemType.Int64, 4, 5)
            .Node("Mod", ["a", "b"], ["y"], OnnxAttr.Int("fmod", 1))
            .Output("y", ElemType.Int64, [4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [4, 5], -50, 50), NonZeroLongs("b", random, [4, 5], 7));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    public void Mod_of_small_int64_constants_folds_with_the_sign_convention_of_fmod(long fmod)
    {
        // Small int64 initializers are known values while tracing, so this Mod is computed at import time: the fold
        // must follow fmod as the traced op does (-7 mod 3 is 2 with fmod 0, -1 with fmod 1).
        var random = new Random(211);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Int64, 4)
            .Initializer("a", [-7L, 7L, -7L, 6L], 4)
            .Initializer("b", [3L, -3L, -3L, 4L], 4)
            .Node("Mod", ["a", "b"], ["m"], OnnxAttr.Int("fmod", fmod))
            .Node("Add", ["x", "m"], ["y"])
            .Output("y", ElemType.Int64, [4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("x", random, [4], -10, 10));
    }

    [Theory]
    [InlineData("Sum")]
    [InlineData("Mean")]
    [InlineData("Max")]
    [InlineData("Min")]
    public void Variadic_ops_combine_three_inputs(string op)
    {
        var random = new Random(212);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Float, 2, 3, 4)
            .Input("b", ElemType.Float, 2, 3, 4)
            .Input("c", ElemType.Float, 2, 3, 4)
            .Node(op, ["a", "b", "c"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [2, 3, 4]), ModelInput.Floats("b", random, [2, 3, 4]), ModelInput.Floats("c", random, [2, 3, 4]));
    }

    [Theory]
    [InlineData("Sum")]
    [InlineData("Mean")]
    [InlineData("Max")]
    [InlineData("Min")]
    public void Variadic_ops_broadcast_three_inputs_of_different_shapes(string op)
    {
        var random = new Random(213);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Float, 2, 1, 4)
            .Input("b", ElemType.Float, 3, 1)
            .Input("c", ElemType.Float, 4)
            .Node(op, ["a", "b", "c"], ["y"])
            .Output("y", ElemType.Float, [2, 3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [2, 1, 4]), ModelInput.Floats("b", random, [3, 1]), ModelInput.Floats("c", random, [4]));
    }

    [Theory]
    [InlineData("Max")]
    [InlineData("Min")]
    public void Max_and_Min_of_int64_are_exact(string op)
    {
        var random = new Random(214);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.Int64, 3, 4)
            .Input("b", ElemType.Int64, 3, 4)
            .Input("c", ElemType.Int64, 3, 4)
            .Node(op, ["a", "b", "c"], ["y"])
            .Output("y", ElemType.Int64, [3, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [3, 4], -100, 100), ModelInput.Longs("b", random, [3, 4], -100, 100), ModelInput.Longs("c", random, [3, 4], -100, 100));
    }

    /// <summary>Random floats with +inf, -inf and NaN placed at seeded positions (each at least twice).</summary>
    private static ModelInput WithSpecials(string name, Random random, long[] shape)
    {
        var x = ModelInput.Floats(name, random, shape, -100f, 100f);
        var data = (float[])x.Data;
        float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        var positions = Enumerable.Range(0, data.Length).OrderBy(_ => random.Next()).Take(specials.Length).ToArray();
        for (int i = 0; i < specials.Length; i++) data[positions[i]] = specials[i];
        return x;
    }

    /// <summary>Uniform integers in [-magnitude, magnitude] except 0: integer divisors that never divide by zero.</summary>
    private static ModelInput NonZeroLongs(string name, Random random, long[] shape, long magnitude)
    {
        var x = ModelInput.Longs(name, random, shape, 1, magnitude + 1);
        var data = (long[])x.Data;
        for (int i = 0; i < data.Length; i++) if (random.Next(2) == 0) data[i] = -data[i];
        return x;
    }
}
