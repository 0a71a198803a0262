using System.Text.RegularExpressions;
using Graphport.Graphs;
using Graphport.Operators;

namespace Graphport.Serialization;

/// <summary>
/// Rebuilds one graph from the schema's Graph: placeholders from its inputs, a call node per serialized node with
/// arguments placed by the operator schema, getitem nodes for the items of multi-output nodes, get_attr nodes
/// and subgraphs for as_graph arguments, and the output node. With Graphport's extras the original node order,
/// names, sources and module stacks come back exactly; without them (an archive torch wrote) they are taken from
/// the node metadata, as torch's own deserializer does.
/// </summary>
internal sealed partial class GraphReader
{
    private readonly JsonCursor json;
    private readonly SymbolTable symbols;
    private readonly JsonCursor? allExtras;
    private readonly JsonCursor? extras;
    private readonly string path;
    private readonly Graph graph = new();
    private readonly Dictionary<string, Node> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> getAttrs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonCursor> tensorValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonCursor> symIntValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonCursor> symBoolValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorMeta> metas = new(StringComparer.Ordinal);
    private readonly HashSet<string>? extrasOrder;
    private readonly IReadOnlyList<OutputSpec>? outputSpecs;
    // False: complex64 values are read as float32 pairs and rewritten into real ops (ComplexLowering), which every
    // backend runs; true: complex tensors are read as they are (the CPU backend runs them).
    private readonly bool nativeComplex;

    /// <param name="allExtras">The "graphs" object of extra/graphport.json (extras of every graph by path), if any.</param>
    /// <param name="outputSpecs">
    /// The root graph's output specs as saved, constants included: the graph's outputs at the constant ones (an int,
    /// float, bool or None the program returns, which torch writes as the value) are left out of its output node.
    /// </param>
    /// <param name="nativeComplex">Read complex values as complex tensors instead of rewriting them as real pairs.</param>
    public GraphReader(JsonCursor json, SymbolTable symbols, JsonCursor? allExtras, string path, IReadOnlyList<OutputSpec>? outputSpecs = null, bool nativeComplex = false)
    {
        this.nativeComplex = nativeComplex;
        this.json = json;
        this.symbols = symbols;
        this.allExtras = allExtras;
        this.path = path;
        this.outputSpecs = outputSpecs;
        extras = allExtras?.Optional(path);
        extrasOrder = extras?.Optional("order")?.Items().Select(i => i.String()).ToHashSet(StringComparer.Ordinal);
    }

    public Graph Read()
    {
        foreach (var (name, value) in json.Field("tensor_values").Properties()) tensorValues[name] = value;
        foreach (var (name, value) in json.Field("sym_int_values").Properties()) symIntValues[name] = value;
        if (json.Optional("sym_bool_values") is { } bools)
            foreach (var (name, value) in bools.Properties()) symBoolValues[name] = value;

        foreach (var input in json.Field("inputs").Items()) ReadInput(input);
        var nodeNames = extras?.Optional("node_names")?.Items().Select(i => i.String()).ToList();
        int index = 0;
        foreach (var node in json.Field("nodes").Items())
        {
            ReadNode(node, nodeNames is not null && index < nodeNames.Count ? nodeNames[index] : null);
            index++;
        }
        graph.SetOutput(Outputs());
        ApplyExtras();
        string where = path.Length == 0 ? "the program's graph" : $"subgraph {path}";
        ModeWrapperInlining.Inline(graph, where);
        VmapLowering.Lower(graph, where);
        if (nativeComplex) return graph;
        ComplexLowering.Lower(graph, where);
        // A complex value the lowering did not take (an FFT's, stft's: made from real inputs by an op with no pair form)
        // would be left with a pair's shape under an op that computes complex numbers.
        foreach (var node in graph.Nodes)
        {
            if (node.Kind == NodeKind.CallFunction && !node.Meta.ContainsKey(ComplexLowering.ComplexMark)
                && tensorValues.TryGetValue(node.Name, out var value) && value.Field("dtype").Int64() == TensorMetaJson.ComplexFloatCode)
                throw ComplexLoweringException.From(json, $"{node.Name} makes a complex value that has no real-pair form here.");
        }
        // A region inlined later may hand a complex value on; the program itself may not return one.
        if (path.Length == 0 && graph.OutputValues.OfType<Node>().FirstOrDefault(o => o.Meta.ContainsKey(ComplexLowering.ComplexMark)) is { } complexOutput)
            throw ComplexLoweringException.From(json, $"the dtype COMPLEXFLOAT is not supported by Graphport for the program's output {complexOutput.Name}: complex values are taken only inside a program, as (real, imaginary) pairs; return torch.view_as_real of it instead.");
        return graph;
    }

