using Graphport.Graphs;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Backends;

/// <summary>What every backend does before compiling: reach Core ATen, and pick user outputs from graph outputs.</summary>
public static class ProgramPreparation
{
    /// <summary>The program itself when it only uses Core ATen ops, else its default decomposition.</summary>
    public static ExportedProgram ToCore(ExportedProgram program) =>
        program.Graph.Nodes.Any(n => n.Op is { Namespace: "aten", IsCore: false }) ? program.RunDecompositions() : program;

    public static object?[] UserOutputs(ExportedProgram program, object?[] graphOutputs) =>
        graphOutputs.Where((_, i) => program.GraphSignature.OutputSpecs[i].Kind == OutputKind.UserOutput)
            .Select(o => o is SymInt s ? (long)s : o).ToArray();

    public static ShapeBinding Bind(ExportedProgram program, IReadOnlyList<Tensor> inputs) =>
        ShapeBinding.FromInputs(program, inputs.Select(t => t.Shape.ToLongs()).ToList());
}
