using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// torch.nn's losses, volume, recurrent and decoder layers on the device: cross entropy (class indices with an ignored
/// target, class weights, label smoothing, per pixel, class probabilities) and the regression losses, a 3-D U-Net's
/// pooling and resizing (3-D windows as reductions), a volume sampled at an affine grid, an Elman RNN unrolled, GRU cells stepped by hand and a
/// transformer decoder layer plan with no host step,
/// and their generated CUDA C, run on the CPU thread by thread, computes what the interpreter does on random inputs.
/// </summary>
public class LayerFamiliesOnDeviceTests
{
    [Theory]
    [InlineData("cross_entropy_losses")]
    [InlineData("regression_losses")]
    [InlineData("volume_pool_and_resize")]
    [InlineData("grid_sample_volume")]
    [InlineData("grid_sample_image")]
    [InlineData("rnn_relu_bidirectional")]
    [InlineData("gru_cell_steps")]
    [InlineData("transformer_decoder_layer")]
    public void The_layer_plans_without_host_steps_and_its_cuda_c_matches_the_interpreter(string name)
    {
        int seed = Environment.TickCount & 0xFFFF;
        Torch.ManualSeed((ulong)seed);
        var op = OpCases.Get(name);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        var backend = new CpuTwinBackend(runCudaSource: true);
        var actual = (Tensor)backend.Compile(program).Run(inputs)[0]!;
        var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;

        var plan = backend.Plans.Single();
        Assert.Empty(plan.HostOps);
        Assert.DoesNotContain(plan.Steps, s => s is HostStep);
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        double diff = (actual - expected).Abs().Max().Item();
        Assert.True(diff <= op.Tolerance * Math.Max(expected.Abs().Max().Item(), 1), $"seed {seed}: {name} differs from the interpreter by {diff}");
    }

    [Fact]
    public void Three_dimensional_pools_are_window_reductions_over_three_axes()
    {
        Torch.ManualSeed(21);
        var op = OpCases.Get("volume_pool_and_resize");
        var inputs = op.Inputs();
        var backend = new CpuTwinBackend();
        backend.Compile(op.Export(inputs)).Run(inputs);
        var comments = backend.Plans.Single().Steps.OfType<ReductionKernel>().Select(k => k.Comment).ToList();
        Assert.Contains(comments, c => c.Contains("max_pool3d_with_indices", StringComparison.Ordinal));
        Assert.Contains(comments, c => c.Contains("avg_pool3d", StringComparison.Ordinal));
    }

    private sealed class RecurrentHead(Module<Tensor, (Tensor Output, Tensor H)> recurrence) : Module<Tensor, Tensor>
    {
        private readonly Linear head = new(8, 3);

        public override Tensor Forward(Tensor x) => head.Call(Functional.Relu(recurrence.Call(x).Output));
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    public void An_rnn_over_a_symbolic_sequence_length_runs_on_the_host_and_the_rest_on_the_device(string nonlinearity)
    {
        // Unrolling needs the number of steps; with a dynamic length the recurrence stays one op, run on the host,
        // where refusing the program would leave it nowhere to run.
        Torch.ManualSeed(22);
        var model = new RecurrentHead(new RNN(5, 8, nonlinearity: nonlinearity, batchFirst: true));
        var program = Torch.Export(model, [Torch.Randn(2, 6, 5)], dynamicShapes: new() { ["x"] = new() { [1] = new Dim("steps", min: 2, max: 64) } });
        var backend = new CpuTwinBackend();
        var compiled = backend.Compile(program);
        var x = Torch.Randn(2, 9, 5);
        var actual = (Tensor)compiled.Run([x])[0]!;
        Assert.Equal([$"aten::rnn_{nonlinearity}.input"], backend.Plans.Single().HostOps);
        Assert.True(actual.AllClose(model.Call(x), 1e-5, 1e-6));
    }
}
