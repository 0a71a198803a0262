namespace Graphport.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output, as a shell would see it.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun In(string workingDirectory, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliCommands.Dispatcher.Run(args, new CommandContext(output, error, workingDirectory));
        return new CliRun(code, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }

    public static CliRun Of(params string[] args) => In(Environment.CurrentDirectory, args);

    /// <summary>Runs with only the given environment variables visible (GRAPHPORT_HOME, ...), so the machine's own never leak in.</summary>
    public static CliRun With(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CommandContext(output, error, Environment.CurrentDirectory) { Environment = name => environment.GetValueOrDefault(name) };
        int code = CliCommands.Dispatcher.Run(args, context);
        return new CliRun(code, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }
}
