using Graphport.Graphs;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Reads a .pt2 archive — Graphport's or torch's — into an <see cref="ExportedProgram"/>: checks the archive's
/// format and schema versions, recreates the program's symbols in a fresh ShapeEnv, rebuilds the graphs, the
/// signature and the state, and restores the call structure from Graphport's extras or from torch's pytree specs.
/// </summary>
internal static class ProgramReader
{
    public static ExportedProgram Read(ArchiveReader archive)
    {
        CheckArchive(archive);
        string modelPath = ModelPath(archive);
        string modelName = modelPath[ArchiveLayout.ModelsDir.Length..^".json".Length];
        string file = $"{archive.DisplayName}:{modelPath}";
        var model = JsonCursor.Parse(archive.ReadBytes(modelPath), file);
        CheckSchemaVersion(model);
        var extras = ReadExtras(archive);

        // Complex values are first rewritten as real pairs (a rotary embedding then runs on every backend); a program
        // whose complex values cannot all be is read again with its complex tensors as they are.
        try
        {
            return ReadModel(archive, model, modelName, file, extras, nativeComplex: false);
        }
        catch (ComplexLoweringException)
        {
            return ReadModel(archive, model, modelName, file, extras, nativeComplex: true);
        }
    }

    private static ExportedProgram ReadModel(ArchiveReader archive, JsonCursor model, string modelName, string file, JsonCursor? extras, bool nativeComplex)
    {
        var ranges = model.Field("range_constraints").Properties()
            .Select(p => new KeyValuePair<string, ValueRange>(p.Key, ReadRange(p.Value))).ToList();
        var graphModule = model.Field("graph_module");
        var graphJson = graphModule.Field("graph");
        var env = new ShapeEnv();
        var symbols = new SymbolTable(env);
        foreach (var symbol in SavedSymbols(graphJson, ranges, extras?.Optional("symbols"), file))
            symbols.Create(symbol, file);

        var savedSignature = SignatureJson.Read(graphModule.Field("signature"));
        var signature = WithoutConstants(savedSignature);
        var graph = new GraphReader(graphJson, symbols, extras?.Optional("graphs"), "", savedSignature.OutputSpecs, nativeComplex).Read();
        CheckSignature(graph, signature, graphJson);

        var (stateDict, constants) = ReadState(archive, modelName, signature, extras, file);
        // A complex weight (LLaMA's precomputed freqs_cis) cannot feed values rewritten as real pairs.
        if (!nativeComplex && stateDict.Values.Concat(constants.Values).FirstOrDefault(t => t.DType.IsComplex()) is { } complexWeight)
            throw new ComplexLoweringException($"{file}: a {complexWeight.DType.TorchName()} weight is read as it is.");
        var callSignature = extras?.Optional("call_signature") is { } saved
            ? ReadCallSignature(saved, symbols)
            : TorchCallSignature(graphModule, savedSignature, file);
        return new ExportedProgram(graph, signature, stateDict, constants, new RangeConstraints(ranges), callSignature, env);
    }

    private static void CheckArchive(ArchiveReader archive)
    {
        if (!archive.Has(ArchiveLayout.ArchiveFormatPath))
            throw new InvalidDataException($"{archive.DisplayName} is not a .pt2 archive: it has no {archive.Root}/{ArchiveLayout.ArchiveFormatPath} record.");
        string format = archive.ReadText(ArchiveLayout.ArchiveFormatPath, 1024).Trim();
        if (format != ArchiveLayout.ArchiveFormatValue)
            throw new InvalidDataException($"{archive.DisplayName} is not a .pt2 archive: its archive_format is \"{format}\", expected \"{ArchiveLayout.ArchiveFormatValue}\".");
        if (archive.Has(ArchiveLayout.ArchiveVersionPath))
        {
            string version = archive.ReadText(ArchiveLayout.ArchiveVersionPath, 1024).Trim();
            if (version != ArchiveLayout.ArchiveVersionValue)
                throw new InvalidDataException($"{archive.DisplayName} has archive version {version}; Graphport reads .pt2 archive version {ArchiveLayout.ArchiveVersionValue}.");
        }
        if (archive.Has(ArchiveLayout.ByteOrderPath) && archive.ReadText(ArchiveLayout.ByteOrderPath, 1024).Trim() is var order && order != "little")
            throw new InvalidDataException($"{archive.DisplayName} stores its weights in {order}-endian byte order; Graphport reads little-endian archives.");
    }

