using System.Globalization;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Zoo;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport zoo export: the main job. Every zoo model (or --models) is exported, decomposed to Core ATen,
/// deployed to an executor, run on a random batch and compared with eager; a progress line per step, then a
/// table. Exit code 0 only when every model passed.
/// </summary>
public sealed class ZooExportCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["zoo", "export"];

    public override string Arguments => "[--models a,b] [--batch N] [--example-batch N] [--tolerance X] [--parallel N] [--json] [--cluster CONN | --home DIR]";

    public override string Summary => "Export, decompose, deploy and check every zoo model against eager; a table of ops, timings, max error.";

    protected override IEnumerable<string> OwnOptions => ["--models", "--batch", "--example-batch", "--tolerance", "--parallel"];

    protected override void Validate(CommandArguments arguments)
    {
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        Selection(arguments);
    }

    private static ZooSelection Selection(CommandArguments arguments)
    {
        var models = arguments.Option("--models")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var unknown = models.Where(m => ModelZoo.All.All(z => z.Name != m)).ToList();
        if (unknown.Count > 0)
            throw new UsageException($"Unknown zoo model {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Models: {string.Join(", ", ModelZoo.All.Select(m => m.Name))}.");
        double tolerance = 1e-4;
        if (arguments.Option("--tolerance") is { } text
            && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out tolerance) || !(tolerance > 0) || double.IsInfinity(tolerance)))
            throw new UsageException($"--tolerance must be a positive number, got '{text}'.");
        return new ZooSelection(models)
        {
            RunBatch = LongOption(arguments, "--batch", 3, 1, ZooRequests.MaxRunBatch),
            ExampleBatch = LongOption(arguments, "--example-batch", 2, 2, 1024),
            Tolerance = tolerance,
            MaxParallel = (int)LongOption(arguments, "--parallel", 2, 1, ZooRequests.MaxParallelLimit),
        };
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        bool json = arguments.Has("--json");
        // With --json, stdout is for the result only; progress goes to stderr.
        var progressOut = json ? context.Error : context.Out;
        progressOut.WriteLine(client.IsEmbedded ? $"Embedded cluster on {client.DataDirectory}" : "Connected to the cluster");
        var final = await client.ExportZooAsync(Selection(arguments), new ProgressPrinter(progressOut), context.Cancellation);
        var rows = final.Models.Select(m => new ZooRow(m.Model, m.Ops, m.ExportMs, m.DecomposeMs, m.RunMs, m.MaxError, m.State == ZooModelState.Passed ? "OK" : "FAILED", m.Decomposed?.ToString(), m.Error)).ToList();
        if (json)
        {
            context.Out.WriteLine(CliJson.Serialize(new { batch = final.BatchId, passed = final.AllPassed, models = rows }));
        }
        else
        {
            context.Out.WriteLine();
            TextTable.Write(context.Out, ["MODEL", "OPS", "EXPORT MS", "DECOMPOSE MS", "RUN MS", "MAX ERROR", "STATUS"], rows.Select(r => (IReadOnlyList<string>)
            [
                r.Model, r.Ops.ToString(CultureInfo.InvariantCulture), Ms(r.ExportMs), Ms(r.DecomposeMs), Ms(r.RunMs), ProgressPrinter.Error(r.MaxError), r.Status,
            ]));
            foreach (var failed in rows.Where(r => r.Error is not null)) context.Out.WriteLine($"{failed.Model}: {failed.Error}");
            context.Out.WriteLine($"{rows.Count(r => r.Status == "OK")} of {rows.Count} models passed.");
        }
        return final.AllPassed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>One row of the table (and one object of the JSON).</summary>
    private sealed record ZooRow(string Model, int Ops, double ExportMs, double DecomposeMs, double RunMs, double? MaxError, string Status, string? Program, string? Error);
}
