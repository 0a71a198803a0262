using Graphport.Analysis;

namespace Graphport.Tests.Analysis.Fakes;

/// <summary>The default policy with the fake tensor and module types in place of Graphport's own.</summary>
internal static class FakePolicy
{
    public static GraphBreakPolicy Instance { get; } = new()
    {
        TensorTypes = [typeof(FakeTensor).FullName!],
        ModuleTypes = ["Graphport.Tests.Analysis.Fakes.FakeModule"],
    };
}
