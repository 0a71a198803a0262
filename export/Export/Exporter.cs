using System.Diagnostics;
using System.Reflection;
using Graphport.Analysis;
using Graphport.Graphs;
using Graphport.Shapes;
using Graphport.Tracing;
using Microsoft.Extensions.Logging;

namespace Graphport;

/// <summary>
/// torch.export.export in C#: checks the arguments and dynamic shapes, rejects graph breaks (strict), traces
/// Forward on fake tensors, functionalizes mutations, solves the shape constraints and builds the program.
/// </summary>
internal static class Exporter
{
    public static readonly ActivitySource Activity = new("Graphport.Export");

    public static ExportedProgram Export(Module module, object?[] args, IReadOnlyDictionary<string, object?>? kwargs, DynamicShapes? dynamicShapes, bool strict)
    {
        ArgumentNullException.ThrowIfNull(module);
        var forward = module.ForwardMethod;
        return Trace(new TracedCallable($"{module.GetType().Name}.Forward", module.GetType().Name, forward, forward.GetParameters(), module, module.InvokeForward), args, kwargs, dynamicShapes, strict);
    }

    /// <summary>
    /// torch.export of a callable: traces <paramref name="function"/> (a method group, local function or lambda)
    /// with its parameters as the program's inputs. A function bound to a module (model.Forward) lifts that module's
    /// parameters and buffers as a module export does; tensors any other function captures become constants.
    /// </summary>
    public static ExportedProgram Export(Delegate function, object?[] args, IReadOnlyDictionary<string, object?>? kwargs, DynamicShapes? dynamicShapes, bool strict)
    {
        ArgumentNullException.ThrowIfNull(function);
        var invocations = function.GetInvocationList();
        if (invocations.Length != 1)
            throw new ExportException($"Export traces one function, but the delegate combines {invocations.Length} ({string.Join(", ", invocations.Select(d => FunctionName(d.Method)))}); export each on its own.");
        var method = function.Method;
        // A static method bound to its first argument (an extension method's method group) takes one parameter fewer.
        var parameters = method.IsStatic && function.Target is not null ? method.GetParameters()[1..] : method.GetParameters();
        string name = FunctionName(method);
        var owner = function.Target as Module;
        string label = owner is null ? name : $"{owner.GetType().Name}.{name}";
        return Trace(new TracedCallable(label, name, method, parameters, owner, fakeArgs => Invoke(function, fakeArgs)), args, kwargs, dynamicShapes, strict);
    }

    /// <summary>
    /// What Export traces: a label for messages ("MyModule.Forward", "MapExample"), the method whose parameters are
    /// the program's inputs (and whose IL strict mode inspects), the module whose state is lifted (null for a free
    /// function), and how to call it on the fake inputs.
    /// </summary>
    private sealed record TracedCallable(string Label, string ShortName, MethodInfo Method, ParameterInfo[] Parameters, Module? Owner, Func<object?[], object?> Invoke);

    /// <summary>The name a person wrote: MapExample for a local function, "lambda in Run" for a lambda (the compiler names them &lt;Run&gt;b__0_0).</summary>
    private static string FunctionName(MethodInfo method)
    {
        string name = method.Name;
        if (!name.StartsWith('<')) return name;
        int close = name.IndexOf('>', StringComparison.Ordinal);
        string outer = close > 1 ? name[1..close] : "";
        int local = name.IndexOf(">g__", StringComparison.Ordinal);
        if (local >= 0)
        {
            int bar = name.IndexOf('|', local);
            return bar > local ? name[(local + 4)..bar] : name;
        }
        return outer.Length > 0 ? $"lambda in {outer}" : "lambda";
    }

