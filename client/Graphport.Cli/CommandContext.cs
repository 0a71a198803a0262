namespace Graphport.Cli;

/// <summary>Where a command writes and which folder it starts from; tests pass their own.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error, string WorkingDirectory)
{
    public static CommandContext FromConsole() => new(Console.Out, Console.Error, Environment.CurrentDirectory);
}
