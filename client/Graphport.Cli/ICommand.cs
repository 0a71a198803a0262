namespace Graphport.Cli;

/// <summary>
/// One CLI command ("exportdb list"). Commands are small classes registered with the dispatcher, so adding
/// one (ops coverage, zoo export, ...) touches nothing else.
/// </summary>
public interface ICommand
{
    /// <summary>The words that select the command, e.g. ["exportdb", "list"].</summary>
    IReadOnlyList<string> Path { get; }

    /// <summary>Arguments after the path, e.g. "[--tag TAG] [--json]".</summary>
    string Arguments { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Options that take no value (--json).</summary>
    IReadOnlySet<string> Flags { get; }

    /// <summary>Options followed by a value (--tag TAG).</summary>
    IReadOnlySet<string> Options { get; }

    /// <summary>Runs with parsed arguments; returns the exit code (0 success). Throws UsageException for bad input.</summary>
    int Run(CommandArguments arguments, CommandContext context);
}
