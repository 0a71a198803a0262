using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;

namespace Graphport.Cli;

/// <summary>
/// A command that talks to a cluster: the one named by --cluster (or GRAPHPORT_CLUSTER), its gateways HOST:PORT[,...]
/// (a silo `graphport silo` started: 127.0.0.1:30000) or an Azure Storage connection string whose table lists them;
/// otherwise an embedded silo on the data directory (--home, GRAPHPORT_HOME, ~/.graphport), unless a standing silo
/// serves that folder; --modules FILE.dll loads the user's assemblies into that embedded silo. Arguments are checked
/// before connecting (exit 2); cluster errors print the cluster's message in one line (exit 1), as JSON with --json.
/// </summary>
public abstract class ClusterCommand : ICommand
{
    public const string ClusterVariable = "GRAPHPORT_CLUSTER";

    /// <summary>How long a command keeps trying gateways named with --cluster HOST:PORT (a silo that is still starting).</summary>
    public static readonly TimeSpan GatewayConnectTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] CommonOptions = ["--cluster", "--cluster-id", "--home", ModuleAssemblyArguments.Option];

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
        var cluster = ClusterOptions(arguments, context);
        if (cluster is not null && arguments.OptionValues(ModuleAssemblyArguments.Option).Count > 0)
            throw new UsageException("--modules loads assemblies into this command's embedded silo, but --cluster names a running cluster: "
                + "its silos load theirs (graphport silo --modules FILE.dll, or Graphport:Modules for the silo process).");
        // Before Validate: an archive to upload may use the operators these assemblies define.
        var modules = ModuleAssemblyArguments.Load(arguments, context).Select(a => a.Path).ToList();
        Validate(arguments, context);
        bool json = arguments.Has("--json");
        try
        {
            return RunConnectedAsync(cluster, modules, arguments, context).GetAwaiter().GetResult();
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

    private async Task<int> RunConnectedAsync(GraphportClientOptions? cluster, List<string> modules, CommandArguments arguments, CommandContext context)
    {
        await using var client = await ConnectAsync(cluster, modules, arguments, context);
        return await RunAsync(client, arguments, context);
    }

    /// <summary>The external cluster --cluster or GRAPHPORT_CLUSTER names, or null for an embedded silo; a malformed address is a usage error.</summary>
    private static GraphportClientOptions? ClusterOptions(CommandArguments arguments, CommandContext context)
    {
        bool fromOption = arguments.Option("--cluster") is not null;
        string? address = arguments.Option("--cluster") ?? context.Environment(ClusterVariable);
        if (string.IsNullOrWhiteSpace(address))
        {
            if (fromOption) throw new UsageException($"--cluster is empty; give {ClusterAddress.Forms}.");
            return null;
        }
        try
        {
            var options = GraphportClientOptions.ForCluster(address);
            options.ClusterId = arguments.Option("--cluster-id") ?? options.ClusterId;
            // Failures reach the user as one line each (below); Orleans' own log of them would add stacks.
            options.LogLevel = Microsoft.Extensions.Logging.LogLevel.None;
            // A named gateway answers or it does not; a membership table may list silos still joining, so that gets longer.
            if (options.Gateways.Count > 0) options.ConnectTimeout = GatewayConnectTimeout;
            return options;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{(fromOption ? "--cluster" : ClusterVariable)}: {e.Message}");
        }
    }

    private static async Task<GraphportClient> ConnectAsync(GraphportClientOptions? cluster, List<string> modules, CommandArguments arguments, CommandContext context)
    {
        if (cluster is not null)
        {
            try
            {
                return await GraphportClient.ConnectAsync(cluster, context.Cancellation);
            }
            catch (GraphportException e) when (e.Kind == GraphportErrorKind.Unavailable)
            {
                string fix = cluster.Gateways.Count > 0
                    ? $"start a silo there with graphport silo (gateway port {cluster.Gateways[0].Port}: --gateway-port {cluster.Gateways[0].Port}), or name a running one's gateway with --cluster HOST:PORT and its id with --cluster-id"
                    : "start a silo with graphport silo --cluster CONN (the same connection string), or check --cluster-id";
                throw new GraphportException(e.Kind, e.Message, [fix]);
            }
        }
        try
        {
            return await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
            {
                DataDirectory = arguments.Option("--home"),
                Environment = context.Environment,
                ModuleAssemblies = modules,
            }, context.Cancellation);
        }
        catch (DataFolderInUseException e)
        {
            string[] fixes = e.Owner is { } owner
                ? [$"add --cluster {owner.Gateway}{(owner.ClusterId == "graphport" ? "" : $" --cluster-id {owner.ClusterId}")} to use that silo, or stop it first"]
                : [];
            throw new GraphportException(GraphportErrorKind.Unavailable, e.Message, fixes);
        }
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
