using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// The CPU twin's TF32 emulation (<see cref="TwinPrecision"/>): matrix products whose operands the device's tensor
/// cores would read as TF32 are computed on operands rounded so, and only those, so the twin predicts the accuracy
/// the CUDA backend's default gives instead of exact float32's.
/// </summary>
public class TwinTf32Tests
{
    private static float Bits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static float OnePlus(int exponent) => 1f + MathF.ScaleB(1, exponent);

    [Fact]
    public void Rounding_to_tf32_keeps_ten_mantissa_bits_rounding_to_nearest_with_ties_to_even()
    {
        (float Value, float Tf32)[] cases =
        [
            (1, 1),
            (OnePlus(-10), OnePlus(-10)), // representable: TF32's last mantissa bit
            (OnePlus(-12), 1), // under half a TF32 unit (2^-10): down
            (OnePlus(-11) + MathF.ScaleB(1, -23), OnePlus(-10)), // just over half: up
            (OnePlus(-11), 1), // exactly half, kept bit even: down
            (OnePlus(-10) + MathF.ScaleB(1, -11), OnePlus(-9)), // exactly half, kept bit odd: up to even
            (2 - MathF.ScaleB(1, -11), 2), // the carry leaves the mantissa and raises the exponent
            (-OnePlus(-12), -1),
            (-(OnePlus(-10) + MathF.ScaleB(1, -11)), -OnePlus(-9)),
            (0, 0),
            (MathF.ScaleB(1, -149), 0), // the smallest subnormal is under half of TF32's smallest (2^-136)
            (Bits(0x0000_3000), Bits(0x0000_4000)), // subnormals round the same way, tie to even
            (float.PositiveInfinity, float.PositiveInfinity),
            (float.NegativeInfinity, float.NegativeInfinity),
            // Would round past TF32's largest finite number, (2 - 2^-10)·2^127: saturates there, stays finite.
            (float.MaxValue, Bits(0x7F7F_E000)),
            (-float.MaxValue, Bits(0xFF7F_E000)),
            (Bits(0x7F7F_E000), Bits(0x7F7F_E000)),
        ];
        foreach (var (value, tf32) in cases)
            Assert.True(BitConverter.SingleToUInt32Bits(TwinPrecision.RoundToTf32(value)) == BitConverter.SingleToUInt32Bits(tf32),
                $"TF32({value:R} = 0x{BitConverter.SingleToUInt32Bits(value):X8}) gave 0x{BitConverter.SingleToUInt32Bits(TwinPrecision.RoundToTf32(value)):X8}, expected 0x{BitConverter.SingleToUInt32Bits(tf32):X8}");

        // The sign of zero survives, and a NaN stays the same NaN: clearing the low bits of 0x7F800001 would make +inf.
        Assert.Equal(0x8000_0000u, BitConverter.SingleToUInt32Bits(TwinPrecision.RoundToTf32(-0f)));
        foreach (var nan in new[] { 0x7F80_0001u, 0x7FC0_0000u, 0xFFC0_1FFFu })
            Assert.Equal(nan, BitConverter.SingleToUInt32Bits(TwinPrecision.RoundToTf32(Bits(nan))));
    }

    // Weights 1 + 2^-12 lose their low bit in TF32 and ones stay ones, so 18 products sum to 18·(1 + 2^-12) in
    // float32 (exactly: 18 + 18·2^-12 needs 17 significant bits) and to exactly 18 on TF32 operands.
    private const double Exact = 18 * (1 + 1.0 / 4096), Tf32 = 18;

    private static readonly OpCase Convolution = new("tf32_conv", a => F.Conv2d(a[0], a[1]),
        () => [Torch.Ones(1, 2, 5, 5), Torch.Full([3, 2, 3, 3], 1 + 1.0 / 4096)]);

    private static readonly OpCase Linear = new("tf32_linear", a => F.Linear(a[0], a[1]),
        () => [Torch.Ones(4, 18), Torch.Full([5, 18], 1 + 1.0 / 4096)]);

    private static (FusedProgram Plan, Tensor[] Inputs, Tensor Expected) Planned(OpCase op, DType dtype = DType.Float32)
    {
        var inputs = op.Inputs().Select(t => t.To(dtype)).ToArray();
        var program = op.Export(inputs).RunDecompositions();
        var plan = FusionPlanner.Plan(program, ShapeBinding.FromInputs(program, inputs.Select(t => t.Shape.ToLongs()).ToList()), PlannerOptions.Default);
        var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;
        return (plan, inputs, expected);
    }

