namespace Graphport.ExportDB.Tests;

/// <summary>docs/exportdb.md is generated from the cases and must match what they do now.</summary>
public class DocsTests
{
    [Fact]
    public void The_committed_page_matches_a_fresh_rendering()
    {
        var path = Path.Combine(RepositoryRoot.Find(), ExportDbDocs.RelativePath);
        Assert.True(File.Exists(path), $"{ExportDbDocs.RelativePath} is missing; run `dotnet run --project client/Graphport.Cli -- exportdb docs --write`.");
        var committed = File.ReadAllText(path).Replace("\r\n", "\n");
        var fresh = ExportDbDocs.Render();
        Assert.True(committed == fresh,
            $"{ExportDbDocs.RelativePath} is stale (first difference at line {FirstDifferentLine(committed, fresh)}); " +
            "regenerate it with `dotnet run --project client/Graphport.Cli -- exportdb docs --write`.");
    }

    [Fact]
    public void Rendering_is_deterministic_and_free_of_machine_paths()
    {
        var first = ExportDbDocs.Render();
        var second = ExportDbDocs.Render();
        Assert.Equal(first, second);
        Assert.NotNull(RepositoryPaths.BuildRoot);
        Assert.DoesNotContain(RepositoryPaths.BuildRoot!, first);
        Assert.Contains("examples/exportdb/Cases/TensorAsBool.cs", first);
    }

    [Fact]
    public void Every_case_has_a_section_and_a_row_in_the_table()
    {
        var page = ExportDbDocs.Render();
        Assert.All(ExportDb.Cases, c =>
        {
            Assert.Contains($"\n## {c.Name}\n", page);
            Assert.Contains($"| [{c.Name}](#{c.Name}) |", page);
        });
    }

    private static int FirstDifferentLine(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i]) return i + 1;
        return Math.Min(x.Length, y.Length) + 1;
    }
}
