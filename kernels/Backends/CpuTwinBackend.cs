using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Backends;

/// <summary>
/// The CUDA backend's plan run on the CPU twin: same planner, same fused kernels, same memory plan, evaluated in
/// C#. The backend-agnostic op tests run through it on every machine. With <paramref name="runCudaSource"/> the
/// generated kernels run as their CUDA C compiled for the CPU (<see cref="HostCudaRunner"/>) instead of from their IR.
/// <paramref name="tf32Convolutions"/> and <paramref name="tf32Matmuls"/> round the operands of those products to
/// TF32 as <see cref="CudaBackendOptions.AllowTf32Convolutions"/> and <see cref="CudaBackendOptions.AllowTf32Matmuls"/>
/// run them on the device (<see cref="TwinPrecision"/>), so <c>tf32Convolutions: true</c> predicts the accuracy of
/// the CUDA backend's default; both off (the default) every product is exact.
/// </summary>
public sealed class CpuTwinBackend(PlannerOptions? options = null, bool runCudaSource = false, bool tf32Convolutions = false, bool tf32Matmuls = false) : IExecutionBackend
{
    public string Name => RunsCudaSource ? "cuda-c-on-cpu" : "cpu-twin";

    public PlannerOptions Options { get; } = options ?? PlannerOptions.Default;

    /// <summary>Generated kernels run from the CUDA C the device would compile, built by the host's C++ compiler.</summary>
    public bool RunsCudaSource { get; } = runCudaSource;

    /// <summary>Which matrix products are computed on TF32 operands.</summary>
    public TwinPrecision Precision { get; } = new(tf32Convolutions, tf32Matmuls);

    /// <summary>The plans made so far (by shape bucket), for tests that look inside.</summary>
    public List<FusedProgram> Plans { get; } = [];

    public ICompiledProgram Compile(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var activity = KernelTelemetry.StartCompile(Name, "cpu", program);
        return new Compiled(this, ProgramPreparation.ToCore(program));
    }

    private sealed class Compiled(CpuTwinBackend backend, ExportedProgram program) : ICompiledProgram
    {
        private readonly Dictionary<ShapeBinding, FusedProgram> plans = [];
        private readonly Dictionary<ShapeBinding, TwinMemory> memories = [];

        public ExportedProgram Program { get; } = program;

        public object?[] Run(IReadOnlyList<Tensor> inputs)
        {
            using var activity = KernelTelemetry.StartExecute(backend.Name, "cpu");
            var binding = ProgramPreparation.Bind(Program, inputs);
            bool first = !plans.TryGetValue(binding, out var plan);
            if (first)
            {
                plans[binding] = plan = FusionPlanner.Plan(Program, binding, backend.Options);
                backend.Plans.Add(plan);
                // One memory per plan, the weights written once, as a device bucket keeps them: what the program writes
                // into its buffers (a key/value cache) is there for the next call.
                memories[binding] = new TwinMemory(plan!.Memory, pinned: backend.RunsCudaSource);
            }
            var memory = memories[binding];
            return ProgramPreparation.UserOutputs(Program, backend.RunsCudaSource
                ? HostCudaRunner.Run(plan!, inputs, memory, writeWeights: first, precision: backend.Precision)
                : CpuTwin.Run(plan!, inputs, memory, null, backend.Precision, writeWeights: first));
        }

        public void Dispose() { }
    }
}
