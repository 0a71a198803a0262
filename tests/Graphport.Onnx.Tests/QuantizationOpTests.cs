using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Quantized ONNX models against ONNX Runtime (which the oracle runs op by op, without fusing QDQ into QLinear
/// kernels): the QDQ form ONNX Runtime's static quantization writes, dynamic quantization's DynamicQuantizeLinear
/// and MatMulInteger, and the QOperator ops. Integer outputs must agree exactly.
/// </summary>
public class QuantizationOpTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QuantizeLinear_rounds_half_to_even_adds_the_zero_point_and_saturates(bool signed)
    {
        var random = new Random(400 + (signed ? 1 : 0));
        var builder = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3, 20)
            .Initializer("scale", [0.05f])
            .Output("y", signed ? ElemType.Int8 : ElemType.UInt8, [3, 20]);
        builder = signed ? builder.Initializer("zp", new sbyte[] { -3 }) : builder.Initializer("zp", new byte[] { 128 });
        var model = builder.Node("QuantizeLinear", ["x", "scale", "zp"], ["y"]).Build();
        // Past the range on both sides (saturation), and exact halves of the scale (ties to even).
        var data = ModelInput.Floats("x", random, [3, 20], -9f, 9f);
        var values = (float[])data.Data;
        for (int i = 0; i < 10; i++) values[i] = (i - 5) * 0.025f;
        AssertMatchesOrt(model, data);
    }

    [Fact]
    public void QuantizeLinear_and_DequantizeLinear_per_axis_use_each_channel_s_scale_and_zero_point()
    {
        var random = new Random(410);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 2, 4, 5)
            .Initializer("scale", [0.01f, 0.02f, 0.05f, 0.1f], 4)
            .Initializer("zp", new sbyte[] { 0, -10, 5, 20 }, 4)
            .Node("QuantizeLinear", ["x", "scale", "zp"], ["q"], OnnxAttr.Int("axis", 1))
            .Node("DequantizeLinear", ["q", "scale", "zp"], ["y"], OnnxAttr.Int("axis", 1))
            .Output("q", ElemType.Int8, [2, 4, 5])
            .Output("y", ElemType.Float, [2, 4, 5])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 4, 5], -3f, 3f));
    }

    [Fact]
    public void DequantizeLinear_of_an_int32_bias_has_no_zero_point()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 3)
            .Initializer("b", new[] { 123456789, -5, 40000 }, 3)
            .Initializer("s", [0.0003f])
            .Node("DequantizeLinear", ["b", "s"], ["bf"])
            .Node("Add", ["x", "bf"], ["y"])
            .Output("y", ElemType.Float, [3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", new Random(420), [3]));
    }

    [Fact]
    public void A_QDQ_convolution_with_per_channel_int8_weights_matches_onnx_runtime()
    {
        // What ONNX Runtime's quantize_static writes: activations through QuantizeLinear/DequantizeLinear pairs, weights
        // int8 per output channel behind a DequantizeLinear, the float convolution between.
        var random = new Random(430);
        const int outChannels = 4, inChannels = 3;
        var weights = Enumerable.Range(0, outChannels * inChannels * 9).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 1, inChannels, 6, 6)
            .Initializer("x_scale", [0.02f]).Initializer("x_zp", new byte[] { 120 })
            .Initializer("w", weights, outChannels, inChannels, 3, 3)
            .Initializer("w_scale", [0.004f, 0.003f, 0.005f, 0.002f], outChannels)
            .Initializer("w_zp", new sbyte[] { 0, 0, 0, 0 }, outChannels)
            .Initializer("bias", RandomData.Floats(random, outChannels), outChannels)
            .Initializer("y_scale", [0.05f]).Initializer("y_zp", new byte[] { 100 })
            .Node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "x_scale", "x_zp"], ["xd"])
            .Node("DequantizeLinear", ["w", "w_scale", "w_zp"], ["wd"], OnnxAttr.Int("axis", 0))
            .Node("Conv", ["xd", "wd", "bias"], ["conv"], OnnxAttr.Ints("pads", 1, 1, 1, 1))
            .Node("QuantizeLinear", ["conv", "y_scale", "y_zp"], ["yq"])
            .Node("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"])
            .Output("y", ElemType.Float, [1, outChannels, 6, 6])
            .Build();
        // The float convolutions sum in different orders, so a value within a rounding error of a half step may land on
        // the neighbouring quantization step: one step (0.05) is allowed, no more.
        AssertMatchesOrt(model, [ModelInput.Floats("x", random, [1, inChannels, 6, 6], -2f, 2f)], new Tolerance(0, 0.0501));
    }

    [Fact]
    public void DynamicQuantizeLinear_and_MatMulInteger_as_dynamic_quantization_writes_a_linear_layer()
    {
        // quantize_dynamic's linear layer: the activations quantized per call, an int8 weight, the int32 product
        // scaled back by both scales.
        var random = new Random(440);
        var weights = Enumerable.Range(0, 16 * 8).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 5, 16)
            .Initializer("w", weights, 16, 8)
            .Initializer("w_scale", [0.01f])
            .Initializer("w_zp", new sbyte[] { 0 })
            .Node("DynamicQuantizeLinear", ["x"], ["xq", "x_scale", "x_zp"])
            .Node("MatMulInteger", ["xq", "w", "x_zp", "w_zp"], ["acc"])
            .Node("Cast", ["acc"], ["accf"], OnnxAttr.Int("to", (int)ElemType.Float))
            .Node("Mul", ["x_scale", "w_scale"], ["scale"])
            .Node("Mul", ["accf", "scale"], ["y"])
            .Output("xq", ElemType.UInt8, [5, 16])
            .Output("x_zp", ElemType.UInt8, [])
            .Output("acc", ElemType.Int32, [5, 8])
            .Output("y", ElemType.Float, [5, 8])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [5, 16], -1.5f, 3f));
    }

    [Fact]
    public void MatMulInteger_with_per_column_zero_points_and_a_batch_gives_the_exact_int32_sums()
    {
        var random = new Random(450);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.UInt8, 2, 3, 300)
            .Input("b", ElemType.UInt8, 300, 4)
            .Initializer("a_zp", new byte[] { 7 })
            .Initializer("b_zp", new byte[] { 0, 128, 255, 3 }, 4)
            .Node("MatMulInteger", ["a", "b", "a_zp", "b_zp"], ["y"])
            .Output("y", ElemType.Int32, [2, 3, 4])
            .Build();
        // 300 products of up to 255 · 255: sums past 2^24, where float32 would round.
        AssertMatchesOrt(model, ModelInput.Bytes("a", random, [2, 3, 300]), ModelInput.Bytes("b", random, [300, 4]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatMulInteger_of_8_bit_activations_and_an_int8_weight_runs_as_an_int8_product(bool signedActivations)
    {
        // The int8 product (aten._int_mm) path: a batch of 8-bit activations with a zero point against an int8 weight
        // without one; uint8 activations are shifted into int8 and the shift taken back per column.
        var random = new Random(455 + (signedActivations ? 1 : 0));
        var builder = new OnnxModelBuilder(13)
            .Input("a", signedActivations ? ElemType.Int8 : ElemType.UInt8, 2, 3, 40)
            .Initializer("b", Enumerable.Range(0, 40 * 30).Select(_ => (sbyte)random.Next(-128, 128)).ToArray(), 40, 30)
            .Output("y", ElemType.Int32, [2, 3, 30]);
        builder = signedActivations ? builder.Initializer("a_zp", new sbyte[] { -7 }) : builder.Initializer("a_zp", new byte[] { 131 });
        var model = builder.Node("MatMulInteger", ["a", "b", "a_zp"], ["y"]).Build();
        var program = Import(model);
        Assert.Contains("torch.ops.aten._int_mm.default", program.ToString());
        var input = signedActivations ? ModelInput.SBytes("a", random, [2, 3, 40]) : ModelInput.Bytes("a", random, [2, 3, 40]);
        AssertMatchesOrt(model, input);
        // Decomposed to the core opset (as the decomposition grains do), it still runs and gives the same sums.
        AssertRunMatchesOrt(program.RunDecompositions().Module(), model, [input], Tolerance.Float32, " after RunDecompositions");
    }

    [Fact]
    public void QLinearMatMul_requantizes_the_integer_product_into_the_output_scale()
    {
        var random = new Random(460);
        var model = new OnnxModelBuilder(13)
            .Input("a", ElemType.UInt8, 4, 32)
            .Initializer("a_scale", [0.02f]).Initializer("a_zp", new byte[] { 128 })
            .Initializer("b", Enumerable.Range(0, 32 * 6).Select(_ => (byte)random.Next(256)).ToArray(), 32, 6)
            .Initializer("b_scale", [0.01f]).Initializer("b_zp", new byte[] { 120 })
            .Initializer("y_scale", [0.3f]).Initializer("y_zp", new byte[] { 110 })
            .Node("QLinearMatMul", ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"], ["y"])
            .Output("y", ElemType.UInt8, [4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Bytes("a", random, [4, 32]));
    }

    [Fact]
    public void QLinearConv_with_per_channel_weights_and_an_int32_bias_matches_onnx_runtime_exactly()
    {
        var random = new Random(470);
        const int outChannels = 3, inChannels = 2;
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.UInt8, 1, inChannels, 5, 5)
            .Initializer("x_scale", [0.02f]).Initializer("x_zp", new byte[] { 100 })
            .Initializer("w", Enumerable.Range(0, outChannels * inChannels * 9).Select(_ => (sbyte)random.Next(-127, 128)).ToArray(), outChannels, inChannels, 3, 3)
            .Initializer("w_scale", [0.01f, 0.02f, 0.005f], outChannels)
            .Initializer("w_zp", new sbyte[] { 0, 0, 0 }, outChannels)
            .Initializer("y_scale", [0.25f]).Initializer("y_zp", new byte[] { 90 })
            .Initializer("bias", new[] { 500, -1200, 3000 }, outChannels)
            .Node("QLinearConv", ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp", "bias"], ["y"],
                OnnxAttr.Ints("pads", 1, 1, 1, 1), OnnxAttr.Ints("strides", 2, 2))
            .Output("y", ElemType.UInt8, [1, outChannels, 3, 3])
            .Build();
        AssertMatchesOrt(model, ModelInput.Bytes("x", random, [1, inChannels, 5, 5]));
    }

    [Fact]
    public void A_quantized_program_saves_and_loads_as_pt2_and_still_matches()
    {
        // A uint8 input and output and int8 weights: the archive keeps every dtype.
        var random = new Random(475);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.UInt8, 2, 8)
            .Initializer("x_scale", [0.05f]).Initializer("x_zp", new byte[] { 128 })
            .Initializer("w", Enumerable.Range(0, 8 * 3).Select(_ => (sbyte)random.Next(-127, 128)).ToArray(), 8, 3)
            .Initializer("w_scale", [0.02f]).Initializer("w_zp", new sbyte[] { 0 })
            .Initializer("y_scale", [0.1f]).Initializer("y_zp", new byte[] { 64 })
            .Node("QLinearMatMul", ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp"], ["y"])
            .Output("y", ElemType.UInt8, [2, 3])
            .Build();
        using var stream = new MemoryStream();
        Import(model).Save(stream);
        stream.Position = 0;
        var loaded = ExportedProgram.Load(stream, "quantized.pt2");
        AssertRunMatchesOrt(loaded.Module(), model, [ModelInput.Bytes("x", random, [2, 8])], Tolerance.Float32, " after Save/Load");
    }

    [Fact]
    public void ConvInteger_pads_with_the_zero_point_and_sums_in_int32()
    {
        var random = new Random(480);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.UInt8, 1, 2, 4, 4)
            .Initializer("w", Enumerable.Range(0, 3 * 2 * 4).Select(_ => (byte)random.Next(256)).ToArray(), 3, 2, 2, 2)
            .Initializer("x_zp", new byte[] { 9 })
            .Initializer("w_zp", new byte[] { 130 })
            .Node("ConvInteger", ["x", "w", "x_zp", "w_zp"], ["y"], OnnxAttr.Ints("pads", 1, 1, 0, 0))
            .Output("y", ElemType.Int32, [1, 3, 4, 4])
            .Build();
        AssertMatchesOrt(model, ModelInput.Bytes("x", random, [1, 2, 4, 4]));
    }

    [Fact]
    public void On_the_CUDA_plan_a_QDQ_convolution_and_a_QLinearConv_run_on_the_device_and_match_the_interpreter()
    {
        var random = new Random(490);
        var weights = Enumerable.Range(0, 4 * 3 * 9).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var qdq = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 1, 3, 6, 6)
            .Initializer("x_scale", [0.02f]).Initializer("x_zp", new byte[] { 120 })
            .Initializer("w", weights, 4, 3, 3, 3)
            .Initializer("w_scale", [0.004f, 0.003f, 0.005f, 0.002f], 4)
            .Initializer("w_zp", new sbyte[] { 0, 0, 0, 0 }, 4)
            .Node("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"])
            .Node("DequantizeLinear", ["xq", "x_scale", "x_zp"], ["xd"])
            .Node("DequantizeLinear", ["w", "w_scale", "w_zp"], ["wd"], OnnxAttr.Int("axis", 0))
            .Node("Conv", ["xd", "wd"], ["y"])
            .Output("y", ElemType.Float, [1, 4, 4, 4])
            .Build();
        var qlinear = new OnnxModelBuilder(13)
            .Input("x", ElemType.UInt8, 1, 3, 6, 6)
            .Initializer("x_scale", [0.02f]).Initializer("x_zp", new byte[] { 100 })
            .Initializer("w", weights, 4, 3, 3, 3)
            .Initializer("w_scale", [0.01f, 0.02f, 0.005f, 0.01f], 4)
            .Initializer("w_zp", new sbyte[] { 0, 0, 0, 0 }, 4)
            .Initializer("y_scale", [0.25f]).Initializer("y_zp", new byte[] { 90 })
            .Node("QLinearConv", ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp"], ["y"])
            .Output("y", ElemType.UInt8, [1, 4, 4, 4])
            .Build();
        foreach (var (name, model, input) in new[]
        {
            ("QDQ", qdq, ModelInput.Floats("x", random, [1, 3, 6, 6])),
            ("QLinearConv", qlinear, ModelInput.Bytes("x", random, [1, 3, 6, 6])),
        })
        {
            var program = Import(model);
            var plan = Graphport.Kernels.CudaCompiler.Plan(program, [[1, 3, 6, 6]]);
            Assert.True(plan.HostOps.Count == 0, $"{name}: ops without a CUDA kernel: {string.Join(", ", plan.HostOps)}");
            var x = input.ToTensor();
            var expected = ((Tensor)program.Module().Invoke(x)!).To(DType.Float64);
            foreach (var (label, actual) in new[]
            {
                ("the twin", Graphport.Kernels.Twin.CpuTwin.Run(plan, [x]).OfType<Tensor>().Single()),
                ("the CUDA C on the CPU", Graphport.Kernels.HostEmulation.HostCudaRunner.Run(plan, [x]).OfType<Tensor>().Single()),
            })
            {
                Assert.Equal(program.Module().Invoke(x) is Tensor t ? t.DType : DType.Float32, actual.DType);
                double diff = (actual.To(DType.Float64) - expected).Abs().Max().Item();
                Assert.True(diff <= 1e-4, $"{name}: {label} differs from the interpreter by {diff}");
            }
        }
    }

    [Fact]
    public void On_the_CUDA_plan_dynamic_quantization_and_MatMulInteger_run_their_integer_products_on_the_device()
    {
        // The integer products were host steps (both operands copied out of the device, the sums copied back in); now
        // a generated tiled kernel, the activations' quantization computed as it stages them.
        var random = new Random(495);
        var dynamicLinear = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 37, 48)
            .Initializer("w", Enumerable.Range(0, 48 * 72).Select(_ => (sbyte)random.Next(-127, 128)).ToArray(), 48, 72)
            .Initializer("w_scale", [0.01f])
            .Initializer("w_zp", new sbyte[] { 0 })
            .Node("DynamicQuantizeLinear", ["x"], ["xq", "x_scale", "x_zp"])
            .Node("MatMulInteger", ["xq", "w", "x_zp", "w_zp"], ["acc"])
            .Node("Cast", ["acc"], ["accf"], OnnxAttr.Int("to", (int)ElemType.Float))
            .Node("Mul", ["x_scale", "w_scale"], ["scale"])
            .Node("Mul", ["accf", "scale"], ["y"])
            .Output("y", ElemType.Float, [37, 72])
            .Build();
        var integerSums = new OnnxModelBuilder(13)
            .Input("a", ElemType.UInt8, 2, 3, 40)
            .Initializer("b", Enumerable.Range(0, 40 * 30).Select(_ => (sbyte)random.Next(-128, 128)).ToArray(), 40, 30)
            .Initializer("a_zp", new byte[] { 131 })
            .Node("MatMulInteger", ["a", "b", "a_zp"], ["y"])
            .Output("y", ElemType.Int32, [2, 3, 30])
            .Build();
        foreach (var (name, model, input, shape) in new[]
        {
            ("dynamic quantization", dynamicLinear, ModelInput.Floats("x", random, [37, 48], -1.5f, 3f), new long[] { 37, 48 }),
            ("MatMulInteger", integerSums, ModelInput.Bytes("a", random, [2, 3, 40]), [2, 3, 40]),
        })
        {
            var program = Import(model);
            var plan = Graphport.Kernels.CudaCompiler.Plan(program, [shape]);
            Assert.True(plan.HostOps.Count == 0, $"{name}: ops without a CUDA kernel: {string.Join(", ", plan.HostOps)}");
            Assert.NotEmpty(plan.Steps.OfType<Graphport.Kernels.Planning.IntegerMatmulKernel>());
            var x = input.ToTensor();
            var expected = (Tensor)program.Module().Invoke(x)!;
            foreach (var (label, actual) in new[]
            {
                ("the twin", Graphport.Kernels.Twin.CpuTwin.Run(plan, [x]).OfType<Tensor>().Single()),
                ("the CUDA C on the CPU", Graphport.Kernels.HostEmulation.HostCudaRunner.Run(plan, [x]).OfType<Tensor>().Single()),
            })
            {
                Assert.Equal(expected.DType, actual.DType);
                double diff = (actual.To(DType.Float64) - expected.To(DType.Float64)).Abs().Max().Item();
                // The integer sums are exact; the scaled floats may differ by the order of one float32 product.
                Assert.True(diff <= (expected.DType == DType.Int32 ? 0 : 1e-5), $"{name}: {label} differs from the interpreter by {diff}");
            }
        }
    }

    [Fact]
    public void Block_quantization_is_refused_with_the_reason()
    {
        var model = new OnnxModelBuilder(21)
            .Input("x", ElemType.Float, 2, 8)
            .Initializer("scale", [0.1f, 0.2f, 0.1f, 0.2f], 2, 2)
            .Node("QuantizeLinear", ["x", "scale"], ["y"], OnnxAttr.Int("block_size", 4), OnnxAttr.Int("axis", 1))
            .Output("y", ElemType.UInt8, [2, 8])
            .Build();
        var error = Assert.Throws<Graphport.Onnx.OnnxImportException>(() => Import(model));
        Assert.Contains("block_size", error.Message);
    }
}