    /// <summary>torch's constant output: a user output whose argument is a value, not a tensor or size by name.</summary>
    public static bool IsConstantOutput(OutputSpec spec) => spec is { Kind: OutputKind.UserOutput, Arg: ConstantArgument };

    /// <summary>The graph's outputs, without the constant outputs its signature names (as torch writes them: the value itself).</summary>
    private object?[] Outputs()
    {
        var items = json.Field("outputs").Items().ToList();
        var outputs = new List<object?>();
        bool constants = outputSpecs is { } specs && specs.Count == items.Count && specs.Any(IsConstantOutput);
        for (int i = 0; i < items.Count; i++)
        {
            var value = Argument(items[i], null, "the graph output");
            if (!constants || !IsConstantOutput(outputSpecs![i]))
            {
                outputs.Add(value);
                continue;
            }
            var constant = ((ConstantArgument)outputSpecs[i].Arg).Value;
            if (value is Node || !ConstantEquals(value, constant))
                throw items[i].Error($"output {i} is {(value is Node n ? n.Name : PythonRepr.Format(value, x => x.Name))} in the graph but the constant {PythonRepr.Format(constant, x => x.Name)} in the signature.");
        }
        return [.. outputs];
    }

    /// <summary>The same constant (NaN equal to NaN; an int and a float of equal value alike, as Python compares them).</summary>
    private static bool ConstantEquals(object? a, object? b) => (a, b) switch
    {
        (double x, double y) => x.Equals(y),
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        _ => Equals(a, b),
    };

