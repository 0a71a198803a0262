using Graphport.Graphs;

namespace Graphport.Serialization;

/// <summary>
/// An in-memory program's complex values rewritten as (real, imaginary) pairs, by the same lowering the archive reader
/// applies (<see cref="ComplexLowering"/>): the program goes through an archive in memory with each weight replaced by
/// a one-element stand-in (the lowering reads only the graph), and the lowered graph gets the real weights back.
/// </summary>
internal static class ComplexPairs
{
    public static ExportedProgram Of(ExportedProgram program)
    {
        // A complex weight, input or output has no pair form; neither does a program with nothing complex to lower.
        if (!program.Graph.Nodes.Any(HoldsComplex) || program.StateDict.Values.Concat(program.Constants.Values).Any(t => t.DType.IsComplex()))
            return program;
        var standIns = new ExportedProgram(program.Graph, program.GraphSignature, StandIns(program.StateDict), StandIns(program.Constants),
            program.RangeConstraints, program.CallSignature, program.ShapeEnv);
        using var archive = new MemoryStream();
        standIns.Save(archive);
        archive.Position = 0;
        var pairs = ExportedProgram.Load(archive, "the program with its complex values as real pairs");
        if (pairs.Graph.Nodes.Any(HoldsComplex)) return program;
        return new ExportedProgram(pairs.Graph, pairs.GraphSignature, program.StateDict, program.Constants, pairs.RangeConstraints, pairs.CallSignature, pairs.ShapeEnv);
    }

    private static bool HoldsComplex(Node n) => n.Value is TensorMeta { DType: var d } && d.IsComplex()
        || n.Value is object?[] values && values.OfType<TensorMeta>().Any(m => m.DType.IsComplex());

    /// <summary>Each tensor as a view of one element with zero strides: its shape and dtype, and one element to save.</summary>
    private static Dictionary<string, Tensor> StandIns(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(kv => kv.Key, kv => new Tensor(Storage.Allocate(kv.Value.DType, 1), kv.Value.Sizes, new long[kv.Value.Ndim], 0));
}
