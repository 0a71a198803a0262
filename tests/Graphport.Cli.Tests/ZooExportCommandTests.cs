using System.Text.Json;
using Graphport.Zoo;

namespace Graphport.Cli.Tests;

/// <summary>graphport zoo export: the main job, on an embedded cluster in a fresh GRAPHPORT_HOME.</summary>
public sealed class ZooExportCommandTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public void Zoo_export_on_an_embedded_cluster_reports_every_model_ok_and_exits_0()
    {
        var run = CliRun.With(home.Environment, "zoo", "export", "--json");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        var rows = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(ModelZoo.All.Select(m => m.Name), rows.Select(r => r.GetProperty("model").GetString()));
        Assert.All(rows, r =>
        {
            Assert.Equal("OK", r.GetProperty("status").GetString());
            Assert.True(r.GetProperty("ops").GetInt32() > 0);
            Assert.True(r.GetProperty("maxError").GetDouble() < 1e-4);
        });
        Assert.Contains($"Embedded cluster on {home.Path}", run.Error);
        Assert.True(Directory.Exists(Path.Combine(home.Path, "state")) && Directory.Exists(Path.Combine(home.Path, "blobs")));
    }

    [Fact]
    public void Zoo_export_prints_progress_then_a_table_with_ops_timings_error_and_status()
    {
        var run = CliRun.With(home.Environment, "zoo", "export", "--models", "mlp,bert_encoder");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Contains(lines, l => l.StartsWith("[", StringComparison.Ordinal) && l.Contains("mlp: passed (max error", StringComparison.Ordinal));
        int header = Array.FindIndex(lines, l => l.StartsWith("MODEL", StringComparison.Ordinal));
        Assert.Equal(["MODEL", "OPS", "EXPORT", "MS", "DECOMPOSE", "MS", "RUN", "MS", "MAX", "ERROR", "STATUS"], lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mlp ", lines[header + 2]);
        Assert.EndsWith("OK", lines[header + 2]);
        Assert.StartsWith("bert_encoder ", lines[header + 3]);
        Assert.Equal("2 of 2 models passed.", lines[^1]);
    }

    [Fact]
    public void Unknown_models_and_bad_numbers_are_usage_errors_before_any_cluster_starts()
    {
        var model = CliRun.With(home.Environment, "zoo", "export", "--models", "mlp,vgg16");
        var batch = CliRun.With(home.Environment, "zoo", "export", "--batch", "0");
        var tolerance = CliRun.With(home.Environment, "zoo", "export", "--tolerance", "-1");

        Assert.Equal(2, model.ExitCode);
        Assert.Contains("Unknown zoo model 'vgg16'. Models: mlp, mlp50", model.Error);
        Assert.Equal(2, batch.ExitCode);
        Assert.Contains("--batch must be a whole number from 1 to 64, got '0'.", batch.Error);
        Assert.Equal(2, tolerance.ExitCode);
        Assert.False(Directory.Exists(home.Path));
    }
}