    private void ReadInput(JsonCursor input)
    {
        var (tag, v) = input.Union();
        switch (tag)
        {
            case "as_tensor":
            {
                string name = v.Field("name").String();
                RefuseComplexAtTheEdge(name, v, "input");
                Define(name, graph.AddPlaceholder(name, Meta(name, v)), v);
                break;
            }
            case "as_sym_int" when v.Has("as_name"):
            {
                string name = v.Field("as_name").String();
                Define(name, graph.AddPlaceholder(name, SymIntValue(name, v)), v);
                break;
            }
            case "as_none" or "as_int" or "as_float" or "as_bool" or "as_string" when path.Length == 0:
                // torch's constant input (constant_input in the signature): a non-tensor argument specialized to
                // this value, which the graph's nodes hold themselves. No placeholder: ProgramReader leaves it out
                // of the signature and keeps it in the call signature as a constant leaf.
                break;
            default:
                throw input.Error($"a graph input of kind {tag} is not supported by Graphport (inputs are tensors or sizes{(path.Length == 0 ? ", or constants of the program's signature" : "")}).");
        }
    }

    private void ReadNode(JsonCursor c, string? savedName)
    {
        string targetName = c.Field("target").String();
        var target = TargetNames.Resolve(targetName, $"{c.File}: {c.Path}", nativeComplex);
        var outputs = c.Field("outputs").Items().ToList();
        Node node;
        switch (target)
        {
            case OpOverload op:
                node = ReadOp(c, op, outputs, savedName);
                break;
            case BuiltinTarget { Name: "operator.getitem" }:
                node = ReadGetItem(c, outputs);
                break;
            case BuiltinTarget builtin:
            {
                var args = c.Field("inputs").Items().Select(i => Argument(i.Field("arg"), null, $"node {targetName}")).ToArray();
                var (name, value) = SymbolicOutput(c, outputs);
                node = Define(name, graph.AddCall(builtin, args, nameHint: name, value: value, keepName: true), c);
                break;
            }
            case ComplexTarget complexOp:
            {
                // Rewritten into real ops once the graph is read (ComplexLowering).
                var args = c.Field("inputs").Items().Select(i => Argument(i.Field("arg"), null, $"node {targetName}")).ToArray();
                var (tag, value) = outputs.Count == 1 ? outputs[0].Union() : ("", outputs.FirstOrDefault());
                if (tag != "as_tensor") throw c.Error($"{complexOp.Name} returns one tensor.");
                string name = value!.Field("name").String();
                node = Define(name, graph.AddCall(complexOp, args, nameHint: name, value: Meta(name, value), keepName: true), value);
                break;
            }
            case VmapTarget vmap:
            {
                // Rewritten into plain ops once the graph is read (VmapLowering); a batched tensor keeps its name.
                var args = c.Field("inputs").Items().Select(i => Argument(i.Field("arg"), null, $"node {targetName}")).ToArray();
                var (tag, value) = outputs.Count == 1 ? outputs[0].Union() : ("as_none", outputs.FirstOrDefault());
                if (tag == "as_tensor")
                {
                    string name = value!.Field("name").String();
                    node = Define(name, graph.AddCall(vmap, args, nameHint: name, value: Meta(name, value), keepName: true), value);
                }
                else node = graph.AddCall(vmap, args, nameHint: savedName ?? vmap.Name[(vmap.Name.LastIndexOf('.') + 1)..], keepName: savedName is not null);
                break;
            }
            case HigherOrderTarget hop:
            {
                var args = new List<object?>();
                foreach (var input in c.Field("inputs").Items())
                {
                    if (input.Optional("name") is { } n && n.String().Length > 0)
                        throw input.Error($"{hop.Printed} takes positional operands only, but this one is named \"{n.String()}\".");
                    args.Add(Argument(input.Field("arg"), null, $"node {hop.Printed}"));
                }
                var items = TensorItems(outputs, c);
                node = graph.AddCall(hop, [.. args], nameHint: savedName ?? hop.Name, value: items.Select(i => i.Meta).ToArray(), keepName: savedName is not null);
                AddGetItems(node, items);
                break;
            }
            default:
                throw c.Error($"the target {targetName} cannot be rebuilt.");
        }
        if (extras is null) ApplyMetadata(node, c.Optional("metadata"));
    }

    private Node ReadOp(JsonCursor c, OpOverload op, List<JsonCursor> outputs, string? savedName)
    {
        var (args, kwargs) = OpArguments(c, op);
        // Earlier Graphport versions recorded torch.where(c, x, 0.5) as where.self with a number, which torch
        // rejects; read such a node as the overload torch records (where.ScalarOther, ScalarSelf or Scalar).
        if (ReferenceEquals(op, Aten.Where) && args.Length == 3 && (args[1] is not Node || args[2] is not Node))
            op = Aten.WhereFor(args[1] is Node, args[2] is Node);
        var returns = op.Schema.Returns;
        string where = $"{c.File}: {c.Path}";
        if (returns.Count == 0 || outputs.Count == 0)
            return graph.AddCall(op, args, kwargs, nameHint: savedName ?? op.OpName, value: null, keepName: savedName is not null);
        if (returns.Count == 1 && returns[0].Type.IsTensorList)
        {
            var (tag, list) = outputs[0].Union();
            if (tag != "as_tensors") throw outputs[0].Error($"{op.Name} returns a tensor list, so its output must be as_tensors, not {tag}.");
            var items = list.Items().Select(t => (Name: t.Field("name").String(), Meta: (TensorMeta?)Meta(t.Field("name").String(), t))).ToList();
            var node = graph.AddCall(op, args, kwargs, nameHint: savedName ?? op.OpName, value: items.Select(i => i.Meta).ToArray(), keepName: savedName is not null);
            AddGetItems(node, items);
            return node;
        }
        if (returns.Count > 1 || outputs.Count > 1)
        {
            var items = TensorItems(outputs, c, allowNone: true);
            var node = graph.AddCall(op, args, kwargs, nameHint: savedName ?? op.OpName, value: items.Select(i => i.Meta).ToArray(), keepName: savedName is not null);
            AddGetItems(node, items);
            return node;
        }
        var (outTag, outValue) = outputs[0].Union();
        switch (outTag)
        {
            case "as_tensor":
            {
                string name = outValue.Field("name").String();
                return Define(name, graph.AddCall(op, args, kwargs, nameHint: name, value: Meta(name, outValue), keepName: true), outValue);
            }
            case "as_sym_int" or "as_sym_bool":
            {
                var (name, value) = SymbolicOutput(c, outputs);
                return Define(name, graph.AddCall(op, args, kwargs, nameHint: name, value: value, keepName: true), outValue);
            }
            case "as_none":
                return graph.AddCall(op, args, kwargs, nameHint: savedName ?? op.OpName, value: null, keepName: savedName is not null);
            default:
                throw new InvalidDataException($"{where}: an output of kind {outTag} from {op.Name} is not supported by Graphport.");
        }
    }

    /// <summary>A getitem node written explicitly (torch folds them into outputs, but tolerate them).</summary>
    private Node ReadGetItem(JsonCursor c, List<JsonCursor> outputs)
    {
        var args = c.Field("inputs").Items().Select(i => Argument(i.Field("arg"), null, "node operator.getitem")).ToArray();
        if (outputs.Count != 1 || outputs[0].Union().Tag != "as_tensor") throw c.Error("a getitem node must produce one tensor.");
        string name = outputs[0].Union().Value.Field("name").String();
        return Define(name, graph.AddCall(BuiltinTarget.GetItem, args, nameHint: name, value: Meta(name, outputs[0]), keepName: true), c);
    }

    /// <summary>A multi-output node's items; with <paramref name="allowNone"/>, an as_none item (an op's masked-off output) is null.</summary>
    private List<(string Name, TensorMeta? Meta)> TensorItems(List<JsonCursor> outputs, JsonCursor node, bool allowNone = false)
    {
        var items = new List<(string, TensorMeta?)>();
        foreach (var o in outputs)
        {
            var (tag, v) = o.Union();
            if (allowNone && tag == "as_none")
            {
                items.Add(("", null));
                continue;
            }
            if (tag != "as_tensor") throw o.Error($"this node's outputs must all be {(allowNone ? "tensors or None" : "tensors")}; found {tag}.");
            string name = v.Field("name").String();
            items.Add((name, Meta(name, v)));
        }
        if (items.Count == 0) throw node.Error("the node produces no outputs.");
        return items;
    }

    /// <summary>Items torch named "{node}_unused_{i}" were never read, so no getitem is made for them (unless the extras list one).</summary>
    private void AddGetItems(Node node, List<(string Name, TensorMeta? Meta)> items)
    {
        for (int i = 0; i < items.Count; i++)
        {
            var (name, meta) = items[i];
            if (meta is null) continue;
            bool listed = extrasOrder?.Contains(name) ?? false;
            if (!listed && (extrasOrder is not null || UnusedItem().IsMatch(name))) continue;
            var item = graph.AddCall(BuiltinTarget.GetItem, [node, (long)i], nameHint: name, value: meta, keepName: true);
            Define(name, item, null);
            item.Source = node.Source;
            item.ModuleStack = node.ModuleStack;
        }
    }

    private (string Name, object Value) SymbolicOutput(JsonCursor node, List<JsonCursor> outputs)
    {
        if (outputs.Count != 1) throw node.Error($"a size computation has one output, this node has {outputs.Count}.");
        var (tag, v) = outputs[0].Union();
        string name = v.Field("as_name").String();
        return tag switch
        {
            "as_sym_int" => (name, SymIntValue(name, v)),
            "as_sym_bool" => (name, SymBoolValue(name, v)),
            _ => throw outputs[0].Error($"a size computation produces as_sym_int or as_sym_bool, not {tag}."),
        };
    }

    /// <summary>
    /// Places serialized arguments by the op's schema: positional ones at their index (gaps take the schema
    /// default), keyword ones as kwargs unless they equal a null default, as the tracer records calls.
    /// </summary>
    private (object?[] Args, Dictionary<string, object?>? Kwargs) OpArguments(JsonCursor c, OpOverload op)
    {
        var schema = op.Schema;
        var positional = new SortedDictionary<int, object?>();
        Dictionary<string, object?>? kwargs = null;
        foreach (var input in c.Field("inputs").Items())
        {
            string name = input.Field("name").String();
            int index = schema.IndexOf(name);
            if (index < 0) throw input.Error($"{op.Name} has no argument named \"{name}\" (schema: {schema}).");
            var arg = schema.Arguments[index];
            var value = Argument(input.Field("arg"), arg.Type, $"argument {name} of {op.Name}");
            long? kind = input.Optional("kind")?.Int64();
            bool keyword = kind == 2 || (kind is null or 0 && arg.KwargOnly);
            if (keyword)
            {
                if (value is null && arg.HasDefault && arg.Default is null) continue;
                (kwargs ??= [])[name] = value;
            }
            else
            {
                positional[index] = value;
            }
        }
        int count = positional.Count == 0 ? 0 : positional.Keys.Max() + 1;
        var args = new object?[count];
        for (int i = 0; i < count; i++)
        {
            if (positional.TryGetValue(i, out var v)) args[i] = v;
            else if (schema.Arguments[i].HasDefault) args[i] = schema.Arguments[i].Default;
            else throw c.Error($"the required argument {schema.Arguments[i].Name} of {op.Name} is missing.");
        }
        return (args, kwargs);
    }

    private object? Argument(JsonCursor c, SchemaType? type, string what)
    {
        var (tag, v) = c.Union();
        switch (tag)
        {
            case "as_none":
                return null;
            case "as_tensor":
                return Lookup(v.Field("name"));
            case "as_tensors":
                return v.Items().Select(t => (object?)Lookup(t.Field("name"))).ToArray();
            case "as_optional_tensors":
                return v.Items().Select(OptionalTensor).ToArray();
            case "as_optional_tensor":
                return OptionalTensor(v);
            case "as_int":
                return type is { Base: "float", IsList: false } ? (object)(double)v.Int64() : v.Int64();
            case "as_ints":
                return type?.Base == "float" ? v.Items().Select(x => (double)x.Int64()).ToArray() : v.Items().Select(x => (object?)x.Int64()).ToArray();
            case "as_float":
                return v.Double();
            case "as_complex":
                if (!nativeComplex) throw ComplexLoweringException.From(v, "a complex number argument has no form on real pairs.");
                return new System.Numerics.Complex(v.Field("real").Double(), v.Field("imag").Double());
            case "as_floats":
                return v.Items().Select(x => x.Double()).ToArray();
            case "as_bool":
                return v.Bool();
            case "as_bools":
                return v.Items().Select(x => x.Bool()).ToArray();
            case "as_string":
                return v.String();
            case "as_strings":
                return v.Items().Select(x => (object?)x.String()).ToArray();
            case "as_sym_int" or "as_sym_bool":
                return SymArgument(v);
            case "as_sym_ints" or "as_sym_bools":
                return v.Items().Select(SymArgument).ToArray();
            case "as_scalar_type":
            {
                long code = v.Int64();
                // complex64 only as a to() or a check of a complex value, which ComplexLowering takes out.
                if (code == TensorMetaJson.ComplexFloatCode && !nativeComplex) return ComplexTarget.ComplexFloat;
                if (code == TensorMetaJson.ComplexDoubleCode && !nativeComplex) throw ComplexLoweringException.From(v, "complex128 is read as it is.");
                return ScalarTypes.TryParse(code, out var dtype) ? dtype : throw v.Error($"the dtype {ScalarTypes.Name(code)} ({what}) is not supported by Graphport.");
            }
            case "as_memory_format" when v.Int64() is >= 1 and <= 4:
                // Kept (Graphport's kernels always make contiguous tensors): saved again, clone(memory_format=
                // torch.contiguous_format) must still say so, or torch's clone keeps strides its _unsafe_view cannot use.
                return (MemoryFormat)v.Int64();
            case "as_device":
                // Kept, so a program saved again still says where its factories put their tensors (kernels here
                // make them on the CPU whatever it says).
                return new Device(v.Field("type").String(), v.Optional("index")?.Int32());
            case "as_layout":
                return v.Int64() == (long)Layout.Strided
                    ? Layout.Strided
                    : throw v.Error($"the layout {v.Int64()} ({what}) is not supported: Graphport tensors are dense and strided (layout 7).");
            case "as_memory_format":
                // Graphport's kernels always make contiguous tensors; the other formats select nothing else.
                return null;
            case "as_graph":
                return Subgraph(v);
            default:
                throw c.Error($"{what} is of kind {tag}, which Graphport cannot run.");
        }
    }

    private object? OptionalTensor(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_tensor" => Lookup(v.Field("name")),
            "as_none" => null,
            _ => throw c.Error($"an optional tensor is as_tensor or as_none, not {tag}."),
        };
    }