    /// <summary>models/model.json, which torch.export.save always writes; an archive holding one other model is accepted too.</summary>
    private static string ModelPath(ArchiveReader archive)
    {
        string path = ArchiveLayout.ModelPath(ArchiveLayout.ModelName);
        if (archive.Has(path)) return path;
        var models = archive.RecordNames.Where(n => n.StartsWith(ArchiveLayout.ModelsDir, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)
            && n.IndexOf('/', ArchiveLayout.ModelsDir.Length) < 0).ToList();
        if (models.Count == 1) return models[0];
        throw new InvalidDataException(models.Count == 0
            ? $"{archive.DisplayName} has no {archive.Root}/{path}: the archive holds no exported program."
            : $"{archive.DisplayName} has no {archive.Root}/{path} but several other programs ({string.Join(", ", models)}); Graphport loads archives with one program.");
    }

    private static void CheckSchemaVersion(JsonCursor model)
    {
        var version = model.Field("schema_version");
        long major = version.Field("major").Int64(), minor = version.Field("minor").Int64();
        // torch treats 0.0 as "unversioned" and accepts it; minors only add fields with defaults.
        if (major != ArchiveLayout.SchemaMajor && !(major == 0 && minor == 0))
            throw version.Error($"the program uses schema version {major}.{minor}; Graphport reads schema major version {ArchiveLayout.SchemaMajor} (any minor version).");
    }

    private static JsonCursor? ReadExtras(ArchiveReader archive)
    {
        if (!archive.Has(ArchiveLayout.GraphportExtrasPath)) return null;
        var extras = JsonCursor.Parse(archive.ReadBytes(ArchiveLayout.GraphportExtrasPath), $"{archive.DisplayName}:{ArchiveLayout.GraphportExtrasPath}");
        if (extras.Optional("format")?.String() != ProgramWriter.ExtrasFormat) return null;
        long version = extras.Field("version").Int64();
        // A newer Graphport may change the extras; model.json alone still describes the program.
        return version == ProgramWriter.ExtrasVersion ? extras : null;
    }

    private static ValueRange ReadRange(JsonCursor c)
    {
        long lower = c.Optional("min_val")?.Int64() ?? ValueRange.NegativeInfinity;
        long upper = c.Optional("max_val")?.Int64() ?? ValueRange.Infinity;
        if (lower > upper) throw c.Error($"the range [{lower}, {upper}] is empty.");
        return new ValueRange(lower, upper);
    }

    /// <summary>
    /// Every symbol the program mentions, in a stable order (the saved order, then range constraints, then first
    /// use), with its range and an example value: saved, or recovered from the hints torch stores with sizes.
    /// </summary>
    private static List<SavedSymbol> SavedSymbols(JsonCursor graphJson, List<KeyValuePair<string, ValueRange>> ranges, JsonCursor? saved, string file)
    {
        var rangeOf = ranges.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var scan = new SymbolScan();
        scan.Graph(graphJson, root: true);
        var result = new List<SavedSymbol>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (saved is { } list)
        {
            foreach (var s in list.Items())
            {
                string name = s.Field("name").String();
                var range = rangeOf.TryGetValue(name, out var r) ? r
                    : new ValueRange(s.Optional("min")?.Int64() ?? ValueRange.NegativeInfinity, s.Optional("max")?.Int64() ?? ValueRange.Infinity);
                if (seen.Add(name))
                    result.Add(new SavedSymbol(name, range, s.Optional("hint")?.Int64() ?? scan.HintOf(name), s.Optional("source")?.String() ?? scan.SourceOf(name), ReadDim(s.Optional("dim"))));
            }
        }
        // torch also keys derived dims' ranges by their expression ("s77 + 1"); the symbols inside come from the
        // graph's sizes like any other, and the entry stays in RangeConstraints as saved.
        var rangeSymbols = ranges.Select(r => r.Key).SelectMany(key => IsExpression(key) ? ExpressionSymbols(key, file) : [key]);
        foreach (var name in rangeSymbols.Concat(scan.Names))
        {
            if (!seen.Add(name)) continue;
            bool unbacked = SymbolTable.ParseName(name, file).Unbacked;
            var range = rangeOf.TryGetValue(name, out var r) ? r : unbacked ? ValueRange.Unknown : ValueRange.DefaultSize;
            result.Add(new SavedSymbol(name, range, scan.HintOf(name), scan.SourceOf(name), null));
        }
        return result;
    }

