using Graphport.Grains;
using Graphport.Silo;
using Graphport.Kernels.Interop.Driver;
using Graphport.Kernels.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graphport.Cluster.Tests.Serving;

/// <summary>
/// A kernel fault on the GPU (an illegal address, say) loses the process's CUDA context for good. The silo must not
/// go down with it: the CUDA backend says it is lost, the executor that met the fault serves that call and every
/// later one on the CPU, new executors go to the CPU, and the health check turns unhealthy so the process is
/// restarted and the GPU comes back.
/// </summary>
public sealed class GpuLossTests : IDisposable
{
    private static readonly ExecutionDevice Gpu = new(ExecutionDevice.CudaKind, 0, "Test GPU", 1L << 30);
    private readonly TempDirectory data = new("graphport-gpu-loss");

    public void Dispose() => data.Dispose();

    [Fact]
    public void A_kernel_fault_marks_the_cuda_backend_lost_and_it_supports_no_gpu_after()
    {
        var cuda = new CudaExecutionBackend(NullLogger<CudaExecutionBackend>.Instance);
        Assert.Null(cuda.Lost);

        var error = Assert.Throws<DeviceLostException>(() => cuda.Guard<int>(() => throw new CudaException(CUresult.IllegalAddress, "cuStreamSynchronize")));

        Assert.Equal(CudaExecutionBackend.BackendName, error.Backend);
        Assert.IsType<CudaException>(error.InnerException);
        Assert.Contains("cuStreamSynchronize", cuda.Lost, StringComparison.Ordinal);
        Assert.Contains("whole process", error.Message, StringComparison.Ordinal);
        // Supports must answer without opening a device: a lost backend never tries again in this process.
        Assert.False(cuda.Supports(Gpu));
        Assert.Throws<DeviceLostException>(() => cuda.Compile(Torch.Export(new TestModules.TinyModule(), [Torch.Randn(2, 4)]), Gpu));
    }

    [Fact]
    public void Out_of_memory_and_other_errors_leave_the_cuda_backend_usable()
    {
        var cuda = new CudaExecutionBackend(NullLogger<CudaExecutionBackend>.Instance);

        Assert.Throws<CudaOutOfMemoryException>(() => cuda.Guard<int>(() => throw new CudaOutOfMemoryException("cuMemAlloc_v2", "4.0 GiB")));
        Assert.Throws<CudaException>(() => cuda.Guard<int>(() => throw new CudaException(CUresult.InvalidValue, "cuLaunchKernel")));
        Assert.Throws<ArgumentException>(() => cuda.Guard<int>(() => throw new ArgumentException("wrong size")));

        Assert.Null(cuda.Lost);
    }

    [Fact]
    public async Task After_a_fault_the_executor_answers_on_the_cpu_and_the_silo_reports_unhealthy()
    {
        var gpu = new FaultingGpuBackend();
        await using var cluster = await TestClusters.StartAsync(data.Path,
            metadata: _ => new() { [SiloMetadataKeys.Gpu] = "true", [SiloMetadataKeys.Device] = "Test GPU", [SiloMetadataKeys.GpuMemory] = "1073741824" },
            services: s => s.Insert(0, ServiceDescriptor.Singleton<IExecutionBackend>(gpu)));
        var silo = cluster.Silos.Single().ServiceProvider;
        var health = silo.GetRequiredService<HealthCheckService>();
        var exported = await cluster.Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("gpu-loss"));
        var executor = cluster.Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        var x = Torch.Randn(3, 4);

        var onGpu = await executor.InvokeAsync([TensorData.FromTensor(x)]);
        Assert.Equal((FaultingGpuBackend.BackendName, "cuda:0"), (onGpu.Backend, onGpu.Device));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        gpu.FaultOnNextRun = true;
        var afterFault = await executor.InvokeAsync([TensorData.FromTensor(x)]);

        // The call that met the fault is answered, on the CPU, with the same numbers.
        Assert.Equal((CpuInterpreterBackend.BackendName, "cpu"), (afterFault.Backend, afterFault.Device));
        var expected = onGpu.Outputs.Single().ToTensor();
        var actual = afterFault.Outputs.Single().ToTensor();
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        Assert.True((expected - actual).Abs().Max().Item() < 1e-6);
        Assert.Equal(1, gpu.Faults);

        // Later calls and new executors stay on the CPU; the GPU is not touched again.
        var next = await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(5, 4))]);
        Assert.Equal(CpuInterpreterBackend.BackendName, next.Backend);
        var other = await cluster.Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("gpu-loss-new"));
        var fresh = await cluster.Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(other.Program)).InvokeAsync([TensorData.FromTensor(x)]);
        Assert.Equal(CpuInterpreterBackend.BackendName, fresh.Backend);
        Assert.Equal(1, gpu.Runs - gpu.RunsBeforeFault);

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("lost", report.Entries[DeviceHealthCheck.Name].Description, StringComparison.Ordinal);
        Assert.Contains("illegal address in the test kernel", report.Entries[DeviceHealthCheck.Name].Description, StringComparison.Ordinal);
        await cluster.StopAllSilosAsync();
    }

    /// <summary>
    /// A stand-in GPU backend (no device here): it runs programs on the interpreter and, once asked, faults the
    /// way CudaExecutionBackend reports a lost context: it marks itself lost and throws DeviceLostException.
    /// </summary>
    private sealed class FaultingGpuBackend : IExecutionBackend
    {
        public const string BackendName = "test-gpu";

        private readonly CpuInterpreterBackend interpreter = new();
        private string? lost;

        public bool FaultOnNextRun { get; set; }

        public int Runs { get; private set; }

        public int RunsBeforeFault { get; private set; }

        public int Faults { get; private set; }

        public string Name => BackendName;

        public string? Lost => lost;

        public bool Supports(ExecutionDevice device) => device.IsGpu && lost is null;

        public ICompiledProgram Compile(ExportedProgram program, ExecutionDevice device) =>
            new Program(interpreter.Compile(program, ExecutionDevice.Cpu), device, this);

        private Tensor[] Run(ICompiledProgram inner, IReadOnlyList<Tensor> inputs)
        {
            Runs++;
            if (lost is not null) throw new DeviceLostException(BackendName, lost);
            if (FaultOnNextRun)
            {
                Faults++;
                RunsBeforeFault = Runs - 1;
                lost = "illegal address in the test kernel";
                throw new DeviceLostException(BackendName, lost);
            }
            return inner.Run(inputs);
        }

        private sealed class Program(ICompiledProgram inner, ExecutionDevice device, FaultingGpuBackend owner) : ICompiledProgram
        {
            public string Backend => BackendName;

            public ExecutionDevice Device => device;

            public Tensor[] Run(IReadOnlyList<Tensor> inputs) => owner.Run(inner, inputs);

            public void Dispose() => inner.Dispose();
        }
    }
}
