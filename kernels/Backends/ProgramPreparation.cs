using Graphport.Graphs;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Backends;

/// <summary>What every backend does before compiling: reach Core ATen, and pick user outputs from graph outputs.</summary>
public static class ProgramPreparation
{
    /// <summary>Recurrences whose decomposition unrolls them, which needs a static sequence length.</summary>
    private static readonly string[] Recurrences = ["aten::lstm.input", "aten::gru.input", "aten::rnn_tanh.input", "aten::rnn_relu.input"];

    /// <summary>
    /// The program itself when it only uses Core ATen ops, else its default decomposition. An LSTM or GRU over a
    /// symbolic sequence length cannot be unrolled: it is kept as it is, and the planner runs it on the host (the rest
    /// of the program on the device), where refusing the whole program would leave it nowhere to run. A loop over
    /// experts that splits the tokens by counts read from the data becomes one grouped product
    /// (<see cref="ExportedProgram.RunDecompositions(DecompositionTable?, bool, bool)"/> with groupedExperts).
    /// </summary>
    public static ExportedProgram ToCore(ExportedProgram program)
    {
        // A rotary embedding written with complex numbers runs on the device as real pairs.
        var core = Decompose(program.WithComplexValuesAsRealPairs());
        // A split by sizes read from the data (_local_scalar_dense) may be a loop over experts: re-traced, each becomes one
        // grouped product and no size is read on the host. Matched on the Core ATen graph, where the loop has one
        // spelling (the reads, mm of each run and a permuted weight).
        return core.Graph.Nodes.Any(n => n.Op?.Name == "aten::split_with_sizes" && n.Args[1] is object?[] sizes
                && sizes.Any(s => s is Node { Op.Name: "aten::_local_scalar_dense" }))
            ? core.RunDecompositions(new DecompositionTable(), groupedQueryAttention: false, groupedExperts: true)
            : core;
    }

    private static ExportedProgram Decompose(ExportedProgram program)
    {
        bool gathersSample = SamplesByGathers(program);
        if (!gathersSample && !program.Graph.Nodes.Any(n => n.Op is { Namespace: "aten", IsCore: false })) return program;
        // Grouped-query attention decomposes on the unrepeated key/value heads: a decoding step reads its cache once per
        // layer instead of copying it once per query group first.
        if (!program.Graph.Nodes.Any(n => n.Op is { } op && Recurrences.Contains(op.Name))) return program.RunDecompositions(DeviceTable(gathersSample), groupedQueryAttention: true);
        try
        {
            return program.RunDecompositions(DeviceTable(gathersSample), groupedQueryAttention: true);
        }
        catch (ExportException)
        {
            var table = DeviceTable(gathersSample);
            foreach (var recurrence in Recurrences) table.Remove(recurrence);
            return program.RunDecompositions(table, groupedQueryAttention: true);
        }
    }

    /// <summary>
    /// Whether the program's 2-D grid samplers (a spatial transformer's, a flow warp's) all sample bilinearly or by
    /// nearest pixel: then each becomes gathers and pointwise ops the device runs, where the op would be a host step.
    /// </summary>
    private static bool SamplesByGathers(ExportedProgram program)
    {
        var samplers = program.Graph.Nodes.Where(n => n.Op?.Name == "aten::grid_sampler_2d").ToList();
        return samplers.Count > 0 && samplers.All(n => n.Args.Length > 2 && n.Args[2] is long mode && mode is 0 or 1);
    }

    /// <summary>
    /// The default table (with 2-D grid samplers as gathers when they all can be), except that a mixture of experts' grouped product of rows (_grouped_mm of a 2-D by a 3-D
    /// operand) becomes the one op the planner runs as a grouped kernel (transformers::grouped_mm_fallback, the same
    /// product) instead of a product of every row with every group's weight.
    /// </summary>
    private static DecompositionTable DeviceTable(bool gathersSample)
    {
        var table = Decompositions.Default();
        if (gathersSample) table["aten::grid_sampler_2d"] = Decompositions.GridSampler2dAsGathers;
        var general = table["aten::_grouped_mm"];
        var grouped = Torch.Ops["transformers::grouped_mm_fallback"];
        table["aten::_grouped_mm"] = a => a[0] is Tensor { Ndim: 2 } x && a[1] is Tensor { Ndim: 3 } w && a[2] is Tensor offs && a[3] is null
            ? grouped.Call(x, w, offs)
            : general(a);
        return table;
    }

    public static object?[] UserOutputs(ExportedProgram program, object?[] graphOutputs) =>
        graphOutputs.Where((_, i) => program.GraphSignature.OutputSpecs[i].Kind == OutputKind.UserOutput)
            .Select(o => o is SymInt s ? (long)s : o).ToArray();

    public static ShapeBinding Bind(ExportedProgram program, IReadOnlyList<Tensor> inputs) =>
        ShapeBinding.FromInputs(program, inputs.Select(t => t.Shape.ToLongs()).ToList());
}
