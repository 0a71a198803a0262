using Graphport.Kernels.Planning;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

/// <summary>
/// A zoo model's Core ATen program planned at a batch, and the check that a way of running that plan (the twin's
/// IR, or the CUDA C compiled for the CPU) gives what the interpreter gives on seeded inputs.
/// </summary>
internal static class ZooPlanCheck
{
    public static (ExportedProgram Core, ShapeBinding Shapes, List<Tensor> Inputs) Setup(string name, long batch, ulong seed)
    {
        Torch.ManualSeed(seed);
        var model = ModelZoo.Get(name);
        var core = model.Export(2).Program.RunDecompositions();
        var inputs = model.ExampleInputs(batch).Cast<Tensor>().ToList();
        return (core, ShapeBinding.FromInputs(core, inputs.Select(t => t.Shape.ToLongs()).ToList()), inputs);
    }

    /// <summary>Plans the model with <paramref name="options"/>, runs the plan with <paramref name="run"/>, compares; returns the plan.</summary>
    public static FusedProgram MatchesInterpreter(string name, long batch, ulong seed, PlannerOptions options, Func<FusedProgram, List<Tensor>, object?[]> run)
    {
        var (core, shapes, inputs) = Setup(name, batch, seed);
        var plan = FusionPlanner.Plan(core, shapes, options);
        var actual = (Tensor)run(plan, inputs).Single()!;
        var expected = core.Module().Call(inputs.Cast<object?>().ToArray());
        double scale = Math.Max(expected.Abs().Max().Item(), 1e-3);
        double diff = (actual - expected).Abs().Max().Item();
        Assert.True(diff <= 1e-4 * scale + 1e-6, $"{name}: max difference {diff} (output scale {scale})\n{plan.Describe()}");
        return plan;
    }
}