    private object? SymArgument(JsonCursor c)
    {
        var (tag, v) = c.Union();
        return tag switch
        {
            "as_name" => Lookup(v),
            "as_int" => v.Int64(),
            "as_bool" => v.Bool(),
            _ => throw c.Error($"a symbolic argument is as_name, as_int or as_bool, not {tag}."),
        };
    }

    private Node Subgraph(JsonCursor c)
    {
        string name = c.Field("name").String();
        if (getAttrs.TryGetValue(name, out var existing)) return existing;
        if (name.Length == 0 || name.Contains('/')) throw c.Field("name").Error($"\"{name}\" is not a subgraph name.");
        string subPath = path.Length == 0 ? name : $"{path}/{name}";
        var sub = new GraphReader(c.Field("graph"), symbols, allExtras, subPath, nativeComplex: nativeComplex).Read();
        graph.Subgraphs[name] = sub;
        var node = graph.AddGetAttr(name, null, keepName: true);
        getAttrs[name] = node;
        return node;
    }

    private Node Lookup(JsonCursor name)
    {
        string n = name.String();
        return byName.TryGetValue(n, out var node) ? node : throw name.Error($"\"{n}\" is not a value any earlier node or input of this graph produces.");
    }

    private Node Define(string name, Node node, JsonCursor? at)
    {
        if (!byName.TryAdd(name, node)) throw (at ?? json).Error($"the value \"{name}\" is produced twice.");
        return node;
    }

