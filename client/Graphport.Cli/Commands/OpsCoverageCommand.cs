using Graphport.Operators;

namespace Graphport.Cli.Commands;

/// <summary>graphport ops coverage: how much of the Core ATen opset the engine declares, runs on the CPU and traces.</summary>
public sealed class OpsCoverageCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["ops", "coverage"];

    public string Arguments => "[--json]";

    public string Summary => "Print Core ATen coverage: declared ops, CPU kernels, meta functions, and what falls short.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--json" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string>();

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        var coverage = OpCoverage.Compute();
        context.Out.WriteLine(arguments.Has("--json") ? CliJson.Serialize(coverage) : coverage.ToString());
        return ExitCodes.Success;
    }
}