    private static bool IsExpression(string key) => key.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_');

    private static IReadOnlyList<string> ExpressionSymbols(string key, string file)
    {
        try
        {
            return SympyParser.SymbolNames(key);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{file}: the range constraint key \"{key}\" is neither a symbol nor a readable size expression: {e.Message}");
        }
    }

    /// <summary>The user's Dim behind a symbol, rebuilt for messages (named ones and bounded Auto/Dynamic ones).</summary>
    private static Dim? ReadDim(JsonCursor? c)
    {
        if (c is not { } d) return null;
        string name = d.Field("name").String();
        long? min = d.Optional("min")?.Int64(), max = d.Optional("max")?.Int64();
        try
        {
            return d.Field("kind").String() switch
            {
                nameof(DimKind.Named) => new Dim(name, min, max),
                nameof(DimKind.Auto) => min is null && max is null ? Dim.Auto : Dim.AutoBetween(min, max),
                nameof(DimKind.Dynamic) => min is null && max is null ? Dim.Dynamic : Dim.DynamicBetween(min, max),
                _ => null,
            };
        }
        catch (ArgumentException e)
        {
            throw d.Error($"the Dim is not valid: {e.Message}");
        }
    }

    /// <summary>
    /// The signature without torch's constant inputs (constant_input: a non-tensor argument, such as a string, that
    /// export specialized to its example value; its uses in the graph hold the value itself) and constant outputs
    /// (a user_output whose argument is a value: an int, float, bool or None the program returns, which the graph
    /// returns as that value). Graphport programs have no placeholders for constant arguments and return no
    /// constants from their graphs: the graph reader makes no placeholder for a constant input and leaves constant
    /// outputs out of the output node, and the call signature keeps both as constant leaves, as a Graphport export
    /// has them.
    /// </summary>
    private static ExportGraphSignature WithoutConstants(ExportGraphSignature signature) =>
        signature.InputSpecs.Any(IsConstantInput) || signature.OutputSpecs.Any(GraphReader.IsConstantOutput)
            ? new ExportGraphSignature(signature.InputSpecs.Where(s => !IsConstantInput(s)).ToList(), signature.OutputSpecs.Where(s => !GraphReader.IsConstantOutput(s)).ToList())
            : signature;

    private static bool IsConstantInput(InputSpec spec) => spec is { Kind: InputKind.UserInput, Arg: ConstantArgument };

    private static void CheckSignature(Graph graph, ExportGraphSignature signature, JsonCursor graphJson)
    {
        var placeholders = graph.Placeholders.ToList();
        if (placeholders.Count != signature.InputSpecs.Count)
            throw graphJson.Error($"the graph has {placeholders.Count} inputs but the signature describes {signature.InputSpecs.Count}.");
        for (int i = 0; i < placeholders.Count; i++)
        {
            var spec = signature.InputSpecs[i];
            if (spec.Arg is ConstantArgument)
                throw graphJson.Error($"input {i} is the constant {spec.Arg}, which is not a user input; Graphport programs take tensors only.");
            if (spec.Arg.Name != placeholders[i].Name)
                throw graphJson.Error($"input {i} is {placeholders[i].Name} in the graph but {spec.Arg.Name} in the signature.");
            if (spec.Kind == InputKind.UserInput && placeholders[i].Value is not TensorMeta)
                throw graphJson.Error($"the user input {spec.Arg.Name} is not a tensor; Graphport programs take tensors only.");
        }
        var output = graph.OutputNode!;
        var outputs = Graph.OutputItems(output);
        if (outputs.Length != signature.OutputSpecs.Count)
            throw graphJson.Error($"the graph has {outputs.Length} outputs but the signature describes {signature.OutputSpecs.Count}.");
    }

    /// <summary>
    /// Parameters and buffers from the weights, constants and non-persistent buffers from the constants, in the
    /// saved state-dict order when Graphport wrote the archive.
    /// </summary>
    private static (Dictionary<string, Tensor> State, Dictionary<string, Tensor> Constants) ReadState(
        ArchiveReader archive, string model, ExportGraphSignature signature, JsonCursor? extras, string file)
    {
        var weights = TensorPayloads.Read(archive, ArchiveLayout.WeightsDir, ArchiveLayout.WeightsConfigPath(model)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var stored = TensorPayloads.Read(archive, ArchiveLayout.ConstantsDir, ArchiveLayout.ConstantsConfigPath(model)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var specs = signature.InputSpecs.Where(s => s.Target is not null).ToDictionary(s => s.Target!, StringComparer.Ordinal);

        PayloadEntry Find(string name, bool constantFirst)
        {
            var (first, second) = constantFirst ? (stored, weights) : (weights, stored);
            return first.GetValueOrDefault(name) ?? second.GetValueOrDefault(name)
                ?? throw new InvalidDataException($"{file}: the program needs the tensor {name}, but the archive stores no weight or constant of that name.");
        }

        Tensor StateValue(string name)
        {
            if (!specs.TryGetValue(name, out var spec)) return Find(name, false).Tensor;
            return spec.Kind switch
            {
                InputKind.Parameter => AsParameter(Find(name, false)),
                InputKind.Buffer => new Buffer(Find(name, spec.Persistent == false).Tensor, spec.Persistent != false),
                _ => Find(name, true).Tensor,
            };
        }

        static Parameter AsParameter(PayloadEntry e) => new(e.Tensor, e.RequiresGrad);

        var stateOrder = extras?.Optional("state_dict")?.Items().Select(i => i.String()).ToList()
            ?? [.. weights.Keys, .. signature.InputSpecs.Where(s => s.Kind == InputKind.Buffer && s.Persistent == false).Select(s => s.Target!)];
        foreach (var name in stateOrder) state[name] = StateValue(name);
        foreach (var spec in signature.InputSpecs)
        {
            if (spec.Target is not { } target) continue;
            if (spec.Kind is InputKind.Parameter or InputKind.Buffer && !state.ContainsKey(target)) state[target] = StateValue(target);
        }
        var constantOrder = extras?.Optional("constants")?.Items().Select(i => i.String()).ToList()
            ?? signature.InputSpecs.Where(s => s.Kind == InputKind.ConstantTensor).Select(s => s.Target!).ToList();
        foreach (var name in constantOrder) constants[name] = Find(name, true).Tensor;
        foreach (var spec in signature.InputSpecs.Where(s => s.Kind == InputKind.ConstantTensor))
            if (!constants.ContainsKey(spec.Target!)) constants[spec.Target!] = Find(spec.Target!, true).Tensor;
        return (state, constants);
    }

    private static ModuleCallSignature ReadCallSignature(JsonCursor c, SymbolTable symbols)
    {
        SymInt Symbolic(string text, JsonCursor at) => symbols.ParseInt(at, text);
        var names = c.Field("argument_names").Items().Select(i => i.String()).ToList();
        var inputs = c.Field("inputs").Items().Select(i => TreeSpecJson.Read(i, Symbolic)).ToList();
        var output = TreeSpecJson.Read(c.Field("output"), Symbolic);
        if (names.Count != inputs.Count) throw c.Error($"{names.Count} argument names for {inputs.Count} arguments.");
        return new ModuleCallSignature(names, inputs, output);
    }

    /// <summary>The call structure of a torch-made program: the root entry of its module call graph.</summary>
    private static ModuleCallSignature TorchCallSignature(JsonCursor graphModule, ExportGraphSignature signature, string file)
    {
        var userInputs = signature.InputSpecs.Where(s => s.Kind == InputKind.UserInput).Select(s => s.Arg).ToList();
        var userOutputs = signature.OutputSpecs.Where(s => s.Kind == OutputKind.UserOutput).Select(s => s.Arg).ToList();
        var root = graphModule.Optional("module_call_graph")?.Items().FirstOrDefault(e => e.Field("fqn").String().Length == 0);
        if (root?.Optional("signature") is not { } sig)
        {
            // No call structure saved: one tensor argument per user input, and a tuple of the outputs.
            var outputLeaves = userOutputs.Select(LeafOf).ToList();
            TreeSpec output = outputLeaves.Count == 1 ? outputLeaves[0] : new SequenceNode(TorchTreeSpec.SequenceType(true, outputLeaves), outputLeaves);
            return new ModuleCallSignature(userInputs.Select(a => a.Name).ToList(), userInputs.Select(_ => (TreeSpec)new TensorLeaf()).ToList(), output);
        }
        var inputArgs = sig.Field("inputs").Items().Select(SignatureJson.ReadArgument).ToList();
        var outputArgs = sig.Field("outputs").Items().Select(SignatureJson.ReadArgument).ToList();
        // torch.export leaves the root entry's inputs and outputs empty (_make_module_call_graph); the specs'
        // leaves are then the graph signature's user inputs and user outputs, in order, as ep.module() reads them.
        if (inputArgs.Count == 0) inputArgs = userInputs;
        if (outputArgs.Count == 0) outputArgs = userOutputs;
        TreeSpec LeafFor(List<SignatureArgument> args, int i, string what) => i < args.Count
            ? LeafOf(args[i])
            : throw new InvalidDataException($"{file}: the {what} pytree spec has more leaves than the module call signature has {what}s ({args.Count}).");
        var inSpec = TorchTreeSpec.Load(sig.Field("in_spec").String(), $"{file}: {sig.Path}.in_spec", i => LeafFor(inputArgs, i, "input"));
        var outSpec = TorchTreeSpec.Load(sig.Field("out_spec").String(), $"{file}: {sig.Path}.out_spec", i => LeafFor(outputArgs, i, "output"));
        if (inSpec is not SequenceNode { Children.Count: 2 } pair || pair.Children[0] is not SequenceNode args)
            throw sig.Field("in_spec").Error("the input spec must be a pair of (positional arguments, keyword arguments).");
        var trees = args.Children.ToList();
        var names = sig.Optional("forward_arg_names")?.Items().Select(i => i.String()).ToList() ?? [];
        var argumentNames = trees.Select((_, i) => i < names.Count ? names[i] : $"arg{i}").ToList();
        if (pair.Children[1] is MappingNode kwargs)
        {
            trees.AddRange(kwargs.Children);
            argumentNames.AddRange(kwargs.Keys);
        }
        return new ModuleCallSignature(argumentNames, trees, outSpec);
    }

    /// <summary>
    /// The leaf a signature argument is: a constant, a size (torch's SymInt output, such as <c>x.shape[0] * 2</c>,
    /// which ep.module() returns as a Python int), or a tensor.
    /// </summary>
    private static TreeSpec LeafOf(SignatureArgument arg) => arg switch
    {
        ConstantArgument c => new ConstantLeaf(c.Value),
        SymIntArgument => new SymIntLeaf(),
        _ => new TensorLeaf(),
    };
}
