using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Graphport.Graphs;

namespace Graphport.Grains;

/// <summary>
/// The interim codec until the engine's .pt2 Save/Load lands: the graph document is the program's recipe
/// (source, example inputs, dynamic dims, decomposition tables) and a fingerprint of its graph; the weights are
/// raw tensors. Decoding traces the source again, checks the fingerprint (so a changed model definition is
/// refused rather than served with the wrong graph) and copies the stored weights in. Uploaded programs have no
/// recipe, so this codec cannot store them.
/// </summary>
public sealed class RecipeProgramCodec(ProgramBuilder builder) : IProgramCodec
{
    public const string FormatName = "graphport-recipe/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Format => FormatName;

    public EncodedProgram Encode(ExportedProgram program, ProgramProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(provenance);
        if (provenance.Source == ProgramProvenance.UploadSource)
            throw new GraphportException(GraphportErrorKind.Unsupported,
                "This cluster stores programs as recipes (how to trace them again) until the .pt2 codec (ExportedProgram.Save/Load) is merged, "
                + "and an uploaded program has no recipe. Export it on the cluster instead: ExportAsync(\"zoo:NAME\") or a module registered on the silos.");
        var weights = new List<RecipeWeight>();
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        void Add(string kind, string name, Tensor tensor)
        {
            var data = TensorData.FromTensor(tensor);
            var weight = new RecipeWeight(kind, name, data.DType, data.Shape);
            weights.Add(weight);
            blobs[weight.BlobName] = data.Data;
        }
        foreach (var (name, tensor) in program.StateDict) Add("state", name, tensor);
        foreach (var (name, tensor) in program.Constants) Add("constant", name, tensor);
        var document = new RecipeDocument(FormatName, provenance, Fingerprint(program), [.. weights]);
        return new EncodedProgram(FormatName, JsonSerializer.SerializeToUtf8Bytes(document, Json), blobs);
    }

    public ExportedProgram Decode(EncodedProgram encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Format != FormatName)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"A program stored as '{encoded.Format}' cannot be read by the {FormatName} codec.");
        RecipeDocument document;
        try
        {
            document = JsonSerializer.Deserialize<RecipeDocument>(encoded.Graph, Json)
                ?? throw new JsonException("The document is empty.");
        }
        catch (JsonException e)
        {
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The stored program recipe is damaged: {e.Message}");
        }
        var program = builder.Build(document.Provenance).Program;
        string fingerprint = Fingerprint(program);
        if (fingerprint != document.Fingerprint)
            throw new GraphportException(GraphportErrorKind.StorageFailed,
                $"The stored program was made from {document.Provenance.Describe()}, whose code has changed since: tracing it again gives a different graph. Export it again.");
        foreach (var weight in document.Weights) CopyWeight(program, weight, encoded.Weights);
        return program;
    }

    /// <summary>A hash of what the program computes: the graph listing (no source lines), the signature and the ranges.</summary>
    public static string Fingerprint(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        string text = GraphPrinter.Readable(program.Graph, withSources: false) + "\n" + program.GraphSignature + "\n" + program.RangeConstraints;
        return ContentId.Of(Encoding.UTF8.GetBytes(text));
    }

    private static void CopyWeight(ExportedProgram program, RecipeWeight weight, IReadOnlyDictionary<string, byte[]> blobs)
    {
        var owner = weight.Kind == "state" ? program.StateDict : program.Constants;
        if (!owner.TryGetValue(weight.Name, out var target))
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The rebuilt program has no {weight.Kind} tensor '{weight.Name}' to load the stored weight into.");
        if (!blobs.TryGetValue(weight.BlobName, out var bytes))
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"The stored program lacks the bytes of weight '{weight.BlobName}'.");
        Tensor value;
        try
        {
            value = new TensorData(weight.DType, weight.Shape, bytes).ToTensor();
        }
        catch (ArgumentException e)
        {
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"Stored weight '{weight.BlobName}' is damaged: {e.Message}");
        }
        if (value.DType != target.DType || !value.Shape.Equals(target.Shape))
            throw new GraphportException(GraphportErrorKind.StorageFailed,
                $"Stored weight '{weight.BlobName}' is {value.DType.ShortName()}[{string.Join(", ", value.Shape)}] but the program expects {target.DType.ShortName()}[{string.Join(", ", target.Shape)}].");
        target.Copy_(value);
    }
}
