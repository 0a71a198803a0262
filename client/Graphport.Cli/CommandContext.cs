namespace Graphport.Cli;

/// <summary>
/// Where a command writes, which folder it starts from, the environment it reads (GRAPHPORT_HOME,
/// GRAPHPORT_CLUSTER) and when it should stop (long-running commands such as `silo`); tests pass their own.
/// </summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error, string WorkingDirectory)
{
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public CancellationToken Cancellation { get; init; }

    public static CommandContext FromConsole() => new(Console.Out, Console.Error, System.Environment.CurrentDirectory);
}
