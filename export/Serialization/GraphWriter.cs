using System.Text.Json.Nodes;
using Graphport.Graphs;
using Graphport.Operators;
using Graphport.Passes;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Writes one graph (and, recursively, the subgraphs of its cond/map nodes) as the schema's Graph: placeholders
/// become inputs, calls become Nodes with named arguments, getitem nodes disappear into the outputs of the node
/// they read (as torch serializes them), and every value's metadata goes into tensor_values / sym_int_values /
/// sym_bool_values. What the schema cannot say (node order, names of multi-output nodes, exact sources, values
/// left empty) is recorded in <see cref="Extras"/> for extra/graphport.json.
/// </summary>
internal sealed class GraphWriter
{
    private readonly Graph graph;
    private readonly SymbolicWriter sym;
    private readonly string path;
    private readonly JsonObject allExtras;
    private readonly JsonObject tensorValues = [];
    private readonly JsonObject symIntValues = [];
    private readonly JsonObject symBoolValues = [];
    private readonly Dictionary<Node, object> symbolic = [];
    private readonly Dictionary<Node, string> aliases = [];
    private readonly IReadOnlySet<string> parameterInputs;
    private readonly IReadOnlyList<InputSpec>? inputSpecs;
    private readonly IReadOnlyList<OutputSpec>? outputSpecs;

    /// <param name="allExtras">Per-graph extras of the whole program, keyed by graph path ("" for the root).</param>
    /// <param name="parameterInputs">Placeholders that are parameters: torch records them as requiring gradients.</param>
    /// <param name="inputSpecs">
    /// The root graph's input specs as written (<see cref="ConstantInputs.Interleave"/>): one per placeholder, in
    /// order, with torch's constant inputs between them, which become constant graph inputs as torch writes them.
    /// </param>
    /// <param name="outputSpecs">
    /// The root graph's output specs as written (<see cref="ConstantOutputs.Interleave"/>): one per output, in order,
    /// with the constants the program returns between them, which become constant graph outputs as torch writes them.
    /// </param>
    public GraphWriter(Graph graph, SymbolicWriter sym, string path, JsonObject allExtras, IReadOnlySet<string>? parameterInputs = null,
        IReadOnlyList<InputSpec>? inputSpecs = null, IReadOnlyList<OutputSpec>? outputSpecs = null)
    {
        this.graph = graph;
        this.sym = sym;
        this.path = path;
        this.allExtras = allExtras;
        this.parameterInputs = parameterInputs ?? new HashSet<string>();
        this.inputSpecs = inputSpecs;
        this.outputSpecs = outputSpecs;
    }

    public JsonObject Write()
    {
        foreach (var n in graph.Nodes)
            if (n.Kind is NodeKind.CallFunction or NodeKind.Placeholder && n.Target is not BuiltinTarget { Name: "operator.getitem" }) ComputeSymbolic(n);
        var inputs = inputSpecs is null ? new JsonArray([.. graph.Placeholders.Select(p => (JsonNode)Input(p))]) : InputsWithConstants(inputSpecs);
        var nodes = new JsonArray();
        var nodeNames = new JsonArray();
        foreach (var n in graph.Nodes)
        {
            if (n.Kind != NodeKind.CallFunction || n.Target is BuiltinTarget { Name: "operator.getitem" }) continue;
            nodes.Add(WriteNode(n));
            nodeNames.Add(n.Name);
        }
        var output = graph.OutputNode ?? throw new ExportException("Cannot save a graph without an output node.");
        var outputItems = Graph.OutputItems(output);
        var outputs = outputSpecs is null
            ? new JsonArray([.. outputItems.Select(o => (JsonNode)Argument(o, null, $"the output of graph {GraphLabel}"))])
            : OutputsWithConstants(outputItems, outputSpecs);
        allExtras[path] = Extras(nodeNames);
        return new JsonObject
        {
            ["inputs"] = inputs,
            ["outputs"] = outputs,
            ["nodes"] = nodes,
            ["tensor_values"] = tensorValues,
            ["sym_int_values"] = symIntValues,
            ["sym_bool_values"] = symBoolValues,
            ["is_single_tensor_return"] = false,
            ["custom_obj_values"] = new JsonObject(),
            ["sym_float_values"] = new JsonObject(),
        };
    }