    /// <summary>
    /// Complex values are taken only inside a program (as (real, imaginary) pairs, ComplexLowering): an input or output
    /// of complex dtype would change its caller's shapes, so it is refused naming the fix.
    /// </summary>
    private void RefuseComplexAtTheEdge(string name, JsonCursor at, string what)
    {
        if (!nativeComplex && tensorValues.TryGetValue(name, out var json) && json.Field("dtype").Int64() == TensorMetaJson.ComplexFloatCode)
            throw ComplexLoweringException.From(at, $"the dtype COMPLEXFLOAT is not supported by Graphport for the program's {what} {name}: complex values are taken only inside a program, as (real, imaginary) pairs; export the program with torch.view_as_real of it instead.");
    }

    private TensorMeta Meta(string name, JsonCursor at)
    {
        if (metas.TryGetValue(name, out var meta)) return meta;
        if (!tensorValues.TryGetValue(name, out var json)) throw at.Error($"the tensor \"{name}\" has no entry in tensor_values.");
        meta = TensorMetaJson.Read(json, symbols.SymInt, complexAsPairs: !nativeComplex);
        metas[name] = meta;
        return meta;
    }

    private SymInt SymIntValue(string name, JsonCursor at) =>
        symIntValues.TryGetValue(name, out var json) ? symbols.SymInt(json) : throw at.Error($"the size \"{name}\" has no entry in sym_int_values.");

