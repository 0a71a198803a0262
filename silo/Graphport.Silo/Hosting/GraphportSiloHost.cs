using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Silo;

/// <summary>Builds a host running one Graphport silo: the runnable silo, `graphport silo` and embedded clusters all start here.</summary>
public static class GraphportSiloHost
{
    /// <summary>
    /// The host of one silo. A localhost silo on a local folder first takes its data folder (<see cref="DataFolderLease"/>),
    /// and gives it back when the host is disposed; a folder another silo holds throws <see cref="DataFolderInUseException"/>.
    /// </summary>
    public static IHost Build(GraphportSiloOptions options, Action<ISiloBuilder>? configure = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var lease = DataFolderLease.For(options);
        if (lease is null) return BuildHost(options, configure, args);
        try
        {
            return new LeasedHost(BuildHost(options, configure, args), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static IHost BuildHost(GraphportSiloOptions options, Action<ISiloBuilder>? configure, string[]? args)
    {
        if (options.HttpPort == 0)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
            Configure(builder, options, configure);
            return CheckModules(builder.Build());
        }
        // With an HTTP port the host is a web application: Kestrel alone (the empty builder adds no configuration,
        // logging or middleware of its own), serving only the probes and the metrics.
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenAnyIP(options.HttpPort));
        Configure(web, options, configure);
        MetricsEndpoint.AddTo(web.Services, ServiceName, Instance(options));
        var app = web.Build();
        HealthEndpoints.Map(app);
        MetricsEndpoint.Map(app);
        return CheckModules(app);
    }

    /// <summary>
    /// Builds the module registry before the silo starts, so a module name registered twice (in code and by a loaded
    /// assembly, say) stops the start with the registry's message rather than failing every export later.
    /// </summary>
    private static IHost CheckModules(IHost host)
    {
        try
        {
            host.Services.GetRequiredService<Grains.ModuleRegistry>();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static void Configure(IHostApplicationBuilder builder, GraphportSiloOptions options, Action<ISiloBuilder>? configure)
    {
        builder.Logging.ClearProviders();
        // Logs go to stderr so that stdout stays clean for results (--json).
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Orleans' start-up notes (ServerGC advice, a watchdog that misreads its first interval) are warnings; a quiet
        // silo should not print them.
        if (options.LogLevel > LogLevel.Information)
        {
            builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
            builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        }
        builder.UseOrleans(silo =>
        {
            silo.UseGraphportClustering(options);
            silo.AddGraphport(options);
            configure?.Invoke(silo);
        });
        builder.AddGraphportOpenTelemetry(ServiceName, Instance(options));
    }

    private const string ServiceName = "graphport-silo";

    // In a pod the silo is named after it (POD_NAME), which is also the instance its traces and metrics should name.
    private static string? Instance(GraphportSiloOptions options) =>
        options.SiloName ?? (options.Kubernetes ? Environment.GetEnvironmentVariable("POD_NAME") : null);

    /// <summary>Reads options from configuration: the "Graphport" section, with metadata from "Orleans:Metadata".</summary>
    public static GraphportSiloOptions OptionsFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new GraphportSiloOptions();
        configuration.GetSection(GraphportSiloOptions.Section).Bind(options);
        foreach (var entry in configuration.GetSection("Orleans:Metadata").GetChildren())
            if (entry.Value is not null) options.Metadata[entry.Key] = entry.Value;
        return options;
    }
}
