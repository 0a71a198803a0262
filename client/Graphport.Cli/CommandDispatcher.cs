namespace Graphport.Cli;

/// <summary>
/// Picks the command whose path matches the leading words of the command line (the longest match wins),
/// parses the rest for it and runs it. Unknown words get exit code 2 and the list of what is valid there.
/// </summary>
public sealed class CommandDispatcher(IReadOnlyList<ICommand> commands)
{
    public const string ProgramName = "graphport";

    public IReadOnlyList<ICommand> Commands { get; } = commands;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Count == 0)
        {
            context.Error.WriteLine("No command given.");
            WriteCommandList(context.Error, Commands);
            return ExitCodes.Usage;
        }
        if (args[0] is "help" or "--help" or "-h")
        {
            WriteCommandList(context.Out, Commands);
            return ExitCodes.Success;
        }

        var command = Commands
            .Where(c => c.Path.Count <= args.Count && c.Path.SequenceEqual(args.Take(c.Path.Count), StringComparer.Ordinal))
            .MaxBy(c => c.Path.Count);
        if (command is null) return UnknownCommand(args, context);

        var rest = args.Skip(command.Path.Count).ToList();
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            context.Out.WriteLine($"Usage: {Usage(command)}");
            context.Out.WriteLine(command.Summary);
            return ExitCodes.Success;
        }
        try
        {
            var parsed = CommandArguments.Parse(rest, command.Flags, command.Options);
            return command.Run(parsed, context);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine(e.Message);
            context.Error.WriteLine($"Usage: {Usage(command)}");
            return ExitCodes.Usage;
        }
    }

    public static string Usage(ICommand command) =>
        $"{ProgramName} {string.Join(' ', command.Path)}{(command.Arguments.Length > 0 ? " " + command.Arguments : "")}";

    /// <summary>Names the deepest word that matched nothing and lists the valid words at that level.</summary>
    private int UnknownCommand(IReadOnlyList<string> args, CommandContext context)
    {
        int depth = 0;
        var candidates = Commands;
        while (depth < args.Count)
        {
            var next = candidates.Where(c => c.Path.Count > depth && c.Path[depth] == args[depth]).ToList();
            if (next.Count == 0) break;
            candidates = next;
            depth++;
        }
        string prefix = string.Join(' ', args.Take(depth));
        var valid = candidates.Where(c => c.Path.Count > depth).Select(c => c.Path[depth]).Distinct().Order(StringComparer.Ordinal);
        string what = depth == args.Count ? $"'{prefix}' needs a subcommand" : $"Unknown command '{string.Join(' ', args.Take(depth + 1))}'";
        context.Error.WriteLine($"{what}. Valid {(depth == 0 ? "commands" : $"'{prefix}' commands")}: {string.Join(", ", valid)}.");
        WriteCommandList(context.Error, candidates);
        return ExitCodes.Usage;
    }

    private static void WriteCommandList(TextWriter writer, IEnumerable<ICommand> commands)
    {
        writer.WriteLine("Commands:");
        var rows = commands.Select(c => (Usage: Usage(c), c.Summary)).ToList();
        // Long usages get the summary on the next line, so one long command does not push every summary off screen.
        const int MaxColumn = 60;
        int width = rows.Select(r => r.Usage.Length).Where(l => l <= MaxColumn).DefaultIfEmpty(0).Max();
        foreach (var (usage, summary) in rows)
        {
            if (usage.Length <= MaxColumn) writer.WriteLine($"  {usage.PadRight(width)}  {summary}");
            else writer.WriteLine($"  {usage}\n  {new string(' ', width)}  {summary}");
        }
    }
}
