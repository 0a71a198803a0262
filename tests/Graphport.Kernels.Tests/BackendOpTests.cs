using System.Diagnostics;
using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Backend-agnostic op tests (ILGPU's pattern): the bodies are written once here and run by a subclass per
/// backend: the CPU interpreter and the CPU twin on every machine, CUDA where a device opens.
/// </summary>
public abstract class BackendOpTests
{
    public static TheoryData<string> Cases => new(OpCases.All.Select(c => c.Name));

    /// <summary>The backend under test, or null with the reason it cannot run here.</summary>
    protected abstract IExecutionBackend? Backend(out string whyNot);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Op_matches_the_cpu_interpreter_on_random_inputs(string name)
    {
        var backend = Backend(out var whyNot);
        Skip.If(backend is null, whyNot);
        var op = OpCases.Get(name);
        Torch.ManualSeed(1000 + (ulong)name.Length);
        var inputs = op.Inputs();
        var program = op.Export(inputs);
        using var compiled = backend!.Compile(program);
        using var reference = new CpuBackend().Compile(program);
        // A stateful case is called several times; each call reads the buffers the previous one wrote.
        foreach (var (callInputs, call) in op.InputsOfEveryCall(inputs).Select((c, i) => (c, i + 1)))
        {
            var actual = (Tensor)compiled.Run(callInputs)[0]!;
            var expected = (Tensor)reference.Run(callInputs)[0]!;
            Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
            double scale = Math.Max(expected.Abs().Max().Item(), 1);
            double diff = (actual.To(DType.Float64) - expected.To(DType.Float64)).Abs().Max().Item();
            Assert.True(diff <= op.Tolerance * scale, $"{name} on {backend.Name}, call {call} of {op.Calls}: max difference {diff}");
        }
    }

    [SkippableFact]
    public void A_dynamic_batch_runs_at_two_sizes_from_one_compile()
    {
        var backend = Backend(out var whyNot);
        Skip.If(backend is null, whyNot);
        Torch.ManualSeed(5);
        var model = Zoo.ModelZoo.Get("mlp");
        var (_, program) = model.Export(2);
        using var compiled = backend!.Compile(program);
        foreach (var batch in new long[] { 3, 5 })
        {
            var inputs = model.ExampleInputs(batch).Cast<Tensor>().ToArray();
            var actual = (Tensor)compiled.Run(inputs)[0]!;
            var expected = program.Module().Call(inputs.Cast<object?>().ToArray());
            Assert.True((actual - expected).Abs().Max().Item() < 1e-4);
        }
    }

    [SkippableFact]
    public void Compiling_and_running_record_spans_on_the_kernels_activity_source()
    {
        var backend = Backend(out var whyNot);
        Skip.If(backend is null, whyNot);
        Torch.ManualSeed(6);
        var model = Zoo.ModelZoo.Get("mlp");
        var (_, program) = model.Export(2);
        var inputs = model.ExampleInputs(3).Cast<Tensor>().ToArray();
        using var test = new ActivitySource("Graphport.Kernels.Tests.Spans");
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == KernelTelemetry.SourceName || s == test,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId trace;
        using (var root = test.StartActivity("user code")!)
        {
            trace = root.TraceId;
            using var compiled = backend!.Compile(program);
            compiled.Run(inputs);
            compiled.Run(inputs);
        }

        // Other tests run backends at the same time: only this trace's spans count.
        var spans = stopped.Where(a => a.TraceId == trace && a.Source.Name == KernelTelemetry.SourceName).ToList();
        var compile = Assert.Single(spans, a => a.DisplayName == "compile");
        Assert.Equal(backend.Name, compile.GetTagItem("graphport.backend"));
        Assert.Equal(program.Graph.Nodes.Count, compile.GetTagItem("graphport.nodes"));
        var executes = spans.Where(a => a.DisplayName == "execute").ToList();
        Assert.Equal(2, executes.Count);
        Assert.All(executes, e => Assert.Equal(compile.GetTagItem("graphport.device"), e.GetTagItem("graphport.device")));
        Assert.Equal(backend is CudaBackend ? "cuda:0" : "cpu", compile.GetTagItem("graphport.device"));
    }
}

public sealed class CpuBackendOpTests : BackendOpTests
{
    protected override IExecutionBackend? Backend(out string whyNot)
    {
        whyNot = "";
        return new CpuBackend();
    }
}

public sealed class CpuTwinBackendOpTests : BackendOpTests
{
    protected override IExecutionBackend? Backend(out string whyNot)
    {
        whyNot = "";
        return new CpuTwinBackend();
    }

    [Theory]
    [InlineData("host_fallback_sort", "aten::sort")]
    [InlineData("roi_align_on_the_host", "torchvision::roi_align")]
    public void An_op_without_a_cuda_kernel_runs_on_the_host_and_is_named(string name, string hostOp)
    {
        var backend = new CpuTwinBackend();
        var op = OpCases.Get(name);
        Torch.ManualSeed(3);
        var inputs = op.Inputs();
        backend.Compile(op.Export(inputs)).Run(inputs);
        Assert.Equal([hostOp], backend.Plans.Single().HostOps);
        Assert.Contains(backend.Plans.Single().Steps, s => s is HostStep);
        Assert.Contains(backend.Plans.Single().Steps, s => s is not HostStep);
    }

    [Fact]
    public void Every_other_op_case_plans_without_a_host_step()
    {
        var onHost = new List<string>();
        // The host fallback, control flow (cond and map have no device lowering) and torchvision's roi_align run host
        // steps by design.
        foreach (var op in OpCases.All.Where(c => c.Name is not ("host_fallback_sort" or "cond_and_map_on_the_host" or "roi_align_on_the_host")))
        {
            var backend = new CpuTwinBackend();
            Torch.ManualSeed(3);
            var inputs = op.Inputs();
            backend.Compile(op.Export(inputs)).Run(inputs);
            if (backend.Plans.Single().HostOps.Count > 0) onHost.Add($"{op.Name}: {string.Join(", ", backend.Plans.Single().HostOps)}");
        }
        Assert.Empty(onHost);
    }

    [Fact]
    public void Attentions_guard_for_a_query_that_sees_no_key_is_the_softmax_kernels_own()
    {
        // Decomposed, the guard is where(all(scores == -inf), 0, softmax): planned as one safe softmax, no other step.
        var backend = new CpuTwinBackend();
        var op = OpCases.Get("attention_with_a_query_that_sees_no_key");
        Torch.ManualSeed(3);
        var inputs = op.Inputs();
        var result = backend.Compile(op.Export(inputs)).Run(inputs);
        var steps = backend.Plans.Single().Steps;
        Assert.Contains(steps, s => s is NormKernel { Kind: NormKind.SafeSoftmax });
        Assert.DoesNotContain(steps, s => s is ReductionKernel);
        // The first query of each head sees no key: its output row is zero, not NaN.
        var first = ((Tensor)result[0]!).Narrow(2, 0, 1);
        Assert.All(first.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Every_convolution_as_a_direct_kernel_also_matches()
    {
        var backend = new CpuTwinBackend(new PlannerOptions { Convolutions = ConvolutionStrategy.Direct });
        foreach (var op in OpCases.All.Where(c => c.Name.StartsWith("conv", StringComparison.Ordinal)))
        {
            Torch.ManualSeed(21);
            var inputs = op.Inputs();
            var program = op.Export(inputs);
            var actual = (Tensor)backend.Compile(program).Run(inputs)[0]!;
            var expected = (Tensor)new CpuBackend().Compile(program).Run(inputs)[0]!;
            Assert.True((actual - expected).Abs().Max().Item() < 1e-3, op.Name);
        }
        Assert.DoesNotContain(backend.Plans.SelectMany(p => p.Steps), s => s is MatmulStep);
    }
}

/// <summary>The same cases through the CUDA C itself: the generated module compiled for the CPU and run thread by thread.</summary>
public sealed class CudaSourceOnCpuBackendOpTests : BackendOpTests
{
    protected override IExecutionBackend? Backend(out string whyNot)
    {
        whyNot = "";
        return new CpuTwinBackend(runCudaSource: true);
    }
}

public sealed class CudaBackendOpTests : BackendOpTests
{
    // Float32 products exactly (no TF32 convolutions): these cases hold each kernel to the interpreter's 1e-4.
    private static readonly Lazy<(CudaBackend? Backend, string Message)> Shared = new(() =>
        CudaBackend.TryCreate(out var backend, out var message, new CudaBackendOptions { AllowTf32Convolutions = false }) ? (backend, message) : (null, message));

    protected override IExecutionBackend? Backend(out string whyNot)
    {
        whyNot = Shared.Value.Message;
        return Shared.Value.Backend;
    }
}
