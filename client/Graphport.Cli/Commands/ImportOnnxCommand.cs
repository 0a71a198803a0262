using System.Globalization;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Onnx;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport import onnx FILE: imports an ONNX model as an ExportedProgram and writes it to a .pt2 archive (--out,
/// no cluster) or stores it on the cluster as a new version of a program, optionally decomposed to Core ATen.
/// Import happens in this process, so a model that cannot be imported fails before any cluster starts.
/// </summary>
public sealed class ImportOnnxCommand : ICommand
{
    /// <summary>The error kind printed when the model cannot be read or imported (not an ONNX file, an unsupported op).</summary>
    public const string ImportFailed = "ImportFailed";

    public IReadOnlyList<string> Path { get; } = ["import", "onnx"];

    public string Arguments => "FILE.onnx [--name NAME] [--dim NAME=SIZE]... [--input-value NAME=V[,V...]]... [--static] [--decompose] [--out FILE.pt2] [--json] | --list-ops";

    public string Summary => "Import an ONNX model: write it as a .pt2 archive (--out) or store it as a program version (--decompose: also Core ATen).";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal) { "--static", "--decompose", "--json", "--list-ops" };

    public IReadOnlySet<string> Options { get; } =
        new HashSet<string>(new[] { "--name", "--dim", "--input-value", "--out" }.Concat(ClusterStep.ClusterOptions), StringComparer.Ordinal);

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        bool json = arguments.Has("--json");
        if (arguments.Has("--list-ops")) return ListOps(arguments, json, context);
        var request = Parse(arguments, context);

        OnnxModel model;
        ExportedProgram program;
        try
        {
            model = OnnxModel.Load(request.File);
            var options = new OnnxImportOptions { StaticShapes = arguments.Has("--static") };
            foreach (var (key, size) in CheckedDims(request.Dims, model, request.File)) options.DimSizes[key] = size;
            foreach (var (input, values) in request.InputValues) options.InputValues[input] = values;
            program = OnnxImporter.Import(model, options);
        }
        catch (OnnxImportException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {arguments.Positionals[0]}: {e.InnerException.Message}");
        }
        catch (ExportException e)
        {
            // The importer's messages name the file (and the node); other engine errors get it in front.
            WriteError(context, json, ImportFailed, e is OnnxImportException ? e.Message : $"{System.IO.Path.GetFileName(request.File)}: {e.Message}");
            return ExitCodes.Failure;
        }

        var imported = new ImportedModel(request.File, model, program);
        return request.Out is { } outPath
            ? WriteArchive(imported, outPath, arguments.Has("--decompose"), json, context)
            : new ClusterStep(client => UploadAsync(client, imported, request.Name, arguments.Has("--decompose"), json, context)).Run(arguments, context);
    }

    /// <summary>--list-ops: the ONNX op types the importer understands, one a line (a JSON array with --json).</summary>
    private static int ListOps(CommandArguments arguments, bool json, CommandContext context)
    {
        if (arguments.Positionals.Count > 0) throw new UsageException("--list-ops takes no model file: it lists the ONNX ops any model may use.");
        var ops = OnnxImporter.SupportedOps.Order(StringComparer.Ordinal).ToList();
        if (json) context.Out.WriteLine(CliJson.Serialize(ops));
        else foreach (var op in ops) context.Out.WriteLine(op);
        return ExitCodes.Success;
    }

    private sealed record Request(string File, string Name, string? Out, IReadOnlyList<(string Key, long Size)> Dims, IReadOnlyList<(string Input, double[] Values)> InputValues);

    /// <summary>Everything the command line alone decides; throws UsageException before the file is read.</summary>
    private static Request Parse(CommandArguments arguments, CommandContext context)
    {
        if (arguments.Positionals.Count != 1) throw new UsageException("Give exactly one ONNX model file, e.g. graphport import onnx model.onnx.");
        string file = System.IO.Path.Combine(context.WorkingDirectory, arguments.Positionals[0]);
        string? outPath = arguments.Option("--out") is { } o ? System.IO.Path.Combine(context.WorkingDirectory, o) : null;
        if (outPath is not null)
        {
            foreach (var clusterOnly in new[] { "--name" }.Concat(ClusterStep.ClusterOptions))
                if (arguments.Option(clusterOnly) is not null)
                    throw new UsageException($"{clusterOnly} applies to a program stored on the cluster; with --out the program is only written to {arguments.Option("--out")}.");
        }
        string name = arguments.Option("--name") ?? ProgramNameFor(arguments.Positionals[0]);
        if (!ProgramRef.IsValidName(name)) throw new UsageException(ProgramRef.InvalidNameMessage(name));

        var dims = new List<(string, long)>();
        foreach (string text in arguments.OptionValues("--dim"))
        {
            int eq = text.LastIndexOf('=');
            string key = eq > 0 ? text[..eq].Trim() : "";
            if (key.Length == 0 || !long.TryParse(text.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size < 1)
                throw new UsageException($"--dim '{text}' must be NAME=SIZE with SIZE a positive whole number: NAME a symbolic dimension of the model (batch=8) or INPUT:AXIS (x:0=8).");
            if (dims.Any(d => d.Item1 == key)) throw new UsageException($"--dim {key} is given twice.");
            dims.Add((key, size));
        }

        // --input-value sr=16000: an input fixed at import (the program no longer takes it).
        var fixedInputs = new List<(string, double[])>();
        foreach (string text in arguments.OptionValues("--input-value"))
        {
            int eq = text.IndexOf('=');
            string input = eq > 0 ? text[..eq].Trim() : "";
            var numbers = eq > 0 ? text[(eq + 1)..].Split(',') : [];
            var values = new double[numbers.Length];
            bool valid = input.Length > 0 && numbers.Length > 0;
            for (int i = 0; valid && i < numbers.Length; i++)
                valid = double.TryParse(numbers[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]);
            if (!valid)
                throw new UsageException($"--input-value '{text}' must be NAME=V or NAME=V1,V2,... with numbers: NAME an input of the model (sr=16000), fixed at that value in the program.");
            if (fixedInputs.Any(f => f.Item1 == input)) throw new UsageException($"--input-value {input} is given twice.");
            fixedInputs.Add((input, values));
        }

        if (!File.Exists(file)) throw new UsageException($"No file '{arguments.Positionals[0]}'. Name an ONNX model (.onnx).");
        return new Request(file, name, outPath, dims, fixedInputs);
    }

    /// <summary>The file name without its extension, made a valid program name ("My Model (v2).onnx" → "My-Model-v2").</summary>
    public static string ProgramNameFor(string file) => ProgramNames.FromFile(file, "onnx-model");

    /// <summary>
    /// Checks each --dim names an open dimension of the model, by its dim_param or as INPUT:AXIS, so a misspelt
    /// one is an error rather than silently ignored.
    /// </summary>
    private static IEnumerable<(string Key, long Size)> CheckedDims(IReadOnlyList<(string Key, long Size)> dims, OnnxModel model, string file)
    {
        var inputs = model.Graph.RuntimeInputs;
        var parameters = inputs.SelectMany(i => i.Shape ?? []).Select(d => d.Param).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        string fileName = System.IO.Path.GetFileName(file);
        foreach (var (key, size) in dims)
        {
            var resolved = OnnxDimKey.Resolve(model.Graph, key);
            if (resolved.Kind == OnnxDimKeyKind.Unknown)
            {
                string named = parameters.Count > 0 ? string.Join(", ", parameters) : "none";
                throw new UsageException($"--dim {key}: {fileName} has no such dimension. Its symbolic dimensions: {named}; or use INPUT:AXIS with one of its inputs ({string.Join(", ", inputs)}).");
            }
            if (resolved.Kind == OnnxDimKeyKind.FixedAxis)
                throw new UsageException($"--dim {key}: that axis has the fixed size {resolved.FixedSize} in {fileName}; --dim sizes open (symbolic) dimensions only.");
            yield return (key, size);
        }
    }

    private static int WriteArchive(ImportedModel imported, string outPath, bool decompose, bool json, CommandContext context)
    {
        ExportedProgram program;
        try
        {
            program = decompose ? imported.Program.RunDecompositions() : imported.Program;
        }
        catch (ExportException e)
        {
            WriteError(context, json, ImportFailed, $"Decomposing {System.IO.Path.GetFileName(imported.File)} to Core ATen failed: {e.Message}");
            return ExitCodes.Failure;
        }
        try
        {
            string? folder = System.IO.Path.GetDirectoryName(outPath);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            program.Save(outPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(context, json, "Unavailable", $"Cannot write {outPath}: {e.Message}");
            return ExitCodes.Failure;
        }
        var summary = imported.Summarize(
            ProgramSummary.Describe(imported.Program, ProgramVersionKind.Uploaded, "onnx"), programRef: null, file: outPath,
            decomposed: decompose ? new DecomposedSummary(null, ProgramSummary.Describe(program, ProgramVersionKind.Decomposed, "onnx").OpCount, false) : null);
        Print(summary, json, context);
        return ExitCodes.Success;
    }

    private static async Task<int> UploadAsync(GraphportClient client, ImportedModel imported, string name, bool decompose, bool json, CommandContext context)
    {
        var stored = await client.UploadAsync(name, imported.Program, OnnxOrigin.Of(imported.File, imported.Model));
        var info = (await client.GetProgramAsync(stored.Name)).Versions.Single(v => v.Version == stored.Version);
        DecomposedSummary? decomposed = null;
        if (decompose)
        {
            var result = await client.DecomposeAsync(stored);
            decomposed = new DecomposedSummary(result.Program.ToString(), result.Info.OpCount, result.Reused);
        }
        Print(imported.Summarize(info, stored.ToString(), file: null, decomposed), json, context);
        return ExitCodes.Success;
    }

    private static void Print(ImportSummary summary, bool json, CommandContext context)
    {
        if (json)
        {
            context.Out.WriteLine(CliJson.Serialize(summary));
            return;
        }
        var w = context.Out;
        w.WriteLine($"Imported {System.IO.Path.GetFileName(summary.Source)} {(summary.Program is { } p ? $"as {p}" : $"into {summary.File}")}");
        var onnx = summary.Onnx;
        string producer = string.IsNullOrEmpty(onnx.Producer) ? "unknown producer" : $"{onnx.Producer} {onnx.ProducerVersion}".TrimEnd();
        w.WriteLine($"  onnx: {producer}, opset {onnx.Opset}, IR {onnx.IrVersion}: {onnx.Nodes} nodes -> {summary.AtenOps} ATen ops ({summary.GraphNodes} graph nodes)");
        foreach (var input in summary.Inputs)
        {
            string dims = input.Dims.Count > 0 ? $"  ({string.Join(", ", input.Dims.Select(d => $"{d.Key} = {d.Value}"))})" : "";
            w.WriteLine($"  input {input.Name}: {input.DType}[{string.Join(", ", input.Sizes)}]{dims}");
        }
        if (summary.RangeConstraints.Count > 0) w.WriteLine($"  ranges: {{{string.Join(", ", summary.RangeConstraints.Select(r => r.ToString()))}}}");
        foreach (var output in summary.Outputs) w.WriteLine($"  output {output.Name}: {output.DType}[{string.Join(", ", output.Sizes)}]");
        w.WriteLine($"  weights: {summary.Weights.Count} tensors, {OutputFormat.Bytes(summary.Weights.Bytes)}");
        if (summary.Decomposed is { } d)
        {
            string what = d.Program is null ? "Decomposed with core before writing" : d.Reused ? $"Decomposed as {d.Program} (made earlier)" : $"Decomposed with core into {d.Program}";
            w.WriteLine($"{what}: {d.AtenOps} ATen ops");
        }
    }

    /// <summary>Import errors print like cluster errors: `error (Kind): message` on stderr, or a JSON object with --json.</summary>
    private static void WriteError(CommandContext context, bool json, string kind, string message)
    {
        if (json) context.Out.WriteLine(CliJson.Serialize(new { error = kind, message, suggestedFixes = Array.Empty<string>() }));
        else context.Error.WriteLine($"error ({kind}): {message}");
    }

    /// <summary>The model as read and the program it became, with what the summary reports of both.</summary>
    private sealed record ImportedModel(string File, OnnxModel Model, ExportedProgram Program)
    {
        public ImportSummary Summarize(ProgramVersionInfo info, string? programRef, string? file, DecomposedSummary? decomposed)
        {
            var onnxInputs = Model.Graph.RuntimeInputs;
            var inputs = info.Inputs.Select((input, index) =>
            {
                // dim_param → the symbol the program gave that axis ("batch" → "s0"), so people see which is which.
                var dims = new SortedDictionary<string, string>(StringComparer.Ordinal);
                var onnx = onnxInputs.Count == info.Inputs.Length ? onnxInputs[index] : onnxInputs.FirstOrDefault(i => i.Name == input.Name);
                if (onnx?.Shape is { } shape && shape.Count == input.Sizes.Length)
                {
                    for (int axis = 0; axis < input.Sizes.Length; axis++)
                        if (shape[axis].Param is { } param && !long.TryParse(input.Sizes[axis], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                            dims[param] = input.Sizes[axis];
                }
                return new InputSummary(input.Name, input.DType, input.Sizes, dims);
            }).ToList();
            return new ImportSummary(
                programRef, file, File,
                new OnnxSummary(Model.ProducerName, Model.ProducerVersion, Model.IrVersion, Model.Opset, Model.Graph.Nodes.Count),
                info.OpCount, info.NodeCount, inputs,
                info.RangeConstraints,
                Outputs(),
                new WeightSummary(info.WeightCount, info.WeightBytes),
                decomposed);
        }

        /// <summary>The user outputs with their dtypes and sizes, under the model's output names where they line up.</summary>
        private List<OutputSummary> Outputs()
        {
            var specs = Program.GraphSignature.OutputSpecs.Where(s => s.Kind == OutputKind.UserOutput).ToList();
            var onnxOutputs = Model.Graph.Outputs;
            var result = new List<OutputSummary>();
            for (int i = 0; i < specs.Count; i++)
            {
                string name = specs.Count == onnxOutputs.Count ? onnxOutputs[i].Name : specs[i].Arg.Name;
                var meta = Program.Graph.Nodes.FirstOrDefault(n => n.Name == specs[i].Arg.Name)?.Value as TensorMeta;
                result.Add(meta is null
                    ? new OutputSummary(name, "scalar", [])
                    : new OutputSummary(name, TensorData.WireName(meta.DType), meta.Shape.Select(s => s.ToString()).ToArray()));
            }
            return result;
        }
    }

    /// <summary>What the command prints, and with --json the object it writes.</summary>
    private sealed record ImportSummary(
        string? Program,
        string? File,
        string Source,
        OnnxSummary Onnx,
        int AtenOps,
        int GraphNodes,
        IReadOnlyList<InputSummary> Inputs,
        IReadOnlyList<SymbolRange> RangeConstraints,
        IReadOnlyList<OutputSummary> Outputs,
        WeightSummary Weights,
        DecomposedSummary? Decomposed);

    private sealed record OnnxSummary(string Producer, string ProducerVersion, long IrVersion, long Opset, int Nodes);

    private sealed record InputSummary(string Name, string DType, IReadOnlyList<string> Sizes, IReadOnlyDictionary<string, string> Dims);

    private sealed record OutputSummary(string Name, string DType, IReadOnlyList<string> Sizes);

    private sealed record WeightSummary(int Count, long Bytes);

    private sealed record DecomposedSummary(string? Program, int AtenOps, bool Reused);

    /// <summary>
    /// The cluster half, run only when there is something to store: ClusterCommand connects (--cluster,
    /// GRAPHPORT_CLUSTER, or the embedded silo on --home) and reports cluster errors as every cluster command does.
    /// </summary>
    private sealed class ClusterStep(Func<GraphportClient, Task<int>> run) : ClusterCommand
    {
        /// <summary>The options every cluster command takes (--cluster, --cluster-id, --home).</summary>
        public static IReadOnlySet<string> ClusterOptions { get; } = new ClusterStep(_ => Task.FromResult(ExitCodes.Success)).Options;

        public override IReadOnlyList<string> Path { get; } = ["import", "onnx"];

        public override string Arguments => "";

        public override string Summary => "";

        protected override void Validate(CommandArguments arguments)
        {
        }

        protected override Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context) => run(client);
    }
}
