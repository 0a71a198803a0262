using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>
/// A command that talks to a cluster: the one named by --cluster (or GRAPHPORT_CLUSTER), an Azure Storage
/// connection string whose table lists the gateways; otherwise an embedded silo on the data directory (--home,
/// GRAPHPORT_HOME, ~/.graphport). Arguments are checked before connecting (exit 2); cluster errors print the
/// cluster's message (exit 1), as JSON with --json.
/// </summary>
public abstract class ClusterCommand : ICommand
{
    public const string ClusterVariable = "GRAPHPORT_CLUSTER";

    private static readonly string[] CommonOptions = ["--cluster", "--cluster-id", "--home"];

    public abstract IReadOnlyList<string> Path { get; }

    public abstract string Arguments { get; }

    public abstract string Summary { get; }

    public IReadOnlySet<string> Flags => new HashSet<string>(OwnFlags.Append("--json"), StringComparer.Ordinal);

    public IReadOnlySet<string> Options => new HashSet<string>(OwnOptions.Concat(CommonOptions), StringComparer.Ordinal);

    protected virtual IEnumerable<string> OwnFlags => [];

    protected virtual IEnumerable<string> OwnOptions => [];

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        Validate(arguments, context);
        bool json = arguments.Has("--json");
        try
        {
            return RunConnectedAsync(arguments, context).GetAwaiter().GetResult();
        }
        catch (GraphportException e)
        {
            WriteError(context, json, e.Kind.ToString(), e.Message, e.SuggestedFixes);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException or Orleans.Runtime.OrleansException)
        {
            WriteError(context, json, "Unavailable", $"{e.GetType().Name}: {e.Message}", []);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Checks the arguments; throws UsageException before any cluster is started.</summary>
    protected abstract void Validate(CommandArguments arguments);

    /// <summary>Checks the arguments with the context, for commands that read or write files named relative to the working directory.</summary>
    protected virtual void Validate(CommandArguments arguments, CommandContext context) => Validate(arguments);

    /// <summary>A file named on the command line, as a full path from the command's working directory.</summary>
    protected static string FileArgument(CommandContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(context.WorkingDirectory, path));
    }

    protected abstract Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context);

    private async Task<int> RunConnectedAsync(CommandArguments arguments, CommandContext context)
    {
        await using var client = await ConnectAsync(arguments, context);
        return await RunAsync(client, arguments, context);
    }

    private static async Task<GraphportClient> ConnectAsync(CommandArguments arguments, CommandContext context)
    {
        string? cluster = arguments.Option("--cluster") ?? context.Environment(ClusterVariable);
        if (!string.IsNullOrWhiteSpace(cluster))
        {
            return await GraphportClient.ConnectAsync(new GraphportClientOptions
            {
                AzureConnectionString = cluster,
                ClusterId = arguments.Option("--cluster-id") ?? "graphport",
            }, context.Cancellation);
        }
        return await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
        {
            DataDirectory = arguments.Option("--home"),
            Environment = context.Environment,
        }, context.Cancellation);
    }

    private static void WriteError(CommandContext context, bool json, string kind, string message, IReadOnlyList<string> fixes)
    {
        if (json)
        {
            context.Out.WriteLine(CliJson.Serialize(new { error = kind, message, suggestedFixes = fixes }));
            return;
        }
        context.Error.WriteLine($"error ({kind}): {message}");
        foreach (var fix in fixes) context.Error.WriteLine($"  fix: {fix}");
    }

    /// <summary>Parses a positive integer option, or returns the default.</summary>
    protected static long LongOption(CommandArguments arguments, string name, long fallback, long min, long max) => arguments.WholeNumber(name, fallback, min, max);

    protected static ProgramRef ProgramArgument(CommandArguments arguments)
    {
        if (arguments.Positionals.Count != 1) throw new UsageException("Give exactly one program: NAME or NAME@VERSION.");
        try
        {
            return ProgramRef.Parse(arguments.Positionals[0]);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
