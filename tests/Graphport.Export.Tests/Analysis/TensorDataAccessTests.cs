using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class TensorDataAccessTests
{
    private static readonly string Source = ReadsData.SourceFile;

    [Fact]
    public void Reading_Data_is_reported_at_the_read()
    {
        var found = BreakAssert.SingleAt(BreakAssert.FindIn<ReadsData>(), GraphBreakKind.TensorDataAccess,
            Source, "data-read", "var first = x.Data[0];", "ReadsData.Forward");
        Assert.Equal(GraphBreakMessages.TensorDataAccess, found.Message);
    }

    [Fact]
    public void Writing_through_Data_is_reported_at_the_write()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<WritesData>(), GraphBreakKind.TensorDataAccess,
            Source, "data-write", "x.Data[0] = 1f;", "WritesData.Forward");
    }

    [Fact]
    public void Copying_out_with_ToArray_is_reported()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<CopiesToArray>(), GraphBreakKind.TensorDataAccess,
            Source, "to-array", "x.ToArray()", "CopiesToArray.Forward");
    }
}
