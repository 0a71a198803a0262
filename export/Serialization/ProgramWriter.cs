using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Graphport.Graphs;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Writes an exported program as a .pt2 archive: the schema's ExportedProgram JSON in models/model.json,
/// weights and constants as raw records with their PayloadConfigs, Graphport's extras in extra/graphport.json,
/// and the bookkeeping records PyTorch's zip reader expects (archive_format, archive_version, .data/version,
/// byteorder, an empty sample-inputs record).
/// </summary>
internal static class ProgramWriter
{
    public const string ExtrasFormat = "graphport-extras";
    public const int ExtrasVersion = 1;

    /// <param name="zip64Threshold">Record sizes and offsets from which ZIP64 fields are used; lowered only by tests.</param>
    public static void Write(ExportedProgram program, Stream stream, string root, long zip64Threshold = uint.MaxValue)
    {
        var sym = new SymbolicWriter(program.ShapeEnv);
        var graphExtras = new JsonObject();
        var parameterInputs = program.GraphSignature.InputSpecs.Where(s => s.Kind == InputKind.Parameter).Select(s => s.Arg.Name).ToHashSet(StringComparer.Ordinal);
        var inputSpecs = ConstantInputs.Interleave(program);
        var outputSpecs = ConstantOutputs.Interleave(program);
        var graph = new GraphWriter(program.Graph, sym, "", graphExtras, parameterInputs, inputSpecs, outputSpecs).Write();
        var signature = new ExportGraphSignature(inputSpecs, outputSpecs);
        var model = new JsonObject
        {
            ["graph_module"] = new JsonObject
            {
                ["graph"] = graph,
                ["signature"] = SignatureJson.Write(signature),
                ["module_call_graph"] = ModuleCallGraph(program),
                ["metadata"] = new JsonObject(),
            },
            ["opset_version"] = new JsonObject { ["aten"] = ArchiveLayout.AtenOpsetVersion },
            ["range_constraints"] = RangeConstraints(program.RangeConstraints),
            ["schema_version"] = new JsonObject { ["major"] = ArchiveLayout.SchemaMajor, ["minor"] = ArchiveLayout.SchemaMinor },
            ["verifiers"] = new JsonArray("TRAINING"),
            ["torch_version"] = "graphport",
        };
        var extras = new JsonObject
        {
            ["format"] = ExtrasFormat,
            ["version"] = ExtrasVersion,
            ["call_signature"] = new JsonObject
            {
                ["argument_names"] = new JsonArray([.. program.CallSignature.ArgumentNames.Select(n => (JsonNode)n)]),
                ["inputs"] = new JsonArray([.. program.CallSignature.InputTrees.Select(t => (JsonNode)TreeSpecJson.Write(t, s => sym.Print(s.Expr)))]),
                ["output"] = TreeSpecJson.Write(program.CallSignature.OutputTree, s => sym.Print(s.Expr)),
            },
            ["symbols"] = Symbols(program.ShapeEnv),
            // Non-persistent buffers are stored with the constants; these keep both dictionaries in their order.
            ["state_dict"] = new JsonArray([.. program.StateDict.Keys.Select(k => (JsonNode)k)]),
            ["constants"] = new JsonArray([.. program.Constants.Keys.Select(k => (JsonNode)k)]),
            ["graphs"] = graphExtras,
        };

        var zip = new AlignedZipWriter(stream, root, zip64Threshold);
        WritePayloads(zip, program);
        byte[] modelBytes = Encoding.UTF8.GetBytes(JsonText.Of(model));
        zip.Write(ArchiveLayout.ModelPath(ArchiveLayout.ModelName), modelBytes);
        // torch's loader reads this record unconditionally; empty means "no example inputs".
        zip.Write(ArchiveLayout.SampleInputsPath(ArchiveLayout.ModelName), []);
        zip.WriteText(ArchiveLayout.GraphportExtrasPath, JsonText.Of(extras));
        zip.WriteText(ArchiveLayout.ArchiveFormatPath, ArchiveLayout.ArchiveFormatValue);
        zip.WriteText(ArchiveLayout.ArchiveVersionPath, ArchiveLayout.ArchiveVersionValue);
        zip.WriteText(ArchiveLayout.ZipVersionPath, ArchiveLayout.ZipVersionValue);
        zip.WriteText(ArchiveLayout.ByteOrderPath, "little");
        // Derived from the content, so saving the same program twice gives the same bytes.
        zip.WriteText(ArchiveLayout.SerializationIdPath, Convert.ToHexString(SHA256.HashData(modelBytes))[..20].ToLowerInvariant());
        zip.Finish();
    }

