using System.Text.RegularExpressions;

namespace Graphport.ExportDB.Tests;

/// <summary>The catalog's rules: names, tags, descriptions, rewrites and sources every case must follow.</summary>
public partial class CatalogTests
{
    [Fact]
    public void The_catalog_covers_at_least_35_cases_sorted_by_name()
    {
        var names = ExportDb.Cases.Select(c => c.Name).ToList();
        Assert.True(names.Count >= 35, $"only {names.Count} cases");
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void Case_names_are_unique_snake_case()
    {
        var names = ExportDb.Cases.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(SnakeCase(), n));
    }

    [Theory]
    [MemberData(nameof(CaseData.All), MemberType = typeof(CaseData))]
    public void Every_case_has_known_tags_and_a_one_or_two_sentence_description(string name)
    {
        var c = ExportDb.Get(name);
        Assert.NotEmpty(c.Tags);
        Assert.All(c.Tags, t => Assert.Contains(t, ExportDbTags.Known));
        Assert.Equal(c.Tags.Count, c.Tags.Distinct().Count());
        Assert.False(string.IsNullOrWhiteSpace(c.Description));
        int sentences = SentenceEnd().Matches(c.Description.Trim()).Count;
        Assert.InRange(sentences, 1, 2);
    }

    [Theory]
    [MemberData(nameof(CaseData.All), MemberType = typeof(CaseData))]
    public void Every_case_shows_its_source_from_between_the_markers(string name)
    {
        var c = ExportDb.Get(name);
        var source = CaseSource.Read(c);
        Assert.Contains("Forward", source);
        Assert.DoesNotContain(CaseSource.BeginMarker, source);
        Assert.DoesNotContain("IExportDbExample", source);
    }

    [Fact]
    public void A_rewrite_names_a_case_that_is_not_supported_yet_and_is_itself_supported()
    {
        var rewrites = ExportDb.Cases.Where(c => c.RewriteOf is not null).ToList();
        Assert.NotEmpty(rewrites);
        Assert.All(rewrites, r =>
        {
            Assert.Equal(SupportLevel.Supported, r.Support);
            Assert.Equal(SupportLevel.NotSupportedYet, ExportDb.Get(r.RewriteOf!).Support);
        });
    }

    [Fact]
    public void Looking_up_an_unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ExportDb.Get("no_such_case"));
        Assert.Contains("cond_operands", e.Message);
        Assert.Null(ExportDb.TryGet("no_such_case"));
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    // A sentence ends at . ! or ? followed by whitespace or the end; "e.g." would count, so descriptions avoid it.
    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex SentenceEnd();
}
