using Graphport.Zoo;

namespace Graphport.Grains;

/// <summary>
/// Makes a program from its provenance: builds the zoo model or registered module, exports it with the recorded
/// example inputs and dynamic dims, then applies the recorded decompositions. Export runs on the calling thread
/// (the tracer is per thread); grains call it from the thread pool.
/// </summary>
public sealed class ProgramBuilder(ModuleRegistry modules)
{
    public const long MaxExampleBatch = 1024;

    public BuiltProgram Build(ProgramProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var (module, program) = Export(provenance);
        foreach (var table in provenance.Tables) program = DecompositionTables.Apply(program, table);
        return new BuiltProgram(module, program);
    }

    /// <summary>Checks a request before any work: a known source, a sane batch, inputs where a module needs them.</summary>
    public void Validate(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Source)) throw Invalid("The export request names no source; use \"zoo:NAME\" or \"module:NAME\".");
        if (request.Source.StartsWith(ExportRequest.ZooPrefix, StringComparison.Ordinal))
        {
            ZooModelNamed(request.Source[ExportRequest.ZooPrefix.Length..]);
            if (request.ExampleBatch < 2 || request.ExampleBatch > MaxExampleBatch)
                throw Invalid($"The example batch must be between 2 and {MaxExampleBatch} (sizes 0 and 1 specialize the batch dimension); got {request.ExampleBatch}.");
            if (request.Inputs is { Length: > 0 }) throw Invalid("Zoo models bring their own inputs; leave Inputs empty for a zoo: source.");
        }
        else if (request.Source.StartsWith(ExportRequest.ModulePrefix, StringComparison.Ordinal))
        {
            modules.Get(request.Source[ExportRequest.ModulePrefix.Length..]);
            if (request.Inputs is null) throw Invalid($"Exporting {request.Source} needs Inputs: one ExportInput per Forward argument, in order.");
            if (request.Inputs.Any(i => i is null)) throw Invalid("An entry of Inputs is empty.");
        }
        else
        {
            throw Invalid($"Unknown export source '{request.Source}'. Use \"zoo:NAME\" (models: {string.Join(", ", ModelZoo.All.Select(m => m.Name))}) or \"module:NAME\" for a module registered on the silos.");
        }
    }

    private (Module Module, ExportedProgram Program) Export(ProgramProvenance provenance)
    {
        if (provenance.IsZoo)
        {
            var model = ZooModelNamed(provenance.Source[ExportRequest.ZooPrefix.Length..]);
            var module = model.Create();
            module.Eval();
            var program = Torch.Export(module, model.ExampleInputs(provenance.ExampleBatch), dynamicShapes: model.DynamicShapes(), strict: provenance.Strict);
            return (module, program);
        }
        if (provenance.Source.StartsWith(ExportRequest.ModulePrefix, StringComparison.Ordinal))
        {
            var registered = modules.Get(provenance.Source[ExportRequest.ModulePrefix.Length..]);
            var inputs = provenance.Inputs ?? throw Invalid($"Exporting {provenance.Source} needs Inputs.");
            var module = registered.Create();
            var program = Torch.Export(module, ExampleInputs.Tensors(inputs), dynamicShapes: ExampleInputs.Shapes(inputs), strict: provenance.Strict);
            return (module, program);
        }
        throw Invalid($"A program from '{provenance.Source}' cannot be traced again.");
    }

    private static ZooModel ZooModelNamed(string name) =>
        ModelZoo.All.FirstOrDefault(m => m.Name == name)
        ?? throw new GraphportException(GraphportErrorKind.NotFound, $"No zoo model named '{name}'. Models: {string.Join(", ", ModelZoo.All.Select(m => m.Name))}.");

    private static GraphportException Invalid(string message) => new(GraphportErrorKind.InvalidRequest, message);
}