    private SymBool SymBoolValue(string name, JsonCursor at) =>
        symBoolValues.TryGetValue(name, out var json) ? symbols.SymBool(json) : throw at.Error($"the condition \"{name}\" has no entry in sym_bool_values.");

    /// <summary>stack_trace and nn_module_stack of an archive without Graphport's extras.</summary>
    private static void ApplyMetadata(Node node, JsonCursor? metadata)
    {
        if (metadata is not { } m) return;
        if (m.Optional(NodeMetadataFormat.StackTraceKey) is { } trace) node.Source = NodeMetadataFormat.ParseStackTrace(trace.String());
        if (m.Optional(NodeMetadataFormat.ModuleStackKey) is { } stack) node.ModuleStack = NodeMetadataFormat.ParseModuleStack(stack.String());
        foreach (var item in node.Users.Where(u => u.Target is BuiltinTarget { Name: "operator.getitem" }))
        {
            item.Source = node.Source;
            item.ModuleStack = node.ModuleStack;
        }
    }

    /// <summary>Graphport's record of this graph: node order, subgraph order, exact sources and module stacks.</summary>
    private void ApplyExtras()
    {
        if (extras is not { } x) return;
        var nodes = graph.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        if (x.Optional("nodes") is { } meta)
        {
            foreach (var (name, entry) in meta.Properties())
            {
                if (!nodes.TryGetValue(name, out var node)) continue;
                if (entry.Optional("source") is { } s)
                    node.Source = new SourceFrame(s.Field("file").String(), s.Field("line").Int32(), s.Field("method").String(), s.Optional("code")?.String());
                if (entry.Optional("module_stack") is { } stack)
                {
                    node.ModuleStack = stack.Items().Select(f =>
                    {
                        var pair = f.Items().ToList();
                        return pair.Count == 2 ? new ModuleFrame(pair[0].String(), pair[1].String()) : throw f.Error("a module frame is [path, type].");
                    }).ToList();
                }
                if (entry.Optional("no_value")?.Bool() == true) node.Value = null;
            }
        }
        if (x.Optional("order") is { } order)
        {
            var names = order.Items().Select(i => i.String()).ToList();
            if (names.Count == nodes.Count && names.All(nodes.ContainsKey) && names.Distinct(StringComparer.Ordinal).Count() == names.Count)
                graph.ReorderPlaceholders(names.Select(n => nodes[n]).ToList());
        }
        if (x.Optional("subgraphs") is { } subgraphs)
        {
            var names = subgraphs.Items().Select(i => i.String()).ToList();
            if (names.Count == graph.Subgraphs.Count && names.All(graph.Subgraphs.ContainsKey))
            {
                var ordered = names.Select(n => (n, graph.Subgraphs[n])).ToList();
                graph.Subgraphs.Clear();
                foreach (var (n, g) in ordered) graph.Subgraphs[n] = g;
            }
        }
    }

    [GeneratedRegex("_unused_\\d+$")]
    private static partial Regex UnusedItem();
}
