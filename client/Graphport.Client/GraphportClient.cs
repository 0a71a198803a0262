using Azure.Data.Tables;
using Graphport.Grains;
using Graphport.Onnx;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Graphport.Client;

/// <summary>
/// The SDK: export, decompose, invoke and list programs on a Graphport cluster, and run zoo batches. Connect to
/// an external cluster (<see cref="ConnectAsync"/>) or start one in this process (<see cref="StartEmbeddedAsync"/>).
/// Cluster failures throw <see cref="GraphportException"/> with the cluster's message.
/// </summary>
public sealed class GraphportClient : IAsyncDisposable
{
    private readonly IHost host;

    private GraphportClient(IHost host, IClusterClient cluster, string? dataDirectory)
    {
        this.host = host;
        Cluster = cluster;
        DataDirectory = dataDirectory;
    }

    /// <summary>The Orleans client underneath, for calls the SDK does not wrap.</summary>
    public IClusterClient Cluster { get; }

    /// <summary>The embedded cluster's data directory; null when connected to an external cluster.</summary>
    public string? DataDirectory { get; }

    public bool IsEmbedded => DataDirectory is not null;

    /// <summary>
    /// Connects to an external cluster through <see cref="GraphportClientOptions.Gateways"/> or the Azure Table that lists
    /// them. Options that name no way to the cluster throw ArgumentException; a cluster that cannot be reached throws
    /// <see cref="GraphportException"/> (<see cref="GraphportErrorKind.Unavailable"/>) saying what was tried, for how long and why it failed.
    /// </summary>
    public static async Task<GraphportClient> ConnectAsync(GraphportClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var retry = new ConnectRetryWindow(options.ConnectTimeout);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // The host logs a failed start with its stack; the exception below says the same in one sentence.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.Gateways.Count > 0) client.UseStaticClustering([.. options.Gateways]);
            else client.UseAzureStorageClustering(o => o.TableServiceClient = options.TableClient());
            client.Configure<ClientMessagingOptions>(o =>
            {
                o.ResponseTimeout = options.ResponseTimeout;
                o.MaxMessageBodySize = MessageLimits.MaxMessageBodyBytes;
            });
            client.UseConnectionRetryFilter(retry);
            client.AddActivityPropagation();
        });
        builder.AddGraphportOpenTelemetry("graphport-client");
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e)
        {
            host.Dispose();
            if (cancellationToken.IsCancellationRequested) throw;
            string tries = $"{retry.Attempts} attempt{(retry.Attempts == 1 ? "" : "s")} in {retry.Elapsed.TotalSeconds:0.0} s";
            string? reason = ConnectionFailureReason.Of([.. retry.Failures, e]);
            string why = (timeout.IsCancellationRequested, reason) switch
            {
                (true, null) => $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s ({tries})",
                (true, _) => $"{reason}, until the {options.ConnectTimeout.TotalSeconds:0.#} s connect timeout ran out ({tries})",
                _ => $"{reason} ({tries})",
            };
            throw new GraphportException(GraphportErrorKind.Unavailable,
                $"Could not connect to cluster '{options.ClusterId}' through {options.DescribeGateways()}: {why}. Is a silo of cluster '{options.ClusterId}' running there?");
        }
        return new GraphportClient(host, host.Services.GetRequiredService<IClusterClient>(), null);
    }

    /// <summary>
    /// Starts one silo in this process on the data directory and connects to it. The silo loads
    /// <see cref="EmbeddedClusterOptions.ModuleAssemblies"/> first: one that cannot be loaded throws
    /// <see cref="UserAssemblyException"/> naming each problem, and nothing starts.
    /// </summary>
    public static async Task<GraphportClient> StartEmbeddedAsync(EmbeddedClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedClusterOptions();
        string data = GraphportHome.Resolve(options.DataDirectory, options.Environment);
        var silo = new GraphportSiloOptions
        {
            ClusterId = "graphport-embedded",
            ServiceId = "graphport",
            SiloName = "embedded",
            Clustering = ClusteringMode.Localhost,
            Storage = StorageMode.LocalFolder,
            DataDirectory = data,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            Metadata = new Dictionary<string, string>(options.Metadata, StringComparer.Ordinal),
            Modules = [.. options.ModuleAssemblies],
            LogLevel = options.LogLevel,
            // One command's silo: other commands may run theirs on the folder too, but not beside a standing silo.
            DataFolderUse = DataFolderUse.Shared,
        };
        var host = GraphportSiloHost.Build(silo, options.ConfigureSilo);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new GraphportClient(host, host.Services.GetRequiredService<IClusterClient>(), data);
    }

    /// <summary>Exports a zoo model or registered module and stores it as a new program version.</summary>
    public Task<ExportResult> ExportAsync(ExportRequest request) =>
        Cluster.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(request ?? throw new ArgumentNullException(nameof(request)));

    /// <summary>Shorthand: ExportAsync("zoo:resnet18") exports a zoo model under its own name.</summary>
    public Task<ExportResult> ExportAsync(string source, string? programName = null) => ExportAsync(new ExportRequest(source, programName));

    /// <summary>
    /// Stores a program made in this process (sent as its .pt2 archive) as a new version of <paramref name="name"/>;
    /// custom operators it uses must be defined on the silos too. The version's origin reads "uploaded".
    /// </summary>
    public Task<ProgramRef> UploadAsync(string name, ExportedProgram program) => UploadAsync(name, program, origin: null);

    /// <summary>
    /// Stores a program made in this process as a new version of <paramref name="name"/>, saying where it came from:
    /// <paramref name="origin"/> ("onnx:resnet18.onnx", at most <see cref="UploadRequest.MaxOriginLength"/> printable
    /// characters; <see cref="UploadRequest.OriginFrom"/> makes any text one) is what programs list and show print
    /// as the version's origin. Null stores it as plainly "uploaded".
    /// </summary>
    public async Task<ProgramRef> UploadAsync(string name, ExportedProgram program, string? origin)
    {
        ProgramRef.CheckName(name);
        UploadRequest.CheckOrigin(origin);
        ArgumentNullException.ThrowIfNull(program);
        using var buffer = new MemoryStream();
        program.Save(buffer);
        if (MessageLimits.ArchiveProblem(buffer.Length) is { } problem) throw new ArgumentException(problem, nameof(program));
        var result = await Cluster.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync(new UploadRequest(name, buffer.ToArray(), origin));
        return result.Program;
    }

    /// <summary>
    /// Stores a .pt2 archive as it is (written by torch.export.save or ExportedProgram.Save; the silos read it, so
    /// custom operators it uses must be defined there) as a new version of <paramref name="name"/>; its origin is
    /// <paramref name="origin"/>, or "uploaded" when null. A damaged archive is refused by the cluster with
    /// <see cref="GraphportErrorKind.InvalidRequest"/> and nothing is stored.
    /// </summary>
    public async Task<ExportResult> UploadArchiveAsync(string name, byte[] archive, string? origin = null)
    {
        ProgramRef.CheckName(name);
        UploadRequest.CheckOrigin(origin);
        ArgumentNullException.ThrowIfNull(archive);
        if (MessageLimits.ArchiveProblem(archive.LongLength) is { } problem) throw new ArgumentException(problem, nameof(archive));
        return await Cluster.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync(new UploadRequest(name, archive, origin));
    }

    /// <summary>
    /// Stores the .pt2 file at <paramref name="path"/> as a new version of <paramref name="name"/>, its origin
    /// "pt2:FILE" (the file's name) unless <paramref name="origin"/> says otherwise. A file that cannot be read throws
    /// the IOException that says why, before anything is sent.
    /// </summary>
    public async Task<ExportResult> UploadFileAsync(string name, string path, string? origin = null)
    {
        ProgramRef.CheckName(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        long length = new FileInfo(path).Length;
        if (MessageLimits.ArchiveProblem(length) is { } problem) throw new ArgumentException(problem, nameof(path));
        byte[] archive = await File.ReadAllBytesAsync(path);
        return await UploadArchiveAsync(name, archive, origin ?? Pt2Origin.Of(path));
    }

    /// <summary>
    /// A stored version ("name" means the latest) as its .pt2 archive, which ExportedProgram.Load and
    /// torch.export.load read. Throws NotFound for an unknown program or version.
    /// </summary>
    public Task<Pt2Archive> DownloadAsync(ProgramRef program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return Cluster.GetGrain<IProgramGrain>(program.Name).GetArchiveAsync(program.Version);
    }

    /// <summary>
    /// Writes a stored version's .pt2 archive to <paramref name="path"/> (replacing a file there; the bytes go to a
    /// temporary file first, so a failed download leaves no partial archive) and returns the version written.
    /// </summary>
    public async Task<ProgramRef> DownloadAsync(ProgramRef program, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var archive = await DownloadAsync(program);
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        string temporary = $"{full}.partial-{Guid.NewGuid():N}";
        try
        {
            await File.WriteAllBytesAsync(temporary, archive.Bytes);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return archive.Program;
    }

    /// <summary>
    /// Imports an ONNX model in this process (<see cref="OnnxImporter"/>: open dims symbolic unless
    /// <paramref name="options"/> fix them) and stores the program as a new version of <paramref name="name"/>, its
    /// origin naming the file, producer and opset. Import errors (an unsupported op, a damaged file) are
    /// <see cref="OnnxImportException"/>s thrown before anything reaches the cluster.
    /// </summary>
    public Task<ProgramRef> ImportOnnxAsync(string name, string path, OnnxImportOptions? options = null)
    {
        ProgramRef.CheckName(name);
        var model = OnnxModel.Load(path);
        var program = OnnxImporter.Import(model, options);
        return UploadAsync(name, program, OnnxOrigin.Of(path, model));
    }

    /// <summary>Decomposes a version ("name" means the latest) with a table ("core" by default) into a new version.</summary>
    public async Task<DecompositionResult> DecomposeAsync(ProgramRef program, string table = DecompositionTables.Core)
    {
        var resolved = await ResolveAsync(program);
        return await Cluster.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(resolved, DecompositionTables.Normalize(table))).DecomposeAsync();
    }

    /// <summary>Runs a version on its executor and returns the outputs.</summary>
    public async Task<Tensor[]> InvokeAsync(ProgramRef program, Tensor[] inputs) =>
        (await InvokeDetailedAsync(program, inputs)).Outputs.Select(o => o.ToTensor()).ToArray();

    /// <summary>Runs a version and returns the outputs with timings and where they ran.</summary>
    public async Task<InvokeResult> InvokeDetailedAsync(ProgramRef program, Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var resolved = await ResolveAsync(program);
        var data = inputs.Select((t, i) => t is null ? throw new ArgumentException($"Input {i} is null.", nameof(inputs)) : TensorData.FromTensor(t)).ToArray();
        return await Cluster.GetGrain<IExecutorGrain>(GrainKeys.Executor(resolved)).InvokeAsync(data);
    }

    public async Task<ProgramInfo[]> ListProgramsAsync()
    {
        var names = await Cluster.GetGrain<IProgramCatalogGrain>(GrainKeys.Catalog).ListAsync();
        return await Task.WhenAll(names.Select(n => Cluster.GetGrain<IProgramGrain>(n).GetInfoAsync()));
    }

    /// <summary>A program and its versions; throws NotFound when nothing is stored under the name.</summary>
    public async Task<ProgramInfo> GetProgramAsync(string name)
    {
        ProgramRef.CheckName(name);
        var info = await Cluster.GetGrain<IProgramGrain>(name).GetInfoAsync();
        if (!info.Exists) await Cluster.GetGrain<IProgramGrain>(name).GetVersionAsync(0);
        return info;
    }

    public async Task<string> GetGraphTextAsync(ProgramRef program)
    {
        var resolved = await ResolveAsync(program);
        return await Cluster.GetGrain<IProgramGrain>(resolved.Name).GetGraphTextAsync(resolved.Version);
    }

    /// <summary>Turns "name" into "name@latest"; checks that the version exists.</summary>
    public async Task<ProgramRef> ResolveAsync(ProgramRef program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var stored = await Cluster.GetGrain<IProgramGrain>(program.Name).GetVersionAsync(program.Version);
        return stored.Info.Ref;
    }

    /// <summary>
    /// Runs a zoo batch: every selected model exported, decomposed, deployed and checked against eager, spread over
    /// the cluster. Reports each change of progress; returns the final rows. The batch survives the loss of a silo:
    /// polling reactivates it elsewhere, and it resumes its unfinished models.
    /// </summary>
    public async Task<ZooProgress> ExportZooAsync(ZooSelection selection, IProgress<ZooProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var batch = Cluster.GetGrain<IZooExportGrain>(GrainKeys.NewZooBatch());
        var current = await batch.StartAsync(selection.ToRequest());
        progress?.Report(current);
        int failures = 0;
        while (!current.IsFinished)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            ZooProgress next;
            try
            {
                next = await batch.GetProgressAsync();
                failures = 0;
            }
            catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException && ++failures < 50)
            {
                // The batch's silo went away; the next call activates it elsewhere from its stored rows.
                continue;
            }
            if (!SameRows(next, current)) progress?.Report(next);
            current = next;
        }
        return current;
    }

    private static bool SameRows(ZooProgress a, ZooProgress b) =>
        a.Models.Length == b.Models.Length && a.Models.Zip(b.Models).All(p => p.First == p.Second);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            host.Dispose();
        }
    }
}
