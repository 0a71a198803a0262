namespace Graphport.Zoo;

/// <summary>
/// One model of the zoo: how to build it (in eval mode), example inputs for a batch size, and its dynamic shapes
/// (always a symbolic batch dimension named "batch").
/// </summary>
public sealed record ZooModel(string Name, string Description, Func<Module> Create, Func<long, object?[]> ExampleInputs, Func<DynamicShapes> DynamicShapes)
{
    /// <summary>Builds the module (eval mode) and exports it with the dynamic batch.</summary>
    public (Module Module, ExportedProgram Program) Export(long exampleBatch = 2, bool strict = true)
    {
        var module = Create();
        module.Eval();
        return (module, Torch.Export(module, ExampleInputs(exampleBatch), dynamicShapes: DynamicShapes(), strict: strict));
    }
}
