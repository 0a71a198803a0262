using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// ONNX's signal ops against ONNX Runtime on random signals: DFT of real and complex signals (forward, inverse,
/// one-sided, cut or zero-padded by dft_length, along a chosen axis, with opset 17's axis attribute and opset 20's axis
/// input), STFT (windowed or not, one-sided or full) and the Hann, Hamming and Blackman window generators.
/// </summary>
public class SpectralOpTests
{
    public static TheoryData<long, long, long, long, long?> Dfts() => new()
    {
        { 1, 12, 0, 0, null },
        { 1, 12, 0, 1, null },
        { 1, 10, 0, 1, 16 },
        { 2, 10, 0, 0, null },
        { 2, 7, 1, 0, null },
        { 2, 16, 1, 0, 12 },
        { 1, 9, 0, 1, 6 },
    };

    [Theory]
    [MemberData(nameof(Dfts))]
    public void Dft_gives_onnx_runtimes_spectrum(long components, long length, long inverse, long onesided, long? dftLength)
    {
        var random = new Random((int)(components * 100 + length * 10 + inverse * 3 + onesided + (dftLength ?? 0)));
        var builder = new OnnxModelBuilder(17).Input("x", ElemType.Float, 2, length, components);
        if (dftLength is long n) builder = builder.Initializer("n", new[] { n });
        var model = builder
            .Node("DFT", dftLength is null ? ["x"] : ["x", "n"], ["y"], OnnxAttr.Int("axis", 1), OnnxAttr.Int("inverse", inverse), OnnxAttr.Int("onesided", onesided))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, length, components]));
    }

    [Fact]
    public void A_one_sided_dft_of_a_complex_signal_is_refused_as_onnx_runtime_refuses_it()
    {
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 2, 9, 2)
            .Node("DFT", ["x"], ["y"], OnnxAttr.Int("axis", 1), OnnxAttr.Int("onesided", 1))
            .Output("y", ElemType.Float)
            .Build();
        var error = Assert.ThrowsAny<Exception>(() => Import(model));
        Assert.Contains("one-sided output is the forward transform of a real signal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(-2L)]
    public void Dft_of_opset_20_takes_its_axis_as_an_input(long axis)
    {
        var random = new Random(20 + (int)axis);
        var model = new OnnxModelBuilder(20)
            .Input("x", ElemType.Float, 2, 5, 6, 2)
            .Initializer("axis", new[] { axis })
            .Node("DFT", ["x", "", "axis"], ["y"], OnnxAttr.Int("inverse", 0))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [2, 5, 6, 2]));
    }

    [Theory]
    [InlineData(true, 1L)]
    [InlineData(false, 1L)]
    [InlineData(true, 0L)]
    public void Stft_frames_windows_and_transforms_as_onnx_runtime_does(bool windowed, long onesided)
    {
        var random = new Random(windowed ? 31 : 32 + (int)onesided);
        var builder = new OnnxModelBuilder(17)
            .Input("signal", ElemType.Float, 2, 100, 1)
            .Initializer("step", new[] { 8L })
            .Initializer("size", new[] { 16L })
            .Initializer("length", new[] { 16L });
        if (windowed) builder = builder.Node("HannWindow", ["size"], ["window"]);
        var model = builder
            .Node("STFT", windowed ? ["signal", "step", "window", "length"] : ["signal", "step", "", "length"], ["y"], OnnxAttr.Int("onesided", onesided))
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("signal", random, [2, 100, 1]));
    }

    [Theory]
    [InlineData("HannWindow", 1L)]
    [InlineData("HannWindow", 0L)]
    [InlineData("HammingWindow", 1L)]
    [InlineData("BlackmanWindow", 0L)]
    public void Window_generators_give_onnx_runtimes_windows(string op, long periodic)
    {
        var model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 11)
            .Initializer("size", new[] { 11L })
            .Node(op, ["size"], ["w"], OnnxAttr.Int("periodic", periodic))
            .Node("Mul", ["x", "w"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", new Random(40 + (int)periodic), [11]));
    }

    [Theory]
    [InlineData(8L, 16L, 8192L, 0f, 4096f)]
    [InlineData(40L, 400L, 16000L, 20f, 7600f)]
    [InlineData(13L, 64L, 22050L, 100f, 9000f)]
    public void MelWeightMatrix_gives_onnx_runtimes_filter_bank(long melBins, long dftLength, long sampleRate, float lower, float upper)
    {
        long bins = dftLength / 2 + 1;
        var model = new OnnxModelBuilder(17)
            .Input("power", ElemType.Float, 3, bins)
            .Initializer("mels", new[] { melBins })
            .Initializer("dft", new[] { dftLength })
            .Initializer("rate", new[] { sampleRate })
            .Initializer("lower", new[] { lower })
            .Initializer("upper", new[] { upper })
            .Node("MelWeightMatrix", ["mels", "dft", "rate", "lower", "upper"], ["weights"])
            .Node("MatMul", ["power", "weights"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("power", new Random((int)melBins), [3, bins], 0f, 2f));
    }
}
