using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Backends;

/// <summary>
/// The CUDA backend's plan run on the CPU twin: same planner, same fused kernels, same memory plan, evaluated in
/// C#. The backend-agnostic op tests run through it on every machine. With <paramref name="runCudaSource"/> the
/// generated kernels run as their CUDA C compiled for the CPU (<see cref="HostCudaRunner"/>) instead of from their IR.
/// </summary>
public sealed class CpuTwinBackend(PlannerOptions? options = null, bool runCudaSource = false) : IExecutionBackend
{
    public string Name => RunsCudaSource ? "cuda-c-on-cpu" : "cpu-twin";

    public PlannerOptions Options { get; } = options ?? PlannerOptions.Default;

    /// <summary>Generated kernels run from the CUDA C the device would compile, built by the host's C++ compiler.</summary>
    public bool RunsCudaSource { get; } = runCudaSource;

    /// <summary>The plans made so far (by shape bucket), for tests that look inside.</summary>
    public List<FusedProgram> Plans { get; } = [];

    public ICompiledProgram Compile(ExportedProgram program) => new Compiled(this, ProgramPreparation.ToCore(program));

    private sealed class Compiled(CpuTwinBackend backend, ExportedProgram program) : ICompiledProgram
    {
        private readonly Dictionary<ShapeBinding, FusedProgram> plans = [];

        public ExportedProgram Program { get; } = program;

        public object?[] Run(IReadOnlyList<Tensor> inputs)
        {
            var binding = ProgramPreparation.Bind(Program, inputs);
            if (!plans.TryGetValue(binding, out var plan))
            {
                plans[binding] = plan = FusionPlanner.Plan(Program, binding, backend.Options);
                backend.Plans.Add(plan);
            }
            return ProgramPreparation.UserOutputs(Program, backend.RunsCudaSource ? HostCudaRunner.Run(plan, inputs) : CpuTwin.Run(plan, inputs));
        }

        public void Dispose() { }
    }
}
