using System.Diagnostics;
using System.Text;
using Graphport.Graphs;
using Graphport.Tracing;

namespace Graphport.Onnx;

/// <summary>
/// Turns an ONNX model into an ExportedProgram: the graph's inputs become user inputs (open dims symbolic),
/// its weights become parameters, and each node runs as ATen ops on fake tensors, so the result is the same
/// functional ATen graph a C# module's export gives — printable, decomposable, servable. Shape arithmetic
/// (Shape → Gather → Concat → Reshape) is evaluated on symbolic sizes while tracing instead of becoming ops.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Float weights with at most this many elements are folded as numbers (epsilons, scales) rather than lifted.</summary>
    private const int ScalarConstantLimit = 1;

    /// <summary>Integer vectors up to this size are kept as known values (shapes, axes, pads); larger ones are buffers.</summary>
    private const int KnownIntegerLimit = 64;

    public static ExportedProgram Import(string path, OnnxImportOptions? options = null) => Import(OnnxModel.Load(path), options);

    public static ExportedProgram Import(OnnxModel model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxImportOptions();
        using var activity = Exporter.Activity.StartActivity("import_onnx");
        activity?.SetTag("graphport.onnx.nodes", model.Graph.Nodes.Count);
        activity?.SetTag("graphport.onnx.opset", model.Opset);
        var graph = model.Graph;
        CheckSupported(model);

        var names = new NameTable();
        var values = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        var state = new List<(string Target, Tensor Value, LiftedKind Kind)>();
        // Running statistics are buffers in torch's terms (state, not learned); every other float weight is a parameter.
        var allNodes = AllNodes(graph).ToList();
        var statistics = allNodes.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Inputs.Skip(3).Take(2)).ToHashSet(StringComparer.Ordinal);
        // Weights must be lifted before tracing starts: initializers and Constant nodes (some exporters keep every
        // weight in one; PaddleOCR does) are read up front, those of If branches too (ONNX names are unique model-wide).
        foreach (var initializer in AllGraphs(graph).SelectMany(g => g.Initializers))
            values[initializer.Name] = Constant(initializer, initializer.Name, names, state, statistics.Contains(initializer.Name));
        foreach (var node in allNodes.Where(IsConstantNode))
            values[node.Outputs[0]] = ConstantNode(model, node, names, state, statistics.Contains(node.Outputs[0]));

        var inputs = new List<(string Name, Tensor Example, ShapeSpec? Spec)>();
        CheckInputValues(model, options);
        foreach (var input in graph.RuntimeInputs.Where(i => options.InputValues.ContainsKey(i.Name)))
            values[input.Name] = FixedInput(model, input, options.InputValues[input.Name], names, state);
        var runtimeInputs = graph.RuntimeInputs.Where(i => !options.InputValues.ContainsKey(i.Name)).ToList();
        CheckDimSizes(model, options);
        foreach (var input in runtimeInputs) inputs.Add(ExampleInput(model, input, options, names));

        var program = Exporter.ExportFunction(Path.GetFileNameWithoutExtension(model.SourceName), inputs, state, (tracer, fakes) =>
        {
            for (int i = 0; i < fakes.Length; i++) values[runtimeInputs[i].Name] = new TensorValue(fakes[i]);
            try
            {
                RunGraph(model, graph, values, tracer);
            }
            finally
            {
                tracer.SourceOverride = null;
            }
            var outputs = graph.Outputs.Select(o => OutputTensor(model, o, values)).ToArray();
            return outputs.Length == 1 ? outputs[0] : outputs;
        });
        return UnusedWeights.Dropped(program);
    }

    /// <summary>The graph and the subgraphs its nodes hold (If branches), depth first.</summary>
    private static IEnumerable<OnnxGraph> AllGraphs(OnnxGraph graph)
    {
        yield return graph;
        foreach (var node in graph.Nodes)
            foreach (var attribute in node.Attributes.Values)
                foreach (var sub in attribute.Graph is { } g ? [g] : attribute.Graphs)
                    foreach (var nested in AllGraphs(sub)) yield return nested;
    }

    private static IEnumerable<OnnxNode> AllNodes(OnnxGraph graph) => AllGraphs(graph).SelectMany(g => g.Nodes);

    private static bool IsConstantNode(OnnxNode node) => node.OpType == "Constant" && IsStandardDomain(node.Domain);

    /// <summary>Runs a graph's nodes (Constants were read up front) with <paramref name="values"/> as its scope.</summary>
    private static void RunGraph(OnnxModel model, OnnxGraph graph, Dictionary<string, OnnxValue> values, Tracer tracer)
    {
        foreach (var node in graph.Nodes.Where(n => !IsConstantNode(n))) Run(model, node, values, tracer);
    }

    /// <summary>Refuses, before tracing, what cannot import at all: custom domains and ops with no handler, all listed at once.</summary>
    private static void CheckSupported(OnnxModel model)
    {
        var missing = AllNodes(model.Graph)
            .Where(n => !IsStandardDomain(n.Domain) || !OnnxOpTable.Handlers.ContainsKey(n.OpType))
            .GroupBy(n => (IsStandardDomain(n.Domain) ? "" : n.Domain + ".") + n.OpType)
            .Select(g => $"{g.Key} ({g.Count()} node(s), first {g.First().Describe()})")
            .ToList();
        if (missing.Count == 0) return;
        throw new OnnxImportException(
            $"{model.SourceName} uses ONNX op(s) Graphport cannot import: {string.Join("; ", missing)}. " +
            $"Supported ops: `graphport import onnx --list-ops` (or OnnxImporter.SupportedOps). Re-export the model without them, or register them first.");
    }

    /// <summary>The ONNX op types the importer understands (ai.onnx domain).</summary>
    public static IReadOnlyCollection<string> SupportedOps => OnnxOpTable.Handlers.Keys.Order(StringComparer.Ordinal).ToArray();

    private static bool IsStandardDomain(string domain) => domain is "" or "ai.onnx";

    private static void Run(OnnxModel model, OnnxNode node, Dictionary<string, OnnxValue> values, Tracer tracer)
    {
        tracer.SourceOverride = new SourceFrame(model.SourceName, node.Index + 1, node.Describe(), node.Signature());
        var inputValues = new OnnxValue?[node.Inputs.Count];
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            string name = node.Inputs[i];
            if (name.Length == 0) continue;
            inputValues[i] = values.TryGetValue(name, out var v) ? v
                : throw new OnnxImportException($"ONNX node {node.Describe()} reads '{name}', which no earlier node, input or initializer produces. The graph is not in topological order or is missing a value.");
        }
        var context = new OnnxNodeContext(node, model.Opset, inputValues, Materialize)
        {
            Scope = values,
            ModelInputs = model.Graph.RuntimeInputs.Where(i => values.TryGetValue(i.Name, out var v) && v is TensorValue { Tensor.IsFake: true }).ToList(),
            RunBranch = (branch, bound) =>
            {
                // A branch sees the enclosing scope, with the values passed in (cond operands) in place of the outer ones.
                var scope = new Dictionary<string, OnnxValue>(values, StringComparer.Ordinal);
                foreach (var (name, value) in bound) scope[name] = value;
                RunGraph(model, branch, scope, tracer);
                var outputs = branch.Outputs.Select(o => scope.TryGetValue(o.Name, out var v) ? v
                    : throw new OnnxImportException($"ONNX node {node.Describe()}: its branch '{branch.Name}' declares the output '{o.Name}', which none of its nodes produces.")).ToArray();
                tracer.SourceOverride = new SourceFrame(model.SourceName, node.Index + 1, node.Describe(), node.Signature());
                return outputs;
            },
        };
        OnnxValue[] outputs;
        try
        {
            // A node whose inputs are all constants is computed now (constant folding), not recorded.
            // (Not for nodes with subgraphs: a branch may read traced tensors of the enclosing graph.)
            bool hasSubgraph = node.Attributes.Values.Any(a => a.Graph is not null || a.Graphs.Count > 0);
            using var eager = context.AllInputsReal && !hasSubgraph ? OnnxNodeContext.Eagerly() : null;
            outputs = OnnxOpTable.Handlers[node.OpType](context);
        }
        catch (Exception e) when (e is not OnnxImportException and not ConstraintViolationException)
        {
            throw new OnnxImportException($"ONNX node {node.Describe()} failed to import: {e.Message}", e);
        }
        for (int i = 0; i < node.Outputs.Count && i < outputs.Length; i++)
        {
            if (node.Outputs[i].Length > 0) values[node.Outputs[i]] = outputs[i];
        }
    }

    /// <summary>Known sizes used as tensor data: a real int64 constant when concrete.</summary>
    internal static Tensor Materialize(ShapeValue value)
    {
        if (!value.IsConcrete)
            throw new OnnxImportException(
                $"A model value computed from symbolic sizes ({value}) is used as tensor data, which Graphport cannot trace yet. Import with fixed shapes (--static, or OnnxImportOptions.StaticShapes).");
        using var eager = OnnxNodeContext.Eagerly();
        var data = value.Items.Select(i => (long)i).ToArray();
        var t = Torch.Tensor(data).View(value.Dims.Length == 0 ? [] : value.Dims);
        return value.DType == DType.Int64 ? t : t.To(value.DType);
    }

    private static Tensor OutputTensor(OnnxModel model, OnnxValueInfo output, Dictionary<string, OnnxValue> values)
    {
        if (!values.TryGetValue(output.Name, out var value))
            throw new OnnxImportException($"{model.SourceName} declares the output '{output.Name}', but no node produces it.");
        return value switch
        {
            TensorValue t => t.Tensor,
            ShapeValue { IsConcrete: true } s => Materialize(s),
            ShapeValue s => throw new OnnxImportException(
                $"The model returns sizes ({s}) as an output; Graphport programs return tensors. Import with fixed shapes (--static) to return them as constants."),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>An initializer or Constant: small integers stay known, one-element floats stay numbers, the rest are lifted as parameters.</summary>
    private static OnnxValue ConstantNode(OnnxModel model, OnnxNode node, NameTable names, List<(string Target, Tensor Value, LiftedKind Kind)> state, bool statistic)
    {
        string output = node.Outputs.Count > 0 ? node.Outputs[0] : throw new OnnxImportException($"ONNX node {node.Describe()} has no output.");
        if (node.Attributes.Count != 1)
            throw new OnnxImportException($"ONNX node {node.Describe()} in {model.SourceName} must have exactly one value attribute, but has [{string.Join(", ", node.Attributes.Keys)}].");
        var a = node.Attributes.Values.First();
        using var eager = OnnxNodeContext.Eagerly();
        return a.Name switch
        {
            "value" when a.Tensor is { } t => Constant(t, output, names, state, statistic),
            "value_float" => new TensorValue(Torch.ScalarTensor((double)a.Float).To(DType.Float32)),
            "value_floats" => new TensorValue(Torch.Tensor(a.Floats.ToArray())),
            "value_int" => ShapeValue.Scalar(a.Int),
            "value_ints" => ShapeValue.Vector(a.Ints.Select(i => (SymInt)i).ToArray()),
            _ => throw new OnnxImportException($"ONNX node {node.Describe()} in {model.SourceName} holds a {a.Name} constant, which Graphport cannot import (strings and sparse tensors have no ATen form)."),
        };
    }

    internal static OnnxValue Constant(OnnxTensor tensor, string valueName, NameTable names, List<(string Target, Tensor Value, LiftedKind Kind)> state, bool statistic) =>
        Constant(tensor.ToTensor(), valueName, names, state, statistic);

    private static OnnxValue Constant(Tensor real, string valueName, NameTable names, List<(string Target, Tensor Value, LiftedKind Kind)> state, bool statistic)
    {
        if (real.DType.IsIntegral(includeBool: true) && real.NumelLong <= KnownIntegerLimit && real.Ndim <= 1)
            return new ShapeValue(real.DType, real.Sizes, real.ToArray<long>().Select(v => (SymInt)v).ToArray());
        if (real.NumelLong <= ScalarConstantLimit) return new TensorValue(real);
        var kind = real.DType.IsFloatingPoint() && !statistic ? LiftedKind.Parameter : LiftedKind.Buffer;
        Tensor lifted = kind == LiftedKind.Parameter ? new Parameter(real, requiresGrad: false) : new Buffer(real);
        state.Add((names.Target(valueName), lifted, kind));
        return new TensorValue(lifted);
    }

    /// <summary>Every InputValues key must name a graph input (not an initializer), so a typo is an error, not an input left open.</summary>
    private static void CheckInputValues(OnnxModel model, OnnxImportOptions options)
    {
        var inputs = model.Graph.RuntimeInputs.Select(i => i.Name).ToList();
        var unknown = options.InputValues.Keys.Where(k => !inputs.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new OnnxImportException(
                $"InputValues fixes {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which {(unknown.Count == 1 ? "is" : "are")} not an input of {model.SourceName}. Its inputs: {string.Join(", ", inputs)}.");
        if (inputs.All(options.InputValues.ContainsKey))
            throw new OnnxImportException($"InputValues fixes every input of {model.SourceName}; leave at least one for the program to take.");
    }

    /// <summary>An input fixed at import: its values as a constant of the input's type and declared shape.</summary>
    private static OnnxValue FixedInput(OnnxModel model, OnnxValueInfo input, double[] data, NameTable names, List<(string Target, Tensor Value, LiftedKind Kind)> state)
    {
        var dtype = input.ElementType.ToDType() ?? throw new OnnxImportException(
            $"{model.SourceName}: input '{input.Name}' is {input.ElementType.Describe()}, which Graphport tensors cannot hold.");
        var dims = input.Shape ?? [];
        long[] shape = dims.Select(d => d.Value ?? -1).ToArray();
        if (shape.Any(s => s < 0))
        {
            // An input with open dims takes a vector of the values given (or a scalar when the input has no dims).
            if (shape.Length > 1)
                throw new OnnxImportException($"{model.SourceName}: input '{input.Name}' has open dims in a shape of rank {shape.Length}; InputValues fixes inputs of fixed shape, scalars and vectors.");
            shape = [data.Length];
        }
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
            throw new OnnxImportException(
                $"InputValues gives {data.Length} value(s) for input '{input.Name}' of {model.SourceName}, whose shape [{string.Join(", ", shape)}] holds {count}.");
        using var eager = OnnxNodeContext.Eagerly();
        var real = Torch.Tensor(data).View(shape).To(dtype);
        return Constant(real, input.Name, names, state, statistic: true);
    }

    /// <summary>Every DimSizes key must name an open dim (by dim_param or input:axis), so a typo is an error, not a silent default.</summary>
    private static void CheckDimSizes(OnnxModel model, OnnxImportOptions options)
    {
        var unknown = new List<string>();
        foreach (var key in options.DimSizes.Keys)
        {
            var resolved = OnnxDimKey.Resolve(model.Graph, key);
            if (resolved.Kind == OnnxDimKeyKind.FixedAxis)
                throw new OnnxImportException($"DimSizes sets {key}, but {model.SourceName} fixes that dim at {resolved.FixedSize}; only open dims take example sizes.");
            if (resolved.Kind == OnnxDimKeyKind.Unknown) unknown.Add(key);
        }
        if (unknown.Count == 0) return;
        var open = OnnxDimKey.DescribeOpen(model.Graph);
        throw new OnnxImportException(
            $"DimSizes names {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which {(unknown.Count == 1 ? "is" : "are")} not an open dim of {model.SourceName}. " +
            (open.Count == 0 ? "The model has no open dims: every input size is fixed." : $"Its open dims: {string.Join(", ", open)}; key them by name or by input:axis."));
    }

    private static (string Name, Tensor Example, ShapeSpec? Spec) ExampleInput(OnnxModel model, OnnxValueInfo input, OnnxImportOptions options, NameTable names)
    {
        var dtype = input.ElementType.ToDType() ?? throw new OnnxImportException(
            $"{model.SourceName}: input '{input.Name}' is {input.ElementType.Describe()}, which Graphport tensors cannot hold.");
        if (input.Shape is null)
            throw new OnnxImportException($"{model.SourceName}: input '{input.Name}' declares no shape. Graphport traces with example inputs; add a shape to the model's input (onnx's make_tensor_value_info).");
        var sizes = new long[input.Shape.Count];
        var spec = new ShapeSpec();
        for (int d = 0; d < sizes.Length; d++)
        {
            var dim = input.Shape[d];
            if (dim.Value is { } fixedSize)
            {
                sizes[d] = fixedSize;
                continue;
            }
            string axisKey = $"{input.Name}:{d}";
            sizes[d] = options.DimSizes.TryGetValue(axisKey, out var byAxis) ? byAxis
                : dim.Param is { Length: > 0 } p && options.DimSizes.TryGetValue(p, out var byName) ? byName
                : options.DefaultDimSize;
            if (sizes[d] < 0) throw new OnnxImportException($"The example size {sizes[d]} for {input.Name} dim {d} is negative; give a size >= 1.");
            if (!options.StaticShapes) spec[d] = Dim.Auto;
        }
        Tensor example;
        using (OnnxNodeContext.Eagerly()) example = Torch.Zeros(sizes, dtype);
        return (names.Input(input.Name), example, spec.Count == 0 ? null : spec);
    }

    /// <summary>Makes ONNX names ("onnx::MatMul_12", "1.weight") into graph-safe names, each used once.</summary>
    internal sealed class NameTable
    {
        private readonly HashSet<string> used = new(StringComparer.Ordinal);

        /// <summary>A state-dict key: dotted paths kept, other characters outside [A-Za-z0-9_] become '_'.</summary>
        public string Target(string onnxName) => Unique(Clean(onnxName, keepDots: true), "weight");

        public string Input(string onnxName) => Unique(Clean(onnxName, keepDots: false), "input");

        private static string Clean(string name, bool keepDots)
        {
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
                sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || keepDots && c == '.' ? c : '_');
            var parts = sb.ToString().Split('.', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => char.IsAsciiDigit(p[0]) ? "_" + p : p);
            return string.Join(".", parts);
        }

        private string Unique(string name, string fallback)
        {
            if (name.Length == 0) name = fallback;
            string candidate = name;
            for (int k = 1; !used.Add(candidate); k++) candidate = $"{name}_{k}";
            return candidate;
        }
    }
}