    private string GraphLabel => path.Length == 0 ? "the program" : path;

    /// <summary>The placeholders in order, with each constant input of the specs written as its value where it stands.</summary>
    private JsonArray InputsWithConstants(IReadOnlyList<InputSpec> specs)
    {
        var inputs = new JsonArray();
        using var placeholders = graph.Placeholders.GetEnumerator();
        foreach (var spec in specs)
        {
            if (spec is { Kind: InputKind.UserInput, Arg: ConstantArgument c })
                inputs.Add(SignatureJson.ConstantValue(c.Value));
            else if (placeholders.MoveNext())
                inputs.Add(Input(placeholders.Current));
            else
                throw new ExportException($"Cannot save {GraphLabel}: its signature has more inputs than the graph has placeholders.");
        }
        if (placeholders.MoveNext())
            throw new ExportException($"Cannot save {GraphLabel}: its graph has more placeholders than its signature has inputs.");
        return inputs;
    }

    /// <summary>The graph's outputs in order, with each constant output of the specs written as its value where it stands.</summary>
    private JsonArray OutputsWithConstants(object?[] items, IReadOnlyList<OutputSpec> specs)
    {
        var outputs = new JsonArray();
        int next = 0;
        foreach (var spec in specs)
        {
            if (spec is { Kind: OutputKind.UserOutput, Arg: ConstantArgument c })
                outputs.Add(SignatureJson.ConstantValue(c.Value));
            else if (next < items.Length)
                outputs.Add(Argument(items[next++], null, $"the output of graph {GraphLabel}"));
            else
                throw new ExportException($"Cannot save {GraphLabel}: its signature has more outputs than the graph returns.");
        }
        if (next < items.Length)
            throw new ExportException($"Cannot save {GraphLabel}: its graph returns more values than its signature has outputs.");
        return outputs;
    }

