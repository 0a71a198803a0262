using System.Reflection;
using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class SourceLocatorTests
{
    [Fact]
    public void Locate_maps_an_IL_offset_to_the_statement_at_or_before_it()
    {
        var forward = typeof(TensorInIf).GetMethod("Forward")!;
        var last = forward.GetMethodBody()!.GetILAsByteArray()!.Length - 1;

        var first = SourceLocator.Locate(forward, 0);
        var end = SourceLocator.Locate(forward, last);

        Assert.NotNull(first);
        Assert.NotNull(end);
        Assert.Equal(Path.GetFullPath(TensorInIf.SourceFile), Path.GetFullPath(first.File));
        Assert.Equal("TensorInIf.Forward", first.Method);
        Assert.True(end.Line > first.Line, "the last instruction belongs to a later statement than the first");
        Assert.True(end.Line <= SourceMarkers.LineOf(TensorInIf.SourceFile, "tensor-if") + 3);
    }

    [Fact]
    public void Locate_returns_null_for_code_without_a_portable_pdb()
    {
        // The runtime's own assemblies ship without PDBs.
        var trim = typeof(string).GetMethod(nameof(string.Trim), Type.EmptyTypes)!;

        Assert.Null(SourceLocator.Locate(trim, 0));
    }

    [Fact]
    public void ReadSourceLine_returns_the_exact_line_and_null_when_out_of_range_or_missing()
    {
        var file = TensorInIf.SourceFile;
        var line = SourceMarkers.LineOf(file, "tensor-if");

        Assert.Equal(File.ReadAllLines(file)[line - 1], SourceLocator.ReadSourceLine(file, line));
        Assert.Null(SourceLocator.ReadSourceLine(file, 0));
        Assert.Null(SourceLocator.ReadSourceLine(file, int.MaxValue));
        Assert.Null(SourceLocator.ReadSourceLine(Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.cs"), 1));
    }

    [Fact]
    public void Lambdas_and_local_functions_are_named_after_the_method_that_contains_them()
    {
        var lambda = typeof(BreakInLambda).GetNestedTypes(BindingFlags.NonPublic)
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Single(m => m.Name.StartsWith("<Forward>b__", StringComparison.Ordinal));

        Assert.Equal("BreakInLambda.Forward.<lambda>", SourceLocator.Locate(lambda, 0)!.Method);
        Assert.Equal("SourceLocatorTests.Outer.Inner", MethodDisplayName.Of(LocalFunctionOf(nameof(Outer))));
    }

    [Fact]
    public void Iterator_bodies_are_named_after_the_iterator_method()
    {
        var moveNext = typeof(SourceLocatorTests).GetNestedTypes(BindingFlags.NonPublic)
            .Single(t => t.Name.StartsWith($"<{nameof(Countdown)}>d__", StringComparison.Ordinal))
            .GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic)!;

        Assert.Equal("SourceLocatorTests.Countdown", MethodDisplayName.Of(moveNext));
    }

    private static IEnumerable<int> Countdown()
    {
        yield return 1;
        yield return 0;
    }

    private static MethodInfo LocalFunctionOf(string container) =>
        typeof(SourceLocatorTests).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
            .Single(m => m.Name.StartsWith($"<{container}>g__", StringComparison.Ordinal));

    private static int Outer()
    {
        return Inner() + 1;

        static int Inner() => 41;
    }
}
