using System.Text.Json;
using Graphport.ExportDB;

namespace Graphport.Cli.Tests;

/// <summary>graphport exportdb list / show / docs.</summary>
public class ExportDbCommandTests
{
    [Fact]
    public void List_prints_a_table_row_per_case_with_support_and_tags()
    {
        var run = CliRun.Of("exportdb", "list");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.StartsWith("NAME", lines[0]);
        Assert.Equal(ExportDb.Cases.Count + 2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("cond_operands ", StringComparison.Ordinal) && l.Contains("SUPPORTED") && l.Contains("torch.cond"));
        Assert.Contains(lines, l => l.StartsWith("model_attr_mutation ", StringComparison.Ordinal) && l.Contains("NOT_SUPPORTED_YET"));
    }

    [Fact]
    public void List_by_tag_keeps_only_the_cases_with_that_tag()
    {
        var run = CliRun.Of("exportdb", "list", "--tag", "torch.map", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var row = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("dynamic_shape_map", row.GetProperty("name").GetString());
        Assert.Equal("SUPPORTED", row.GetProperty("support").GetString());
    }

    [Fact]
    public void An_unknown_tag_exits_with_2_and_lists_the_tags()
    {
        var run = CliRun.Of("exportdb", "list", "--tag", "torch.nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown tag 'torch.nope'. Tags: ", run.Error);
        Assert.Contains("torch.cond", run.Error);
    }

    [Fact]
    public void Show_prints_the_description_source_and_exported_program()
    {
        var run = CliRun.Of("exportdb", "show", "cond_operands");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("## cond_operands\n", run.Out);
        Assert.Contains(ExportDb.Get("cond_operands").Description, run.Out);
        Assert.Contains("return Cond(x.Shape[0] > 2, TrueFn, FalseFn, [x, y]);", run.Out);
        Assert.Contains("torch.ops.higher_order.cond", run.Out);
        Assert.Contains("Range constraints: `{s0: [2, oo]}`", run.Out);
    }

    [Fact]
    public void Show_as_json_gives_the_error_of_an_unsupported_case_with_a_relative_path()
    {
        var run = CliRun.Of("exportdb", "show", "tensor_as_bool", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("NOT_SUPPORTED_YET", root.GetProperty("support").GetString());
        var outcome = root.GetProperty("outcome");
        Assert.False(outcome.GetProperty("exported").GetBoolean());
        Assert.Equal("GraphBreakException", outcome.GetProperty("errorType").GetString());
        Assert.Contains("File \"examples/exportdb/Cases/TensorAsBool.cs\", line", outcome.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public void Show_of_an_unknown_case_exits_with_2_and_lists_the_cases()
    {
        var run = CliRun.Of("exportdb", "show", "no_such_case");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No ExportDB case named 'no_such_case'. Cases: assume_constant_result, ", run.Error);
    }

    [Fact]
    public void Docs_prints_the_rendered_page()
    {
        var run = CliRun.Of("exportdb", "docs");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ExportDbDocs.Render(), run.Out);
    }

    [Fact]
    public void Docs_write_updates_the_page_of_the_repository_around_the_working_directory()
    {
        var root = Directory.CreateTempSubdirectory("graphport-cli-");
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "Cluster.sln"), "");
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "some", "folder"));
            var run = CliRun.In(nested.FullName, "exportdb", "docs", "--write");
            Assert.Equal(0, run.ExitCode);
            Assert.Contains($"Wrote {ExportDbDocs.RelativePath}", run.Out);
            Assert.Equal(ExportDbDocs.Render(), File.ReadAllText(Path.Combine(root.FullName, "docs", "exportdb.md")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
