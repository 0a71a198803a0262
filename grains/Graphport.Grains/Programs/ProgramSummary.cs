using Graphport.Graphs;

namespace Graphport.Grains;

/// <summary>What a program looks like from outside: op count, inputs with their symbolic sizes, ranges, weight size.</summary>
public static class ProgramSummary
{
    /// <summary>A version description with every field a program determines; the ProgramGrain fills in name, number and time.</summary>
    public static ProgramVersionInfo Describe(ExportedProgram program, ProgramVersionKind kind, string origin, int? derivedFrom = null, string? table = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        var weights = program.StateDict.Values.Concat(program.Constants.Values).ToList();
        return new ProgramVersionInfo(
            Name: "",
            Version: 0,
            Kind: kind,
            Origin: origin,
            CreatedAt: default,
            OpCount: program.Graph.Nodes.Count(n => n.Kind == NodeKind.CallFunction),
            NodeCount: program.Graph.Nodes.Count,
            Inputs: Inputs(program),
            RangeConstraints: program.RangeConstraints
                .Select(r => new SymbolRange(r.Key, r.Value.Lower, r.Value.Upper == Shapes.ValueRange.Infinity ? null : r.Value.Upper))
                .ToArray(),
            WeightCount: weights.Count,
            WeightBytes: weights.Sum(t => (long)t.Numel() * t.DType.ElementSize()),
            DerivedFrom: derivedFrom,
            Table: table);
    }

    /// <summary>The user inputs in call order, with sizes as the program prints them.</summary>
    public static ProgramInputInfo[] Inputs(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var placeholders = program.Graph.Placeholders.ToList();
        var result = new List<ProgramInputInfo>();
        for (int i = 0; i < program.GraphSignature.InputSpecs.Count && i < placeholders.Count; i++)
        {
            var spec = program.GraphSignature.InputSpecs[i];
            if (spec.Kind != InputKind.UserInput) continue;
            if (placeholders[i].Value is TensorMeta meta)
                result.Add(new ProgramInputInfo(spec.Arg.Name, TensorData.WireName(meta.DType), meta.Shape.Select(s => s.ToString()).ToArray()));
            else
                result.Add(new ProgramInputInfo(spec.Arg.Name, "scalar", []));
        }
        return [.. result];
    }
}