    private static void AllEqual(double value, Tensor actual, string what)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.True(Math.Abs(v - value) <= 1e-6, $"{what}: {v:R}, expected {value:R}"));
    }

    private static Tensor Run(FusedProgram plan, Tensor[] inputs, TwinPrecision precision) => (Tensor)CpuTwin.Run(plan, inputs, precision).Single()!;

    [Fact]
    public void With_tf32_convolutions_a_convolutions_gemm_reads_tf32_operands_and_otherwise_float32()
    {
        var (plan, inputs, expected) = Planned(Convolution);
        Assert.Contains(plan.Steps.OfType<MatmulStep>(), s => s.Problem.Convolution);
        AllEqual(Exact, expected, "the interpreter");
        AllEqual(Exact, (Tensor)CpuTwin.Run(plan, inputs).Single()!, "the twin as it always was");
        AllEqual(Exact, Run(plan, inputs, TwinPrecision.Exact), "the exact twin");
        AllEqual(Exact, Run(plan, inputs, new TwinPrecision(Tf32Matmuls: true)), "TF32 matmuls only");
        // 18 · 2^-12 = 4.4e-3 lower: the size of difference a real H200 showed.
        AllEqual(Tf32, Run(plan, inputs, TwinPrecision.CudaDefault), "TF32 convolutions");
    }

    [Fact]
    public void A_matrix_product_reads_tf32_operands_only_with_tf32_matmuls()
    {
        var (plan, inputs, expected) = Planned(Linear);
        Assert.NotEmpty(plan.Steps.OfType<MatmulStep>());
        Assert.DoesNotContain(plan.Steps.OfType<MatmulStep>(), s => s.Problem.Convolution);
        AllEqual(Exact, expected, "the interpreter");
        AllEqual(Exact, Run(plan, inputs, TwinPrecision.CudaDefault), "TF32 convolutions only");
        AllEqual(Tf32, Run(plan, inputs, new TwinPrecision(Tf32Matmuls: true)), "TF32 matmuls");
    }

    [Theory]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float16, false)]
    [InlineData(DType.BFloat16, false)]
    public void Only_float32_products_are_ever_rounded_to_tf32(DType dtype, bool rounded)
    {
        // cuBLASLt picks TF32 only for float32 data: float64 multiplies in float64, half types in their own compute.
        var everything = new TwinPrecision(Tf32Convolutions: true, Tf32Matmuls: true);
        var conv = Planned(Convolution).Plan.Steps.OfType<MatmulStep>().Single(s => s.Problem.Convolution).Problem;
        var product = Planned(Linear).Plan.Steps.OfType<MatmulStep>().Single().Problem;
        foreach (var problem in new[] { conv, product })
        {
            var retyped = problem with { D = problem.D with { Buffer = problem.D.Buffer with { DType = dtype } } };
            Assert.Equal(rounded, everything.RoundsToTf32(retyped));
            Assert.False(TwinPrecision.Exact.RoundsToTf32(retyped));
        }
    }

    [Fact]
    public void A_float64_matrix_product_is_not_rounded_whatever_the_flags_say()
    {
        var (plan, inputs, expected) = Planned(Linear, DType.Float64);
        Assert.Contains(plan.Steps.OfType<MatmulStep>(), s => s.Problem.DType == DType.Float64);
        AllEqual(Exact, expected, "the interpreter");
        AllEqual(Exact, Run(plan, inputs, new TwinPrecision(Tf32Convolutions: true, Tf32Matmuls: true)), "float64 with every TF32 flag on");
    }

    [Fact]
    public void The_twin_backend_and_the_cuda_c_on_the_cpu_emulate_tf32_when_asked()
    {
        var inputs = Convolution.Inputs();
        var program = Convolution.Export(inputs);
        foreach (var runCudaSource in new[] { false, true })
        {
            var exact = new CpuTwinBackend(runCudaSource: runCudaSource);
            var tf32 = new CpuTwinBackend(runCudaSource: runCudaSource, tf32Convolutions: true);
            Assert.Equal(TwinPrecision.Exact, exact.Precision);
            Assert.Equal(TwinPrecision.CudaDefault, tf32.Precision);
            AllEqual(Exact, (Tensor)exact.Compile(program).Run(inputs)[0]!, $"{exact.Name}, exact");
            AllEqual(Tf32, (Tensor)tf32.Compile(program).Run(inputs)[0]!, $"{tf32.Name}, TF32 convolutions");
        }
        var (plan, planInputs, _) = Planned(Convolution);
        AllEqual(Tf32, (Tensor)HostCudaRunner.Run(plan, planInputs, precision: TwinPrecision.CudaDefault).Single()!, "HostCudaRunner, TF32 convolutions");
    }

    [Fact]
    public void On_random_inputs_a_convolutional_network_on_tf32_stays_within_tf32s_accuracy_but_is_not_float32s()
    {
        var (core, shapes, inputs) = ZooPlanCheck.Setup("resnet18", 1, 41);
        var plan = FusionPlanner.Plan(core, shapes, PlannerOptions.Default);
        var expected = core.Module().Call(inputs.Cast<object?>().ToArray());
        double scale = Math.Max(expected.Abs().Max().Item(), 1e-3);
        double Difference(TwinPrecision precision) => ((Tensor)CpuTwin.Run(plan, inputs, precision).Single()! - expected).Abs().Max().Item() / scale;

        double exact = Difference(TwinPrecision.Exact), tf32 = Difference(TwinPrecision.CudaDefault);
        Assert.True(exact <= 1e-5, $"exact twin: relative difference {exact}");
        // TF32's unit roundoff is 2^-11 = 4.9e-4 per operand; over a network it stays well under 5e-3 ...
        Assert.True(tf32 <= 5e-3, $"TF32 twin: relative difference {tf32}");
        // ... and far above float32's, which is what the emulation is for.
        Assert.True(tf32 >= 1e-5 && tf32 >= 20 * exact, $"TF32 twin: relative difference {tf32}, exact twin {exact}");
    }
}
