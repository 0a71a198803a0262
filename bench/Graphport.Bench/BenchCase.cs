namespace Graphport.Bench;

/// <summary>
/// One model to export: how to build it (in eval mode), the example input's shape with batch first, and the
/// name Forward gives its input (the key of the dynamic-shapes spec).
/// </summary>
public sealed record BenchCase(string Name, Func<Module> Create, long[] InputShapeWithoutBatch, string InputName = "x")
{
    /// <summary>Batch of the example input at export time; the batch dim is dynamic, so any other size runs too.</summary>
    public const long ExampleBatch = 2;

    /// <summary>Batch of the verification input: not the example's, so the check exercises the symbolic dim.</summary>
    public const long VerifyBatch = 3;

    public long[] InputShape(long batch) => [batch, .. InputShapeWithoutBatch];

    /// <summary>Batch dim 0 as Dim("batch"), as bench/torch/export_time.py does with torch.export.Dim("batch").</summary>
    public DynamicShapes DynamicBatch() => new() { [InputName] = new() { [0] = new Dim("batch") } };
}
