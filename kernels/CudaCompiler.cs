using Graphport.Kernels.Backends;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels;

/// <summary>
/// Entry points that need no GPU: what the CUDA backend would generate for a program (`graphport compile --emit
/// cuda`), and its plan.
/// </summary>
public static class CudaCompiler
{
    /// <summary>
    /// The CUDA C translation unit for <paramref name="program"/> at the given user input shapes (null: the shapes
    /// it was exported with), preceded by the plan as a comment, so a reader sees every step and every kernel.
    /// </summary>
    public static string EmitSource(ExportedProgram program, IReadOnlyList<long[]>? inputShapes = null, PlannerOptions? options = null)
    {
        var plan = Plan(program, inputShapes, options);
        var header = string.Join("\n", plan.Describe().TrimEnd().Split('\n').Select(l => "// " + l));
        return header + "\n\n" + CudaRenderer.RenderModule(plan.Steps);
    }

    /// <summary>
    /// The plan's generated kernels compiled by NVRTC into one CUBIN for <paramref name="architecture"/> (through
    /// <paramref name="compiler"/>'s cache). NVRTC needs no GPU: this is what a bucket loads, and what the tests
    /// compile on machines without one.
    /// </summary>
    public static byte[] Cubin(FusedProgram plan, NvrtcCompiler compiler, string architecture, bool narrowIndices = true) =>
        compiler.Compile(CudaRenderer.RenderModule(plan.GeneratedKernels, narrowIndices),
            $"graphport_{plan.Shapes.ToString().Replace(' ', '_').Replace(',', '_').Replace('=', '_')}.cu", architecture, CudaSources.Headers);

    public static FusedProgram Plan(ExportedProgram program, IReadOnlyList<long[]>? inputShapes = null, PlannerOptions? options = null)
    {
        var core = ProgramPreparation.ToCore(program);
        var shapes = inputShapes is null ? ShapeBinding.FromHints(core) : ShapeBinding.FromInputs(core, inputShapes);
        return FusionPlanner.Plan(core, shapes, options);
    }
}
