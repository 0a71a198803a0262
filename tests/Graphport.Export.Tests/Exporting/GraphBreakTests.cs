using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

public class GraphBreakTests
{
    private static GraphBreakException StrictExportFails(Module module)
    {
        ManualSeed(4);
        return Assert.Throws<GraphBreakException>(() => Export(module, [Randn(3, 3)]));
    }

    private static void AssertPointsAt(GraphBreakException e, string marker)
    {
        var (file, line) = SourceLines.Marker(marker);
        Assert.Contains($"from user code:\n   File \"{file}\", line {line}, in ", e.Message);
        Assert.Equal(line, e.Break.Location!.Line);
    }

    [Fact]
    public void Data_dependent_if_fails_with_cond_hint_and_the_users_line()
    {
        var e = StrictExportFails(new Bad1());
        Assert.StartsWith("Dynamic control flow is not supported at the moment. Please use Torch.Cond to explicitly capture the control flow.", e.Message);
        AssertPointsAt(e, "bad1");
        Assert.Contains("    if (x.Sum() > 0) // LINE:bad1", e.Message);
    }

    [Fact]
    public void Writing_through_Data_fails_in_strict_mode()
    {
        var e = StrictExportFails(new Bad2());
        Assert.Contains("Tensor.Data", e.Message);
        Assert.Contains("strict: false", e.Message);
        AssertPointsAt(e, "bad2");
    }

    [Fact]
    public void Object_identity_fails_in_strict_mode()
    {
        var e = StrictExportFails(new Bad3());
        Assert.Contains("object identity", e.Message);
        AssertPointsAt(e, "bad3");
    }

    [Fact]
    public void Try_catch_and_throw_fail_in_strict_mode()
    {
        var e = StrictExportFails(new Bad4());
        Assert.StartsWith("Exception handling (throw, try/catch) inside Forward is not supported in strict export.", e.Message);
        AssertPointsAt(e, "bad4");
        Assert.Equal(2, e.AllBreaks.Count);
    }

    [Fact]
    public void Data_dependent_if_in_non_strict_mode_is_a_data_dependent_error_with_the_line()
    {
        ManualSeed(5);
        var e = Assert.Throws<DataDependentException>(() => Export(new Bad1(), [Randn(3, 3)], strict: false));
        Assert.Contains("Torch.Cond", e.Message);
        Assert.Contains($"TutorialModules.cs:{SourceLines.Marker("bad1").Line}", e.Message);
    }
}
