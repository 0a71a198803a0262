using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>graphport programs show NAME[@VERSION]: a program's versions, one version's details, and with --graph its graph.</summary>
public sealed class ProgramsShowCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["programs", "show"];

    public override string Arguments => "NAME[@VERSION] [--graph] [--json]";

    public override string Summary => "Show a program's versions and one version's inputs, ranges and weights (--graph prints its graph).";

    protected override IEnumerable<string> OwnFlags => ["--graph"];

    protected override void Validate(CommandArguments arguments) => ProgramArgument(arguments);

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var requested = ProgramArgument(arguments);
        var resolved = await client.ResolveAsync(requested);
        var info = await client.GetProgramAsync(resolved.Name);
        var version = info.Versions.Single(v => v.Version == resolved.Version);
        string? graph = arguments.Has("--graph") ? await client.GetGraphTextAsync(resolved) : null;
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new { program = info, shown = version, graph }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{info.Name}: {info.Versions.Length} version(s)");
        foreach (var v in info.Versions) context.Out.WriteLine($"  {OutputFormat.Version(v)}");
        context.Out.WriteLine();
        WriteVersion(context.Out, version);
        if (graph is not null)
        {
            context.Out.WriteLine();
            context.Out.Write(graph);
        }
        return ExitCodes.Success;
    }

    /// <summary>The details of one version, as export, decompose and show print them.</summary>
    public static void WriteVersion(TextWriter writer, ProgramVersionInfo v)
    {
        writer.WriteLine($"{v.Ref} ({v.Kind.ToString().ToLowerInvariant()}, {v.Origin}), created {v.CreatedAt:u}");
        writer.WriteLine($"  ops: {v.OpCount} ({v.NodeCount} nodes)");
        foreach (var input in v.Inputs) writer.WriteLine($"  input {input}");
        if (v.RangeConstraints.Length > 0) writer.WriteLine($"  ranges: {{{string.Join(", ", v.RangeConstraints.Select(r => r.ToString()))}}}");
        writer.WriteLine($"  weights: {v.WeightCount} tensors, {OutputFormat.Bytes(v.WeightBytes)}");
    }
}
