using System.Text;
using Graphport.Graphs;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// The result of Export (torch.export.ExportedProgram): one functional ATen graph, its signature, the state
/// (parameters, buffers) and lifted constants, and the ranges of its symbolic sizes. Print it to see the
/// program as torch prints it; call <see cref="Module"/> to run it.
/// </summary>
public sealed class ExportedProgram
{
    internal ExportedProgram(Graph graph, ExportGraphSignature signature, IReadOnlyDictionary<string, Tensor> stateDict,
        IReadOnlyDictionary<string, Tensor> constants, RangeConstraints rangeConstraints, ModuleCallSignature callSignature, ShapeEnv shapeEnv)
    {
        ShapeEnv = shapeEnv;
        shapeEnv.Seal();
        Graph = graph;
        GraphSignature = signature;
        StateDict = stateDict;
        Constants = constants;
        RangeConstraints = rangeConstraints;
        CallSignature = callSignature;
    }

    public Graph Graph { get; }

    public ExportGraphSignature GraphSignature { get; }

    /// <summary>Parameters and buffers by their dotted names ("lin.weight").</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>Tensors the code captured that are not module state (lifted as CONSTANT_TENSOR inputs).</summary>
    public IReadOnlyDictionary<string, Tensor> Constants { get; }

    public RangeConstraints RangeConstraints { get; }

    public ModuleCallSignature CallSignature { get; }

    /// <summary>The symbols the graph's sizes are written in (kept so passes can re-trace the program).</summary>
    internal ShapeEnv ShapeEnv { get; }

    /// <summary>
    /// Re-traces the program with the ops in <paramref name="table"/> replaced by their decompositions. With no
    /// table, every non-core op is decomposed: the result uses only the Core ATen opset (aten.t becomes aten.permute).
    /// Returns a new program; this one is unchanged.
    /// </summary>
    public ExportedProgram RunDecompositions(DecompositionTable? table = null) => RunDecompositions(table, groupedQueryAttention: false);

    /// <summary>
    /// <see cref="RunDecompositions(DecompositionTable?)"/>; with <paramref name="groupedQueryAttention"/>, an attention
    /// whose key and value heads are repeated per query group first (transformers' repeat_kv: unsqueeze, expand,
    /// reshape) decomposes as grouped-query attention on the unrepeated heads, each group's query heads as rows against
    /// its key/value head: the same values, without a copy of the keys and values per group (a decoding step's whole
    /// cache, per layer). The graph then differs from torch's run_decompositions(), which keeps the repeat.
    /// </summary>
    /// <param name="groupedExperts">A mixture of experts written as a loop over its experts (the tokens split by
    /// counts read from the data, one product per expert, a concatenation; matched in its Core ATen spelling, so on a
    /// program already decomposed) becomes one <c>graphport::split_mm_cat</c>
    /// (<see cref="ExpertSplitMatmul"/>), whose result has the tokens' rows whatever the counts: the program no longer
    /// reads sizes from its data, which a device plan cannot (it sizes its buffers before the call). Graphport's own
    /// op, which torch cannot load: for running, not for saving.</param>
    public ExportedProgram RunDecompositions(DecompositionTable? table, bool groupedQueryAttention, bool groupedExperts = false)
    {
        var result = Passes.ProgramRetracer.Retrace(this, table ?? Decompositions.Default(), groupedQueryAttention, groupedExperts);
        // The default table promises the Core ATen dialect; check it, and check metadata either way.
        result.Verify(requireCore: table is null);
        return result;
    }

    /// <summary>
    /// Checks the program: graph and signature agree, every op is registered (and in the Core ATen opset when
    /// <paramref name="requireCore"/>), every node's metadata follows from its inputs'. Throws VerificationException.
    /// </summary>
    public void Verify(bool requireCore = false)
    {
        var problems = Passes.ProgramVerifier.Problems(this, requireCore);
        if (problems.Count > 0) throw new VerificationException(problems);
    }

    /// <summary>A callable that checks its inputs as torch does, runs the graph on the CPU, and applies mutations.</summary>
    public ExportedModule Module() => new(this);

    /// <summary>
    /// Checks the user inputs, flattened in call order, against the exported dtypes, static sizes and range
    /// constraints with torch's messages (what <see cref="Module"/>'s callable checks), for backends that run the
    /// graph some other way (the CUDA backend).
    /// </summary>
    public void CheckUserInputs(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        InputChecker.Check(UserPlaceholders(), inputs.Select((t, i) => ($"*args[{i}]", t)).ToList(), RangeConstraints);
    }

    /// <summary>The graph's placeholders of user inputs (parameters, buffers and constants come first).</summary>
    internal List<Node> UserPlaceholders() => Graph.Placeholders.Skip(GraphSignature.InputSpecs.Count(s => s.Kind != InputKind.UserInput)).ToList();

    /// <summary>
    /// Saves the program as a .pt2 archive (torch.export.save's layout and JSON schema): graph and signature in
    /// models/model.json, weights and constants as raw little-endian records, Graphport's extras in extra/.
    /// </summary>
    public void Save(string path) => Serialization.ProgramArchive.Save(this, path);

    /// <summary>
    /// Loads a .pt2 archive written by <see cref="Save"/> or by torch.export.save. Custom operators the program
    /// uses must be defined (with a Library) first. A damaged or unsupported archive raises
    /// <see cref="InvalidDataException"/>; an unknown operator raises <see cref="ExportException"/>.
    /// </summary>
    public static ExportedProgram Load(string path) => Serialization.ProgramArchive.Load(path);

    /// <summary>
    /// This program with its complex values rewritten as (real, imaginary) pairs when they all have that form (a rotary
    /// embedding: polar, view_as_complex, products, view_as_real), as loading it from an archive gives it, so backends
    /// that compute real dtypes only can run it; otherwise this program itself.
    /// </summary>
    public ExportedProgram WithComplexValuesAsRealPairs() => Serialization.ComplexPairs.Of(this);

    /// <summary>Writes the .pt2 archive to a stream (to send or store it without a file); the stream stays open.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Serialization.ProgramWriter.Write(this, stream, "model");
    }

    /// <summary>Reads a .pt2 archive from a seekable stream; <paramref name="displayName"/> names it in errors.</summary>
    public static ExportedProgram Load(Stream stream, string displayName = "the .pt2 archive")
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Serialization.ProgramArchive.Load(stream, displayName);
    }

    /// <summary>The readable graph module code (GraphModule.print_readable()).</summary>
    public string PrintReadable() => GraphPrinter.Readable(Graph);

    public override string ToString()
    {
        var sb = new StringBuilder("ExportedProgram:\n");
        sb.Append(GraphPrinter.Readable(Graph, indent: 4));
        sb.Append("Graph signature: ").Append(GraphSignature).Append('\n');
        sb.Append("Range constraints: ").Append(RangeConstraints).Append('\n');
        return sb.ToString();
    }
}
