using Graphport.Kernels.Planning;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Backends;

/// <summary>
/// The CUDA backend's plan run on the CPU twin: same planner, same fused kernels, same memory plan, evaluated in
/// C#. The backend-agnostic op tests run through it on every machine.
/// </summary>
public sealed class CpuTwinBackend(PlannerOptions? options = null) : IExecutionBackend
{
    public string Name => "cpu-twin";

    public PlannerOptions Options { get; } = options ?? PlannerOptions.Default;

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
            return ProgramPreparation.UserOutputs(Program, CpuTwin.Run(plan, inputs));
        }

        public void Dispose() { }
    }
}