    private JsonObject Input(Node p)
    {
        switch (p.Value)
        {
            case TensorMeta meta:
                tensorValues[p.Name] = TensorMetaJson.Write(meta, sym, requiresGrad: parameterInputs.Contains(p.Name));
                return new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = p.Name } };
            case SymInt s:
                symIntValues[p.Name] = sym.SymInt(s);
                return new JsonObject { ["as_sym_int"] = new JsonObject { ["as_name"] = p.Name } };
            default:
                throw new ExportException($"Cannot save input {p.Name} of {GraphLabel}: it holds {p.Value?.GetType().Name ?? "nothing"}, but graph inputs must be tensors or sizes.");
        }
    }

    /// <summary>The size expression a size node computes; arithmetic nodes on sizes carry none of their own, so it is derived here.</summary>
    private void ComputeSymbolic(Node n)
    {
        switch (n.Value)
        {
            case SymInt s:
                symbolic[n] = s.Expr;
                return;
            case SymBool b:
                symbolic[n] = b.Expr;
                return;
            case null when n.Target is BuiltinTarget builtin:
                symbolic[n] = Evaluate(builtin, n);
                return;
        }
    }

    private object Evaluate(BuiltinTarget builtin, Node n)
    {
        SymExpr I(int i) => n.Args.Length > i ? n.Args[i] switch
        {
            long l => SymExpr.Constant(l),
            int v => SymExpr.Constant(v),
            Node x when symbolic.TryGetValue(x, out var e) && e is SymExpr expr => expr,
            var other => throw new ExportException($"Cannot save node {n.Name}: its argument {PythonRepr.Format(other, x => x.Name)} is not a size."),
        } : throw new ExportException($"Cannot save node {n.Name}: {builtin.Name} is missing an argument.");
        SymBoolExpr B(int i) => n.Args.Length > i ? n.Args[i] switch
        {
            bool b => SymBoolExpr.Const(b),
            Node x when symbolic.TryGetValue(x, out var e) && e is SymBoolExpr expr => expr,
            var other => throw new ExportException($"Cannot save node {n.Name}: its argument {PythonRepr.Format(other, x => x.Name)} is not a size condition."),
        } : throw new ExportException($"Cannot save node {n.Name}: {builtin.Name} is missing an argument.");
        return builtin.Name switch
        {
            "operator.add" => I(0) + I(1),
            "operator.sub" => I(0) - I(1),
            "operator.mul" => I(0) * I(1),
            "operator.floordiv" => SymExpr.FloorDiv(I(0), I(1)),
            "operator.mod" => SymExpr.Mod(I(0), I(1)),
            "operator.neg" => -I(0),
            "torch.sym_max" => SymExpr.Max(I(0), I(1)),
            "torch.sym_min" => SymExpr.Min(I(0), I(1)),
            "operator.eq" => SymRelation.Make(Relation.Eq, I(0), I(1)),
            "operator.ne" => SymRelation.Make(Relation.Ne, I(0), I(1)),
            "operator.lt" => SymRelation.Make(Relation.Lt, I(0), I(1)),
            "operator.le" => SymRelation.Make(Relation.Le, I(0), I(1)),
            "operator.gt" => SymRelation.Make(Relation.Gt, I(0), I(1)),
            "operator.ge" => SymRelation.Make(Relation.Ge, I(0), I(1)),
            "operator.and_" => SymLogical.Make(true, B(0), B(1)),
            "operator.or_" => SymLogical.Make(false, B(0), B(1)),
            "operator.not_" => B(0).Negate(),
            _ => throw new ExportException($"Cannot save node {n.Name}: {builtin.Name} has no schema form."),
        };
    }

    private JsonObject WriteNode(Node n)
    {
        var metadata = new JsonObject();
        if (n.Source is { } source) metadata[NodeMetadataFormat.StackTraceKey] = NodeMetadataFormat.StackTrace(source);
        if (n.ModuleStack.Count > 0) metadata[NodeMetadataFormat.ModuleStackKey] = NodeMetadataFormat.ModuleStack(n.ModuleStack);
        JsonArray inputs, outputs;
        bool? hopSingleTensorReturn = null;
        switch (n.Target)
        {
            case OpOverload op:
                inputs = OpInputs(n, op);
                outputs = OpOutputs(n, op);
                break;
            case BuiltinTarget builtin:
                inputs = new JsonArray([.. n.Args.Select((a, i) => (JsonNode)Named(i == 0 ? "a" : i == 1 ? "b" : $"arg{i}", Argument(a, null, Where(n)), positional: true))]);
                outputs = [SymbolicOutput(n, n.Name)];
                break;
            case HigherOrderTarget:
                inputs = new JsonArray([.. n.Args.Select(a => (JsonNode)Named("", Argument(a, null, Where(n)), positional: true))]);
                outputs = MultipleOutputs(n, n.Value as TensorMeta[] ?? throw new ExportException($"Cannot save node {n.Name}: a higher-order op must produce a tuple of tensors."));
                hopSingleTensorReturn = false;
                break;
            default:
                throw new ExportException($"Cannot save node {n.Name}: its target {GraphPrinter.TargetName(n.Target)} has no serialized form.");
        }
        return new JsonObject
        {
            ["target"] = TargetNames.Of(n.Target),
            ["inputs"] = inputs,
            ["outputs"] = outputs,
            ["metadata"] = metadata,
            ["is_hop_single_tensor_return"] = hopSingleTensorReturn,
        };
    }

    private static string Where(Node n) => $"node {n.Name}";

    private static JsonObject Named(string name, JsonObject arg, bool positional) =>
        new() { ["name"] = name, ["arg"] = arg, ["kind"] = positional ? 1 : 2 };

    /// <summary>Arguments in schema order, positional ones first and keyword-only ones as keywords, as torch writes them.</summary>
    private JsonArray OpInputs(Node n, OpOverload op)
    {
        var schema = op.Schema.Arguments;
        if (n.Args.Length > schema.Count)
            throw new ExportException($"Cannot save node {n.Name}: it passes {n.Args.Length} arguments to {op.Name}, whose schema has {schema.Count}.");
        foreach (var key in n.Kwargs.Keys)
            if (op.Schema.IndexOf(key) < 0) throw new ExportException($"Cannot save node {n.Name}: {op.Name} has no argument named {key}.");
        CheckTensorArguments(n, op);
        var inputs = new JsonArray();
        for (int i = 0; i < schema.Count; i++)
        {
            var arg = schema[i];
            if (n.Kwargs.TryGetValue(arg.Name, out var kw))
                inputs.Add(Named(arg.Name, Argument(kw, arg.Type, $"argument {arg.Name} of node {n.Name}"), positional: false));
            else if (i < n.Args.Length)
                inputs.Add(Named(arg.Name, Argument(n.Args[i], arg.Type, $"argument {arg.Name} of node {n.Name}"), positional: true));
        }
        return inputs;
    }

    /// <summary>
    /// A number where the schema declares a Tensor would be written as as_float / as_int, which torch rejects when
    /// it runs the program (except in the few ops that allow it, NumbersAsTensors); refuse to write such a node.
    /// </summary>
    private static void CheckTensorArguments(Node n, OpOverload op)
    {
        foreach (var (arg, value) in NumbersAsTensors.Misplaced(n, op))
            throw new ExportException($"Cannot save node {n.Name}: it passes the number {PythonRepr.Format(value, x => x.Name)} as {arg.Name} of {op.Name}, which takes a {arg.Type}; torch would reject the program. Record the overload that takes a Scalar (for where: where.ScalarOther, where.ScalarSelf or where.Scalar).");
    }

    private JsonArray OpOutputs(Node n, OpOverload op)
    {
        var returns = op.Schema.Returns;
        if (returns.Count == 0) return [];
        if (returns.Count == 1 && returns[0].Type.IsTensorList)
        {
            var metas = n.Value as TensorMeta[] ?? throw new ExportException($"Cannot save node {n.Name}: {op.Name} returns a tensor list, but the node holds {n.Value?.GetType().Name ?? "nothing"}.");
            var names = GetItemNames(n, metas.Length);
            var list = new JsonArray();
            for (int i = 0; i < metas.Length; i++)
            {
                tensorValues[names[i]] = TensorMetaJson.Write(metas[i], sym);
                list.Add(new JsonObject { ["name"] = names[i] });
            }
            return [new JsonObject { ["as_tensors"] = list }];
        }
        if (returns.Count > 1)
            return MultipleOutputs(n, n.Value as TensorMeta[] ?? throw new ExportException($"Cannot save node {n.Name}: {op.Name} returns {returns.Count} values, but the node holds {n.Value?.GetType().Name ?? "nothing"}."));
        switch (n.Value)
        {
            case TensorMeta meta:
                tensorValues[n.Name] = TensorMetaJson.Write(meta, sym);
                return [new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = n.Name } }];
            case SymInt or SymBool:
                return [SymbolicOutput(n, n.Name)];
            default:
                throw new ExportException($"Cannot save node {n.Name}: {op.Name} produced {n.Value?.GetType().Name ?? "nothing"}, which has no serialized form.");
        }
    }

    private JsonArray MultipleOutputs(Node n, TensorMeta?[] metas)
    {
        var names = GetItemNames(n, metas.Length);
        var outputs = new JsonArray();
        for (int i = 0; i < metas.Length; i++)
        {
            // An output the op did not produce (a masked-off gradient) is written as torch writes it: as_none.
            if (metas[i] is not { } meta)
            {
                outputs.Add(new JsonObject { ["as_none"] = true });
                continue;
            }
            tensorValues[names[i]] = TensorMetaJson.Write(meta, sym);
            outputs.Add(new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = names[i] } });
        }
        return outputs;
    }

    /// <summary>The names of a multi-output node's items: its getitem users, or "{node}_unused_{i}" as torch names unread ones.</summary>
    private string[] GetItemNames(Node n, int count)
    {
        var names = new string?[count];
        foreach (var user in graph.UsersOf(n))
        {
            if (user.Target is not BuiltinTarget { Name: "operator.getitem" } || user.Args.Length < 2 || user.Args[0] != n) continue;
            if (user.Args[1] is not long index || index < 0 || index >= count)
                throw new ExportException($"Cannot save node {user.Name}: it reads item {PythonRepr.Format(user.Args[1], x => x.Name)} of {n.Name}, which has {count}.");
            if (names[index] is { } first) aliases[user] = first;
            else names[index] = user.Name;
        }
        return names.Select((name, i) => name ?? $"{n.Name}_unused_{i}").ToArray();
    }

    private JsonObject SymbolicOutput(Node n, string name)
    {
        switch (symbolic.GetValueOrDefault(n))
        {
            case SymExpr e:
                symIntValues[name] = sym.SymInt(e);
                return new JsonObject { ["as_sym_int"] = new JsonObject { ["as_name"] = name } };
            case SymBoolExpr b:
                symBoolValues[name] = sym.SymBool(b);
                return new JsonObject { ["as_sym_bool"] = new JsonObject { ["as_name"] = name } };
            default:
                throw new ExportException($"Cannot save node {n.Name}: it should compute a size but holds {n.Value?.GetType().Name ?? "nothing"}.");
        }
    }

    private string NameOf(Node n) => aliases.GetValueOrDefault(n) ?? n.Name;

    /// <summary>One argument as the schema's Argument union; the schema type decides empty lists and int-vs-float.</summary>
    private JsonObject Argument(object? value, SchemaType? type, string where)
    {
        switch (value)
        {
            case null:
                return new JsonObject { ["as_none"] = true };
            case Node n:
                return NodeArgument(n, where);
            case bool b:
                return new JsonObject { ["as_bool"] = b };
            case long or int:
                long l = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                return type?.Base == "float" ? new JsonObject { ["as_float"] = (double)l } : new JsonObject { ["as_int"] = l };
            case double or float:
                return new JsonObject { ["as_float"] = Float(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)) };
            case string s:
                return new JsonObject { ["as_string"] = s };
            case System.Numerics.Complex c:
                // A Python complex number (x * 1j), written as torch 2.x writes it.
                return new JsonObject { ["as_complex"] = new JsonObject { ["real"] = Float(c.Real), ["imag"] = Float(c.Imaginary) } };
            case DType d:
                return new JsonObject { ["as_scalar_type"] = ScalarTypes.Of(d) };
            case MemoryFormat m:
                return new JsonObject { ["as_memory_format"] = (int)m };
            case Layout layout:
                return new JsonObject { ["as_layout"] = (int)layout };
            case Device device:
                return new JsonObject { ["as_device"] = new JsonObject { ["type"] = device.Type, ["index"] = device.Index } };
            case SymInt { IsSymbolic: false } s:
                return new JsonObject { ["as_int"] = s.AsConstant!.Value };
            case long[] longs:
                return new JsonObject { ["as_ints"] = new JsonArray([.. longs.Select(x => (JsonNode)x)]) };
            case double[] doubles:
                return new JsonObject { ["as_floats"] = new JsonArray([.. doubles.Select(Float)]) };
            case bool[] bools:
                return new JsonObject { ["as_bools"] = new JsonArray([.. bools.Select(x => (JsonNode)x)]) };
            case object?[] list:
                return List(list, type, where);
            default:
                throw new ExportException($"Cannot save {where}: a value of type {value.GetType().Name} has no serialized form.");
        }
    }

    private JsonObject NodeArgument(Node n, string where)
    {
        if (n.Kind == NodeKind.GetAttr)
        {
            string name = (string)n.Target;
            var sub = graph.Subgraphs.GetValueOrDefault(name) ?? throw new ExportException($"Cannot save {where}: get_attr {name} refers to no subgraph.");
            var subPath = path.Length == 0 ? name : $"{path}/{name}";
            var written = new GraphWriter(sub, sym, subPath, allExtras).Write();
            return new JsonObject { ["as_graph"] = new JsonObject { ["name"] = name, ["graph"] = written } };
        }
        switch (n.Value)
        {
            case TensorMeta:
                return new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = NameOf(n) } };
            case TensorMeta[]:
                throw new ExportException($"Cannot save {where}: it uses the tuple produced by {n.Name} directly; read its items with getitem.");
        }
        return symbolic.GetValueOrDefault(n) switch
        {
            SymExpr => new JsonObject { ["as_sym_int"] = new JsonObject { ["as_name"] = n.Name } },
            SymBoolExpr => new JsonObject { ["as_sym_bool"] = new JsonObject { ["as_name"] = n.Name } },
            _ => throw new ExportException($"Cannot save {where}: node {n.Name} holds {n.Value?.GetType().Name ?? "nothing"}."),
        };
    }

    private JsonObject List(object?[] list, SchemaType? type, string where)
    {
        if (list.Length == 0)
        {
            string tag = type?.Base switch
            {
                "bool" => "as_bools",
                "int" or "SymInt" => "as_ints",
                "float" => "as_floats",
                "str" => "as_strings",
                _ => "as_tensors",
            };
            return new JsonObject { [tag] = new JsonArray() };
        }
        if (list.All(x => x is bool)) return new JsonObject { ["as_bools"] = new JsonArray([.. list.Select(x => (JsonNode)(bool)x!)]) };
        if (list.All(x => x is long or int))
        {
            var longs = list.Select(x => Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return type?.Base == "float"
                ? new JsonObject { ["as_floats"] = new JsonArray([.. longs.Select(x => Float(x))]) }
                : new JsonObject { ["as_ints"] = new JsonArray([.. longs.Select(x => (JsonNode)x)]) };
        }
        if (list.All(x => x is double or float)) return new JsonObject { ["as_floats"] = new JsonArray([.. list.Select(x => Float(Convert.ToDouble(x, System.Globalization.CultureInfo.InvariantCulture)))]) };
        if (list.All(x => x is string)) return new JsonObject { ["as_strings"] = new JsonArray([.. list.Select(x => (JsonNode)(string)x!)]) };
        if (list.All(x => x is long or int || x is Node { Kind: NodeKind.CallFunction or NodeKind.Placeholder } n && symbolic.GetValueOrDefault(n) is SymExpr))
        {
            return new JsonObject
            {
                ["as_sym_ints"] = new JsonArray([.. list.Select(x => (JsonNode)(x is Node n
                    ? new JsonObject { ["as_name"] = n.Name }
                    : new JsonObject { ["as_int"] = Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture) }))]),
            };
        }
        if (list.All(x => x is Node { Value: TensorMeta })) return new JsonObject { ["as_tensors"] = new JsonArray([.. list.Select(x => (JsonNode)new JsonObject { ["name"] = NameOf((Node)x!) })]) };
        if (list.All(x => x is null or Node { Value: TensorMeta }))
        {
            return new JsonObject
            {
                ["as_optional_tensors"] = new JsonArray([.. list.Select(x => (JsonNode)(x is Node n
                    ? new JsonObject { ["as_tensor"] = new JsonObject { ["name"] = NameOf(n) } }
                    : new JsonObject { ["as_none"] = true }))]),
            };
        }
        throw new ExportException($"Cannot save {where}: the list [{string.Join(", ", list.Select(x => x?.GetType().Name ?? "null"))}] mixes kinds of values the schema cannot hold in one list.");
    }

    /// <summary>torch writes non-finite floats as strings, since JSON has no literal for them.</summary>
    private static JsonNode Float(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : JsonValue.Create(d);

    private JsonObject Extras(JsonArray nodeNames)
    {
        var nodeMeta = new JsonObject();
        foreach (var n in graph.Nodes)
        {
            var entry = new JsonObject();
            if (n.Source is { } s)
                entry["source"] = new JsonObject { ["file"] = s.File, ["line"] = s.Line, ["method"] = s.Method, ["code"] = s.Code };
            if (n.ModuleStack.Count > 0)
                entry["module_stack"] = new JsonArray([.. n.ModuleStack.Select(f => (JsonNode)new JsonArray(f.Path, f.TypeName))]);
            if (n.Kind == NodeKind.CallFunction && n.Value is null) entry["no_value"] = true;
            if (entry.Count > 0) nodeMeta[n.Name] = entry;
        }
        return new JsonObject
        {
            ["order"] = new JsonArray([.. graph.Nodes.Select(n => (JsonNode)n.Name)]),
            ["node_names"] = nodeNames,
            ["subgraphs"] = new JsonArray([.. graph.Subgraphs.Keys.Select(k => (JsonNode)k)]),
            ["nodes"] = nodeMeta,
        };
    }
}
