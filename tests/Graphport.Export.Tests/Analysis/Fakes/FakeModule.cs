namespace Graphport.Tests.Analysis.Fakes;

/// <summary>
/// Stand-in for Graphport.Module. Like the real Call, it reaches a submodule's Forward through reflection, so a
/// parent's IL never names the child's Forward and the analysis has to find it from the child's type.
/// </summary>
public abstract class FakeModule
{
    protected static FakeTensor Call(FakeModule module, FakeTensor input) =>
        (FakeTensor)module.GetType().GetMethod("Forward")!.Invoke(module, [input])!;
}
