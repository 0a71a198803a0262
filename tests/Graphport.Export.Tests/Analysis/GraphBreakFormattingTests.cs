using Graphport.Analysis;

namespace Graphport.Tests.Analysis;

public sealed class GraphBreakFormattingTests
{
    [Fact]
    public void ToString_renders_the_message_then_the_user_code_trailer_with_the_source_line()
    {
        var location = new SourceLocation("/src/Models/Bad1.cs", 12, "Bad1.Forward", "if (x.Sum() > 0)");
        var graphBreak = new GraphBreak(GraphBreakKind.DataDependentControlFlow, "Dynamic control flow.", location);

        Assert.Equal(
            "Dynamic control flow.\n\nfrom user code:\n   File \"/src/Models/Bad1.cs\", line 12, in Bad1.Forward\n    if (x.Sum() > 0)",
            graphBreak.ToString());
    }

    [Fact]
    public void ToString_omits_the_code_line_when_the_source_could_not_be_read()
    {
        var location = new SourceLocation("/src/Bad1.cs", 3, "Bad1.Forward", null);

        Assert.Equal(
            "Boom\n\nfrom user code:\n   File \"/src/Bad1.cs\", line 3, in Bad1.Forward",
            new GraphBreak(GraphBreakKind.ExceptionHandling, "Boom", location).ToString());
    }

    [Fact]
    public void ToString_is_only_the_message_without_a_location()
    {
        Assert.Equal("Boom", new GraphBreak(GraphBreakKind.ExceptionHandling, "Boom", null).ToString());
    }

    [Fact]
    public void Messages_match_the_torch_export_wording_and_point_to_Torch_Cond()
    {
        Assert.Equal(
            "Dynamic control flow is not supported at the moment. Please use Torch.Cond to explicitly capture the control flow. " +
            "For more information about this error, see: https://pytorch.org/docs/main/generated/exportdb/index.html#cond-operands",
            GraphBreakMessages.For(GraphBreakKind.DataDependentControlFlow));
        Assert.All(Enum.GetValues<GraphBreakKind>(), kind => Assert.False(string.IsNullOrWhiteSpace(GraphBreakMessages.For(kind))));
        Assert.Equal(5, Enum.GetValues<GraphBreakKind>().Select(GraphBreakMessages.For).Distinct().Count());
    }
}
