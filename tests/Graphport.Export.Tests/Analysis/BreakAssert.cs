using Graphport.Analysis;
using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis;

/// <summary>Shared checks: run the finder on a fake module and compare a break with a marked source line.</summary>
internal static class BreakAssert
{
    public static IReadOnlyList<GraphBreak> FindIn<TModule>() =>
        GraphBreakFinder.Find(typeof(TModule).GetMethod("Forward")!, FakePolicy.Instance);

    /// <summary>Asserts exactly one break, of <paramref name="kind"/>, at the marked line of <paramref name="file"/>.</summary>
    public static GraphBreak SingleAt(IReadOnlyList<GraphBreak> breaks, GraphBreakKind kind, string file, string marker, string code, string method)
    {
        var single = Assert.Single(breaks);
        At(single, kind, file, marker, code, method);
        return single;
    }

    public static void At(GraphBreak found, GraphBreakKind kind, string file, string marker, string code, string method)
    {
        Assert.Equal(kind, found.Kind);
        Assert.NotNull(found.Location);
        Assert.Equal(Path.GetFullPath(file), Path.GetFullPath(found.Location.File));
        Assert.Equal(SourceMarkers.LineOf(file, marker), found.Location.Line);
        Assert.Equal(method, found.Location.Method);
        Assert.NotNull(found.Location.Code);
        Assert.Contains(code, found.Location.Code, StringComparison.Ordinal);
    }
}
