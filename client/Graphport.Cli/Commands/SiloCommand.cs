using System.Globalization;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport silo: runs a silo in this process until Ctrl+C / SIGTERM. With --cluster CONN it joins the cluster
/// listed in that Azure table (and stores there with --storage azure); without, it is a localhost silo on the
/// data directory, which it holds alone while it runs (clients reach it with --cluster 127.0.0.1:GATEWAY-PORT).
/// --gpu declares it a GPU silo (executors prefer it). --max-batch N (--max-queue-delay MS) turns dynamic batching of
/// executor calls on, as Graphport:Batching does for the runnable silo. --http-port serves /healthz/live,
/// /healthz/ready and /metrics over HTTP for a load balancer, an orchestrator or Prometheus. --modules FILE.dll (repeatable)
/// loads the user's assemblies: their [GraphportModule] classes export as "module:NAME", their [GraphportOperators]
/// libraries define the custom operators uploaded programs use.
/// </summary>
public sealed class SiloCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["silo"];

    public string Arguments => "[--cluster CONN] [--cluster-id ID] [--storage local|azure] [--home DIR] [--address IP] [--silo-port N] [--gateway-port N] [--http-port N] [--name NAME] [--gpu] [--device NAME] [--gpu-memory BYTES] [--max-batch N [--max-queue-delay MS]] [--modules FILE.dll ...] [--verbose]";

    public string Summary => "Run a silo: clustering, ports, storage, GPU metadata and dynamic batching from the options; stops on Ctrl+C.";

    /// <summary>The most requests --max-batch lets one run serve; larger batches than this are memory, not throughput.</summary>
    public const int MaxBatchLimit = 4096;

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--gpu", "--verbose" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string>
    {
        "--cluster", "--cluster-id", "--storage", "--home", "--address", "--silo-port", "--gateway-port", "--http-port", "--name", "--device", "--gpu-memory",
        "--max-batch", "--max-queue-delay", ModuleAssemblyArguments.Option,
    };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        var options = OptionsFrom(arguments, context);
        var assemblies = ModuleAssemblyArguments.Load(arguments, context);
        IHost host;
        try
        {
            host = GraphportSiloHost.Build(options);
            host.StartAsync(context.Cancellation).GetAwaiter().GetResult();
        }
        catch (DataFolderInUseException e)
        {
            context.Error.WriteLine($"error: the silo did not start: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Error.WriteLine($"error: the silo did not start: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        using (host)
        {
            context.Out.WriteLine($"Silo {options.SiloName} ready: cluster {options.ClusterId}, {options.Clustering} clustering, {options.Storage} storage"
                + $"{(options.Storage == StorageMode.LocalFolder ? $" in {options.DataDirectory}" : "")}, silo port {options.SiloPort}, gateway port {options.GatewayPort}, "
                + $"device {GraphportSiloBuilderExtensions.DeviceFromMetadata(options.Metadata)}. Ctrl+C stops it.");
            foreach (var assembly in assemblies) context.Out.WriteLine($"Loaded {assembly.Summary()}.");
            if (options.Batching.Enabled)
                context.Out.WriteLine($"Dynamic batching: up to {options.Batching.MaxBatchSize} requests per run, the first waiting at most "
                    + $"{options.Batching.MaxQueueDelay.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms for others.");
            // A localhost silo is listed nowhere: clients name its gateway.
            if (options.Clustering == ClusteringMode.Localhost)
                context.Out.WriteLine($"Clients connect with --cluster 127.0.0.1:{options.GatewayPort}{(options.ClusterId == "graphport" ? "" : $" --cluster-id {options.ClusterId}")}.");
            var lifetime = (IHostApplicationLifetime)host.Services.GetService(typeof(IHostApplicationLifetime))!;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, lifetime.ApplicationStopping);
            stop.Token.WaitHandle.WaitOne();
            host.StopAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            context.Out.WriteLine($"Silo {options.SiloName} stopped.");
        }
        return ExitCodes.Success;
    }

    /// <summary>The silo's options from the command line; bad values are usage errors naming the option and what it takes.</summary>
    internal static GraphportSiloOptions OptionsFrom(CommandArguments arguments, CommandContext context)
    {
        if (arguments.Positionals.Count > 0) throw new UsageException($"Unexpected argument '{arguments.Positionals[0]}'.");
        string? cluster = arguments.Option("--cluster");
        if (cluster is not null && !ClusterAddress.IsConnectionString(cluster))
            throw new UsageException($"--cluster '{cluster}' is a gateway address, which is how clients find a silo; a silo joins a cluster through its Azure Storage connection string (--cluster CONN). Leave --cluster out for a localhost silo.");
        // GRAPHPORT_CLUSTER set to a gateway address is for this shell's clients (perhaps of this very silo), not for the silo.
        if (cluster is null && context.Environment(ClusterCommand.ClusterVariable) is { } shared && ClusterAddress.IsConnectionString(shared)) cluster = shared;
        var storage = arguments.Option("--storage") switch
        {
            null or "local" => StorageMode.LocalFolder,
            "azure" => StorageMode.AzureBlob,
            var other => throw new UsageException($"Unknown --storage '{other}': use local or azure."),
        };
        if (storage == StorageMode.AzureBlob && string.IsNullOrWhiteSpace(cluster))
            throw new UsageException("--storage azure needs --cluster CONN (the Azure Storage connection string).");
        var options = new GraphportSiloOptions
        {
            ClusterId = arguments.Option("--cluster-id") ?? "graphport",
            Clustering = string.IsNullOrWhiteSpace(cluster) ? ClusteringMode.Localhost : ClusteringMode.AzureTable,
            Storage = storage,
            AzureConnectionString = cluster,
            DataDirectory = GraphportHome.Resolve(arguments.Option("--home"), context.Environment),
            Address = arguments.Option("--address") ?? "127.0.0.1",
            SiloPort = (int)Port(arguments, "--silo-port", 11111),
            GatewayPort = (int)Port(arguments, "--gateway-port", 30000),
            HttpPort = arguments.Option("--http-port") is null ? 0 : (int)Port(arguments, "--http-port", 0),
            SiloName = arguments.Option("--name") ?? $"silo-{Environment.ProcessId}",
            LogLevel = arguments.Has("--verbose") ? LogLevel.Information : LogLevel.Warning,
        };
        options.Batching = Batching(arguments);
        options.Modules = [.. ModuleAssemblyArguments.Load(arguments, context).Select(a => a.Path)];
        options.Metadata[SiloMetadataKeys.Gpu] = arguments.Has("--gpu") ? "true" : "false";
        if (arguments.Option("--device") is { } device) options.Metadata[SiloMetadataKeys.Device] = device;
        if (arguments.Option("--gpu-memory") is { } memory)
        {
            if (!long.TryParse(memory, NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw new UsageException($"--gpu-memory must be a number of bytes, got '{memory}'.");
            options.Metadata[SiloMetadataKeys.GpuMemory] = memory;
        }
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        return options;
    }

    /// <summary>
    /// --max-batch N and --max-queue-delay MS: the BatchingOptions Graphport:Batching:MaxBatchSize and :MaxQueueDelay set
    /// for the runnable silo. Off (1) unless --max-batch is above 1; the delay alone would do nothing, so it is refused.
    /// </summary>
    private static BatchingOptions Batching(CommandArguments arguments)
    {
        var batching = new BatchingOptions { MaxBatchSize = (int)arguments.WholeNumber("--max-batch", 1, 1, MaxBatchLimit) };
        if (arguments.Option("--max-queue-delay") is not { } text) return batching;
        if (!batching.Enabled)
            throw new UsageException("--max-queue-delay only applies with dynamic batching on: add --max-batch N with N above 1.");
        const double MaxDelayMs = 10_000;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ms) || ms > MaxDelayMs)
            throw new UsageException($"--max-queue-delay must be a number of milliseconds from 0 to {MaxDelayMs:0} (2, or 0.5), got '{text}'.");
        batching.MaxQueueDelay = TimeSpan.FromMilliseconds(ms);
        return batching;
    }

    private static long Port(CommandArguments arguments, string name, long fallback)
    {
        if (arguments.Option(name) is not { } text) return fallback;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long port) || port is < 1 or > 65535)
            throw new UsageException($"{name} must be a port from 1 to 65535, got '{text}'.");
        return port;
    }
}