    private static object? Invoke(Delegate function, object?[] args)
    {
        try
        {
            return function.DynamicInvoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // The function's own exception (a graph break found while tracing, an argument check) is what the user reads.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static ExportedProgram Trace(TracedCallable callable, object?[] args, IReadOnlyDictionary<string, object?>? kwargs, DynamicShapes? dynamicShapes, bool strict)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var activity = Activity.StartActivity("export");
        activity?.SetTag("graphport.module", callable.ShortName);
        activity?.SetTag("graphport.strict", strict);
        var forward = callable.Method;
        var parameters = callable.Parameters;
        var bound = BindArguments(callable, parameters, args, kwargs);
        var specs = BindShapeSpecs(callable, parameters, bound, dynamicShapes);

        // The engine's own layers are trusted (their argument checks are error exits); user code is inspected.
        if (strict && forward.DeclaringType?.Assembly != typeof(Exporter).Assembly) RejectGraphBreaks(forward);

        var shapeEnv = new ShapeEnv();
        var tracer = new Tracer(shapeEnv, strict);
        if (callable.Owner is { } module)
        {
            foreach (var (path, m) in module.NamedModules()) tracer.ModulePaths[m] = path;
            foreach (var (name, p) in module.NamedParameters()) tracer.Lift(p, LiftedKind.Parameter, name);
            foreach (var (name, b) in module.NamedBuffers()) tracer.Lift(b, LiftedKind.Buffer, name);
        }

        var symbols = new SymbolFactory(shapeEnv);
        var fakeArgs = new object?[parameters.Length];
        var inputTrees = new List<TreeSpec>();
        for (int i = 0; i < parameters.Length; i++)
        {
            var leaves = new List<(string Path, Tensor Tensor)>();
            var tree = PyTree.Flatten(bound[i], leaves);
            inputTrees.Add(tree);
            var fakes = new List<object?>();
            foreach (var (path, tensor) in leaves)
            {
                if (tensor.IsFake) throw new ExportException($"Argument {parameters[i].Name}{path} is a traced tensor; pass real example tensors to Export.");
                string name = parameters[i].Name + LeafSuffix(path);
                string source = $"{parameters[i].Name}{path}";
                var spec = SpecFor(specs[i], path);
                var shape = symbols.ShapeFor(source, tensor, spec);
                fakes.Add(tracer.AddUserInput(name, tensor.DType, shape));
            }
            using var e = fakes.GetEnumerator();
            fakeArgs[i] = PyTree.Unflatten(tree, e);
        }

        object? result;
        var attributes = callable.Owner is { } owner ? new AttributeMutationGuard(owner) : null;
        try
        {
            using (tracer.Activate())
            {
                GraphportLogging.Export.LogInformation("tracing {Callable} ({Mode})", callable.Label, strict ? "strict" : "non-strict");
                result = callable.Invoke(fakeArgs);
            }
        }
        catch
        {
            try { attributes?.RestoreAndCheck(); }
            catch (ExportException) { }
            throw;
        }
        attributes?.RestoreAndCheck();

        var program = Finish(tracer, result, inputTrees, parameters.Select(p => p.Name!).ToList());
        activity?.SetTag("graphport.nodes", program.Graph.Nodes.Count);
        return program;
    }

    /// <summary>
    /// Exports a function of named tensor inputs rather than a Module's Forward (the ONNX importer's path): the
    /// state is lifted as given, each input gets the shape its spec asks for, and <paramref name="body"/> runs on
    /// the fake inputs with the tracer active. Non-strict: the body is engine code, not user code to inspect.
    /// </summary>
    internal static ExportedProgram ExportFunction(
        string label,
        IReadOnlyList<(string Name, Tensor Example, ShapeSpec? Spec)> inputs,
        IReadOnlyList<(string Target, Tensor Value, LiftedKind Kind)> state,
        Func<Tracer, Tensor[], object?> body)
    {
        using var activity = Activity.StartActivity("export");
        activity?.SetTag("graphport.module", label);
        activity?.SetTag("graphport.strict", false);
        var shapeEnv = new ShapeEnv();
        var tracer = new Tracer(shapeEnv, strict: false);
        foreach (var (target, value, kind) in state) tracer.Lift(value, kind, target);
        var symbols = new SymbolFactory(shapeEnv);
        var fakes = new Tensor[inputs.Count];
        var inputTrees = new List<TreeSpec>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var (name, example, spec) = inputs[i];
            inputTrees.Add(PyTree.Flatten(example, new List<(string Path, Tensor Tensor)>()));
            fakes[i] = tracer.AddUserInput(name, example.DType, symbols.ShapeFor(name, example, spec));
        }
        object? result;
        using (tracer.Activate())
        {
            GraphportLogging.Export.LogInformation("tracing {Label} (non-strict)", label);
            result = body(tracer, fakes);
        }
        var program = Finish(tracer, result, inputTrees, inputs.Select(i => i.Name).ToList());
        activity?.SetTag("graphport.nodes", program.Graph.Nodes.Count);
        return program;
    }