    /// <summary>
    /// Parameters and persistent buffers are weights; lifted constants and non-persistent buffers are constants,
    /// which is where torch's ExportedProgram keeps them.
    /// </summary>
    private static void WritePayloads(AlignedZipWriter zip, ExportedProgram program)
    {
        var nonPersistent = program.GraphSignature.InputSpecs
            .Where(s => s.Kind == InputKind.Buffer && s.Persistent == false && s.Target is not null)
            .Select(s => s.Target!).ToHashSet(StringComparer.Ordinal);
        var parameters = program.GraphSignature.InputSpecs.Where(s => s.Kind == InputKind.Parameter && s.Target is not null)
            .Select(s => s.Target!).ToHashSet(StringComparer.Ordinal);
        var weights = program.StateDict.Where(kv => !nonPersistent.Contains(kv.Key))
            .Select(kv => Entry(kv.Key, kv.Value, parameters.Contains(kv.Key) || kv.Value is Parameter));
        TensorPayloads.Write(zip, ArchiveLayout.WeightsDir, ArchiveLayout.WeightFilePrefix, ArchiveLayout.WeightsConfigPath(ArchiveLayout.ModelName), weights);
        var constants = program.Constants.Select(kv => Entry(kv.Key, kv.Value, false))
            .Concat(program.StateDict.Where(kv => nonPersistent.Contains(kv.Key)).Select(kv => Entry(kv.Key, kv.Value, false)));
        TensorPayloads.Write(zip, ArchiveLayout.ConstantsDir, ArchiveLayout.TensorConstantFilePrefix, ArchiveLayout.ConstantsConfigPath(ArchiveLayout.ModelName), constants);
    }

    private static PayloadEntry Entry(string name, Tensor tensor, bool isParameter) =>
        new(name, tensor, isParameter, isParameter && (tensor as Parameter)?.RequiresGrad != false);

    /// <param name="sig">The signature as written: the program's, with its constant inputs and outputs in place.</param>
    private static JsonArray ModuleCallGraph(ExportedProgram program)
    {
        // The root entry's inputs and outputs stay empty, as torch.export writes them: the pytree specs' leaves are the
        // graph signature's user inputs and outputs. Names here would outlive the nodes they name once torch
        // re-traces the program (run_decompositions renames an output node and then finds the old name missing).
        var signature = new JsonObject
        {
            ["inputs"] = new JsonArray(),
            ["outputs"] = new JsonArray(),
            ["in_spec"] = TorchTreeSpec.DumpInputs(program.CallSignature.InputTrees),
            ["out_spec"] = TorchTreeSpec.DumpOutput(program.CallSignature.OutputTree),
            ["forward_arg_names"] = new JsonArray([.. program.CallSignature.ArgumentNames.Select(n => (JsonNode)n)]),
        };
        return [new JsonObject { ["fqn"] = "", ["signature"] = signature }];
    }

    /// <summary>Infinite bounds are null, as torch writes int_oo.</summary>
    private static JsonObject RangeConstraints(RangeConstraints ranges)
    {
        var result = new JsonObject();
        foreach (var (name, range) in ranges)
        {
            result[name] = new JsonObject
            {
                ["min_val"] = range.Lower == ValueRange.NegativeInfinity || range.Lower == ValueRange.Infinity ? null : range.Lower,
                ["max_val"] = range.Upper == ValueRange.Infinity || range.Upper == ValueRange.NegativeInfinity ? null : range.Upper,
            };
        }
        return result;
    }

    /// <summary>What the ShapeEnv knows of each symbol beyond its range: example value, source and Dim (for messages).</summary>
    private static JsonArray Symbols(ShapeEnv env)
    {
        var list = new JsonArray();
        // Replaced symbols (s1 = s0) appear nowhere in the program any more.
        foreach (var info in env.Symbols.Where(i => !env.Replacements.ContainsKey(i.Atom)))
        {
            list.Add(new JsonObject
            {
                ["name"] = info.Atom.Name,
                ["unbacked"] = info.Atom.Unbacked,
                ["hint"] = info.Hint,
                ["min"] = info.Range.Lower == ValueRange.NegativeInfinity ? null : info.Range.Lower,
                ["max"] = info.Range.Upper == ValueRange.Infinity ? null : info.Range.Upper,
                ["source"] = info.Source,
                ["dim"] = info.Dim is { } dim ? new JsonObject { ["name"] = dim.Name, ["kind"] = dim.Kind.ToString(), ["min"] = dim.Min, ["max"] = dim.Max } : null,
            });
        }
        return list;
    }
}
