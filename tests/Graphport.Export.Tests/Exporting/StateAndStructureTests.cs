using Graphport.Graphs;
using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Counts calls in a buffer: an in-place write to module state.</summary>
public sealed class Counter : Module<Tensor, Tensor>
{
    private readonly Buffer calls = new(Zeros(1));

    public Tensor Calls => calls;

    public override Tensor Forward(Tensor x)
    {
        calls.Add_(1L);
        return x * calls;
    }
}

/// <summary>Uses a tensor field that is not registered state: export lifts it as a constant.</summary>
public sealed class WithConstant : Module<Tensor, Tensor>
{
    private readonly Tensor offsets = Torch.Tensor(new float[] { 1, 2, 3 });

    public override Tensor Forward(Tensor x) => x + offsets;
}

/// <summary>Takes a list of tensors and returns a tuple.</summary>
public sealed class ListIn : Module<Tensor[], (Tensor, Tensor)>
{
    public override (Tensor, Tensor) Forward(Tensor[] xs) => (xs[0] + xs[1], xs[0] * xs[1]);
}

/// <summary>Writes into its input through a slice view.</summary>
public sealed class WritesInput : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        x[0].Mul_(2.0);
        return x.Sum(0);
    }
}

public class StateAndStructureTests
{
    [Fact]
    public void Buffer_writes_become_buffer_mutation_outputs_and_the_module_keeps_its_buffers()
    {
        var counter = new Counter();
        var ep = Export(counter, [Ones(3)]);
        var mutation = ep.GraphSignature.OutputSpecs[0];
        Assert.Equal(OutputKind.BufferMutation, mutation.Kind);
        Assert.Equal("calls", mutation.Target);
        Assert.Equal(InputKind.Buffer, ep.GraphSignature.InputSpecs[0].Kind);
        Assert.Equal(true, ep.GraphSignature.InputSpecs[0].Persistent);
        // Export traced without touching the real buffer.
        Assert.Equal(0, counter.Calls.Item());
        var m = ep.Module();
        Assert.True(m.Call(Ones(3)).AllClose(Ones(3), 0, 0));
        Assert.True(m.Call(Ones(3)).AllClose(Full([3], 2.0), 0, 0));
        Assert.Equal(2, m.StateDict["calls"].Item());
    }

    [Fact]
    public void Captured_tensors_are_lifted_as_constants()
    {
        ManualSeed(42);
        var ep = Export(new WithConstant(), [Randn(2, 3)]);
        var spec = ep.GraphSignature.InputSpecs[0];
        Assert.Equal(InputKind.ConstantTensor, spec.Kind);
        Assert.Equal("lifted_tensor_0", spec.Target);
        Assert.Equal("c_lifted_tensor_0", spec.Arg.Name);
        var x = Randn(2, 3);
        Assert.True(ep.Module().Call(x).AllClose(new WithConstant().Call(x), 0, 0));
    }

    [Fact]
    public void Lists_in_and_tuples_out_keep_their_structure()
    {
        ManualSeed(43);
        var ep = Export(new ListIn(), [new[] { Randn(2, 2), Randn(2, 2) }]);
        Assert.Equal(["xs_0", "xs_1"], ep.GraphSignature.UserInputs);
        var a = Randn(2, 2);
        var b = Randn(2, 2);
        var (sum, product) = ((Tensor, Tensor))ep.Module().Invoke(new object?[] { new[] { a, b } })!;
        Assert.True(sum.AllClose(a + b, 0, 0));
        Assert.True(product.AllClose(a * b, 0, 0));
        var e = Assert.Throws<ArgumentException>(() => ep.Module().Invoke(new object?[] { new[] { a } }));
        Assert.Contains("Trying to flatten user inputs with exported input tree spec", e.Message);
    }

    [Fact]
    public void Writes_through_views_of_inputs_are_functionalized_with_scatter_ops()
    {
        ManualSeed(44);
        var ep = Export(new WritesInput(), [Randn(3, 4)]);
        Assert.Contains(ep.Graph.Nodes, n => n.Op?.OpName == "select_scatter");
        Assert.DoesNotContain(ep.Graph.Nodes, n => n.Op?.Schema.IsMutable == true);
        var x = Randn(3, 4);
        var eagerInput = x.Clone();
        var expected = new WritesInput().Call(eagerInput);
        var exportedInput = x.Clone();
        var actual = ep.Module().Call(exportedInput);
        Assert.True(actual.AllClose(expected, 1e-6, 1e-6));
        Assert.True(exportedInput.AllClose(eagerInput, 0, 0));
    }

    [Fact]
    public void Batch_norm_in_training_mode_exports_its_running_stat_updates()
    {
        ManualSeed(45);
        var bn = new BatchNorm2d(3);
        var ep = Export(bn, [Randn(4, 3, 5, 5)]);
        var mutated = ep.GraphSignature.OutputSpecs.Where(s => s.Kind == OutputKind.BufferMutation).Select(s => s.Target).ToList();
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], mutated);
        var x = Randn(4, 3, 5, 5);
        var m = ep.Module();
        var expected = bn.Call(x);
        Assert.True(m.Call(x).AllClose(expected, 1e-5, 1e-5));
        Assert.True(m.StateDict["running_mean"].AllClose(bn.RunningMean, 1e-6, 1e-6));
        Assert.True(m.StateDict["running_var"].AllClose(bn.RunningVar, 1e-6, 1e-6));
    }

    [Fact]
    public void Eval_mode_batch_norm_is_one_functional_op_without_mutations()
    {
        ManualSeed(46);
        var bn = new BatchNorm2d(3);
        bn.Eval();
        var ep = Export(bn, [Randn(4, 3, 5, 5)]);
        Assert.Equal(["aten._native_batch_norm_legit_no_training.default", "operator.getitem"],
            ep.Graph.Nodes.Where(n => n.Kind == NodeKind.CallFunction).Select(n => GraphPrinter.TargetName(n.Target).Replace("torch.ops.", "")));
        Assert.All(ep.GraphSignature.OutputSpecs, s => Assert.Equal(OutputKind.UserOutput, s.Kind));
    }
}