    /// <summary>
    /// Guards that ranges and replacements cannot express (x.Shape[0] != 4, s0 &lt;= s1) on dims the user let export
    /// infer (Dim.Auto/Dynamic) become run-time assertions, so the program refuses inputs the trace never covered.
    /// </summary>
    private static void AddRuntimeAsserts(Tracer tracer)
    {
        var env = tracer.ShapeEnv;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var guard in env.Guards)
        {
            var e = guard.Expr.Substitute(env.ReplacementOf);
            if (e is SymBoolConst || e.Decide(env.RangeOf) == true) continue;
            if (e.FreeSymbols().Any(s => s.Unbacked) || !seen.Add(e.ToString())) continue;
            var node = tracer.Graph.AddCall(Aten.AssertScalar, [tracer.SymBoolNode(e), $"Runtime assertion failed for expression {env.RenderWithSources(e)}"]);
            node.Value = Array.Empty<TensorMeta>();
        }
    }

    /// <summary>Rewrites every recorded size with the final replacements (y's s1 becomes s0 once s1 == s0 was learned).</summary>
    private static void SimplifyMetadata(Graph graph, ShapeEnv env)
    {
        if (env.Replacements.Count == 0) return;
        SymInt Simplify(SymInt s) => s.IsSymbolic ? new SymInt(s.Expr, env) : s;
        TensorMeta Meta(TensorMeta m) => m with { Shape = m.Shape.Select(Simplify).ToArray(), Strides = m.Strides.Select(Simplify).ToArray() };
        foreach (var node in graph.Nodes)
        {
            node.Value = node.Value switch
            {
                TensorMeta m => Meta(m),
                TensorMeta?[] ms => ms.Select(m => m is null ? null : Meta(m)).ToArray(),
                SymInt s => Simplify(s),
                _ => node.Value,
            };
        }
        foreach (var sub in graph.Subgraphs.Values) SimplifyMetadata(sub, env);
    }

    private static string LeafSuffix(string path) =>
        string.Concat(path.Split(['[', ']', '\''], StringSplitOptions.RemoveEmptyEntries).Select(p => "_" + p));

    private static object?[] BindArguments(TracedCallable callable, ParameterInfo[] parameters, object?[] args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        string signature = $"{callable.Label}({string.Join(", ", parameters.Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
        if (args.Length > parameters.Length)
            throw new ExportException($"{signature} takes {parameters.Length} argument(s) but {args.Length} were given. Pass one example value per parameter.");
        var bound = new object?[parameters.Length];
        var set = new bool[parameters.Length];
        for (int i = 0; i < args.Length; i++)
        {
            bound[i] = args[i];
            set[i] = true;
        }
        foreach (var (name, value) in kwargs ?? new Dictionary<string, object?>())
        {
            int index = Array.FindIndex(parameters, p => p.Name == name);
            if (index < 0)
                throw new ExportException($"{signature} has no parameter named '{name}'. Keyword arguments must use Forward's parameter names: {string.Join(", ", parameters.Select(p => p.Name))}.");
            if (set[index]) throw new ExportException($"{signature} got two values for parameter '{name}' (one positional, one keyword).");
            bound[index] = value;
            set[index] = true;
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            if (set[i]) continue;
            if (parameters[i].HasDefaultValue)
            {
                bound[i] = parameters[i].DefaultValue;
                continue;
            }
            throw new ExportException($"{signature} is missing an example value for parameter '{parameters[i].Name}' (position {i}); {args.Length} positional argument(s) were given.");
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            if (bound[i] is { } v && !parameters[i].ParameterType.IsInstanceOfType(v))
                throw new ExportException($"{signature}: the example value for '{parameters[i].Name}' is a {v.GetType().Name}, but the parameter is declared as {parameters[i].ParameterType.Name}.");
        }
        return bound;
    }

    private static ShapeSpec?[] BindShapeSpecs(TracedCallable callable, ParameterInfo[] parameters, object?[] bound, DynamicShapes? dynamicShapes)
    {
        var specs = new ShapeSpec?[parameters.Length];
        if (dynamicShapes is null) return specs;
        var names = parameters.Select(p => p.Name!).ToList();
        if (dynamicShapes.PositionalSpecs is { } positional)
        {
            if (positional.Count != parameters.Length)
                throw new ExportException($"dynamicShapes has {positional.Count} positional spec(s) but {callable.Label} takes {parameters.Length} argument(s) ({string.Join(", ", names)}); give one spec (or null) per argument.");
            for (int i = 0; i < specs.Length; i++) specs[i] = positional[i];
        }
        else
        {
            var unknown = dynamicShapes.Keys.Where(k => !names.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new ExportException(
                    $"When `dynamicShapes` is specified as a dictionary, its top-level keys must be the arg names [{string.Join(", ", names)}] of `{callable.Label}`, but here they are [{string.Join(", ", dynamicShapes.Keys)}]. " +
                    $"Rename or remove: {string.Join(", ", unknown.Select(u => $"\"{u}\""))}.");
            for (int i = 0; i < specs.Length; i++)
                specs[i] = dynamicShapes.TryGetValue(names[i], out var s) ? s : null;
        }
        for (int i = 0; i < specs.Length; i++)
        {
            if (specs[i] is { } spec) ValidateSpec(names[i], "", bound[i], spec);
        }
        return specs;
    }

    private static void ValidateSpec(string name, string path, object? value, ShapeSpec spec)
    {
        string where = $"`dynamicShapes[\"{name}\"]{path}`";
        if (spec.Items is { } items)
        {
            if (value is not System.Collections.IList list || list.Count != items.Count)
                throw new ExportException($"The spec at {where} lists {items.Count} element(s), but the argument {name}{path} is {Describe(value)}.");
            for (int i = 0; i < items.Count; i++)
                if (items[i] is { } child) ValidateSpec(name, $"{path}[{i}]", list[i], child);
            return;
        }
        if (spec.Entries is { } entries)
        {
            if (value is not System.Collections.IDictionary dict)
                throw new ExportException($"The spec at {where} is a dictionary spec, but the argument {name}{path} is {Describe(value)}.");
            foreach (var (key, child) in entries)
            {
                if (!dict.Contains(key)) throw new ExportException($"The spec at {where} names key '{key}', but the argument has keys [{string.Join(", ", dict.Keys.Cast<object>())}].");
                if (child is not null) ValidateSpec(name, $"{path}['{key}']", dict[key], child);
            }
            return;
        }
        if (spec.Count == 0) return;
        if (value is not Tensor t)
            throw new ExportException($"Cannot associate shape spec {where} to non-tensor argument {name}{path} ({Describe(value)}); only tensors have dynamic dims. Remove the spec or pass null.");
        foreach (var (dim, d) in spec)
        {
            if (dim < 0 || dim >= t.Ndim)
                throw new ExportException($"The spec at {where} names dimension {dim}, but {name}{path} has {t.Ndim} dimension(s) (shape {t.Shape}); use an index in [0, {t.Ndim - 1}].");
            if (d is null) throw new ExportException($"The spec at {where} maps dimension {dim} to null; use Dim.Static (or leave the dimension out) for a static size.");
        }
    }

    private static string Describe(object? v) => v switch
    {
        null => "null",
        Tensor t => $"a tensor of shape {t.Shape}",
        _ => $"a {v.GetType().Name}",
    };

    private static ShapeSpec? SpecFor(ShapeSpec? spec, string path)
    {
        if (spec is null || path.Length == 0) return spec;
        var current = spec;
        foreach (var part in path.Split(']', StringSplitOptions.RemoveEmptyEntries))
        {
            string key = part.TrimStart('[').Trim('\'');
            if (current.Items is { } items && int.TryParse(key, out int i) && i < items.Count) current = items[i];
            else if (current.Entries is { } entries && entries.TryGetValue(key, out var child)) current = child;
            else return null;
            if (current is null) return null;
        }
        return current;
    }

    private static void RejectGraphBreaks(MethodInfo forward)
    {
        var breaks = GraphBreakFinder.Find(forward, GraphBreakPolicy.Default);
        if (breaks.Count == 0) return;
        foreach (var b in breaks) GraphportLogging.Export.LogInformation("graph break: {Break}", b.ToString());
        string more = breaks.Count > 1 ? $"\n\n({breaks.Count - 1} more graph break(s) follow this one; set GRAPHPORT_LOGS=export to list them.)" : "";
        throw new GraphBreakException(breaks[0], breaks, breaks[0] + more);
    }

    private static ExportedProgram Finish(Tracer tracer, object? result, List<TreeSpec> inputTrees, List<string> argNames)
    {
        var graph = tracer.Graph;
        var outputLeaves = new List<(string Path, object Leaf)>();
        var outputTree = PyTree.Flatten(result, outputLeaves);
        var userOutputNodes = new List<Node>();
        foreach (var (_, leaf) in outputLeaves)
            userOutputNodes.Add(leaf is Tensor tensor ? tracer.NodeOf(tensor) : tracer.SymbolNode(((SymInt)leaf).Expr));

        var outputs = new List<object?>();
        var outputSpecs = new List<OutputSpec>();
        foreach (var lifted in tracer.Lifted)
        {
            var current = tracer.NodeOf(lifted.Proxy);
            if (current == lifted.Placeholder) continue;
            var kind = lifted.Kind switch
            {
                LiftedKind.Parameter => OutputKind.ParameterMutation,
                LiftedKind.Buffer => OutputKind.BufferMutation,
                _ => throw new ExportException($"The code writes into a captured constant tensor ({lifted.Target}). Register it as a buffer (RegisterBuffer or a Buffer field) so the write can be exported as a buffer mutation."),
            };
            outputs.Add(current);
            outputSpecs.Add(new OutputSpec(kind, new TensorArgument(current.Name), lifted.Target));
        }
        foreach (var (name, fake, placeholder) in tracer.UserInputs)
        {
            var current = tracer.NodeOf(fake);
            if (current == placeholder) continue;
            outputs.Add(current);
            outputSpecs.Add(new OutputSpec(OutputKind.UserInputMutation, new TensorArgument(current.Name), name));
        }
        foreach (var n in userOutputNodes)
        {
            outputs.Add(n);
            SignatureArgument arg = n.Value is SymInt ? new SymIntArgument(n.Name) : new TensorArgument(n.Name);
            outputSpecs.Add(new OutputSpec(OutputKind.UserOutput, arg, null));
        }
        graph.SetOutput(outputs.ToArray());
        graph.EliminateDeadCode();

        // Lifted state first (parameters, buffers, constants), then user inputs — torch's signature order.
        var ordered = tracer.Lifted.OrderBy(l => l.Kind).Select(l => l.Placeholder)
            .Concat(tracer.UserInputs.Select(u => u.Placeholder)).ToList();
        graph.ReorderPlaceholders(ordered);
        var inputSpecs = new List<InputSpec>();
        foreach (var l in tracer.Lifted.OrderBy(l => l.Kind))
        {
            var kind = l.Kind switch { LiftedKind.Parameter => InputKind.Parameter, LiftedKind.Buffer => InputKind.Buffer, _ => InputKind.ConstantTensor };
            bool? persistent = l.Kind == LiftedKind.Buffer ? ((Buffer)l.Real).Persistent : null;
            inputSpecs.Add(new InputSpec(kind, new TensorArgument(l.Placeholder.Name), l.Target, persistent));
        }
        foreach (var u in tracer.UserInputs) inputSpecs.Add(new InputSpec(InputKind.UserInput, new TensorArgument(u.Placeholder.Name), null));

        RangeConstraints ranges;
        using (Exporter.Activity.StartActivity("solve_shapes"))
        {
            ranges = new DimConstraintSolver(tracer.ShapeEnv).Solve();
            AddRuntimeAsserts(tracer);
            SimplifyMetadata(graph, tracer.ShapeEnv);
        }

        // Like torch, the program refers to the module's own tensors (no copy); ExportedModule copies what it runs with.
        var state = new Dictionary<string, Tensor>();
        var constants = new Dictionary<string, Tensor>();
        foreach (var l in tracer.Lifted)
        {
            if (l.Kind == LiftedKind.Constant) constants[l.Target] = l.Real;
            else state[l.Target] = l.Real;
        }
        var signature = new ExportGraphSignature(inputSpecs, outputSpecs);
        return new ExportedProgram(graph, signature, state, constants, ranges, new ModuleCallSignature(argNames, inputTrees, outputTree), tracer.ShapeEnv);
    }
}
