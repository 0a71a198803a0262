using System.Text;
using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// A program planned for one shape bucket: the steps in order, every buffer they use, which buffers hold the
/// weights (with their data), the user inputs and outputs, the ops that run on the host, and the memory plan.
/// Backends run it (CUDA) or interpret it (the CPU twin); <see cref="Describe"/> prints it for people.
/// </summary>
public sealed class FusedProgram(ExportedProgram program, ShapeBinding shapes, IReadOnlyList<KernelStep> steps, IReadOnlyList<BufferRef> buffers,
    IReadOnlyList<(BufferRef Buffer, Tensor Value)> weights, IReadOnlyList<BufferRef> userInputs, IReadOnlyList<ProgramOutput> outputs,
    IReadOnlyList<string> hostOps, MemoryPlan memory)
{
    public ExportedProgram Program { get; } = program;

    public ShapeBinding Shapes { get; } = shapes;

    public IReadOnlyList<KernelStep> Steps { get; } = steps;

    public IReadOnlyList<BufferRef> Buffers { get; } = buffers;

    public IReadOnlyList<(BufferRef Buffer, Tensor Value)> Weights { get; } = weights;

    public IReadOnlyList<BufferRef> UserInputs { get; } = userInputs;

    public IReadOnlyList<ProgramOutput> Outputs { get; } = outputs;

    /// <summary>Ops that have no device lowering and run on the host (each named once).</summary>
    public IReadOnlyList<string> HostOps { get; } = hostOps;

    public MemoryPlan Memory { get; } = memory;

    /// <summary>The checks the device makes on the data (index reads, split counts), by the number a generated kernel records a fault under.</summary>
    public IReadOnlyList<FaultSite> FaultSites { get; init; } = [];

    public IEnumerable<KernelStep> GeneratedKernels => Steps.Where(s => s.IsGenerated);

    /// <summary>
    /// Whether <paramref name="other"/> (another plan of the program) finds every weight at the same offset in a
    /// weight allocation of the same size, so one upload serves both.
    /// </summary>
    public bool SharesWeightLayoutWith(FusedProgram other) =>
        Memory.WeightBytes == other.Memory.WeightBytes && Weights.Count == other.Weights.Count
        && Weights.All(w => other.Weights.Any(o => o.Buffer.Name == w.Buffer.Name && other.Memory.Placement(o.Buffer).Offset == Memory.Placement(w.Buffer).Offset));

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append($"FusedProgram ({Shapes}): {Steps.Count} steps, {GeneratedKernels.Count()} generated kernels, ")
          .Append($"{Steps.OfType<MatmulStep>().Count()} cuBLASLt calls, {Steps.OfType<HostStep>().Count()} host steps; ")
          .Append($"arena {Runtime.DeviceBuffer.Format(Memory.ArenaBytes)} (unshared {Runtime.DeviceBuffer.Format(Memory.UnsharedBytes)}), weights {Runtime.DeviceBuffer.Format(Memory.WeightBytes)}\n");
        for (int i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            var kind = s switch
            {
                PointwiseKernel => "pointwise",
                ReductionKernel r => $"reduce.{r.Op.ToString().ToLowerInvariant()}",
                NormKernel n => n.Kind.ToString().ToLowerInvariant(),
                DirectConvKernel => "direct.conv",
                IntegerMatmulKernel => "integer.mm",
                GroupedMatmulKernel => "grouped.mm",
                SortRowsKernel => "sort.rows",
                MergeSortedRunsKernel => "sort.merge",
                MatmulStep => "cublasLt",
                HostStep => "host",
                _ => s.GetType().Name,
            };
            sb.Append($"  [{i,3}] {kind,-12} {s.Name,-40} {s.Comment}\n");
        }
        return sb.ToString();
    }
}
