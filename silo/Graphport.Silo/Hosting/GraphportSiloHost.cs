using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Silo;

/// <summary>Builds a host running one Graphport silo: the runnable silo, `graphport silo` and embedded clusters all start here.</summary>
public static class GraphportSiloHost
{
    public static IHost Build(GraphportSiloOptions options, Action<ISiloBuilder>? configure = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
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
        builder.AddGraphportOpenTelemetry("graphport-silo", options.SiloName);
        return builder.Build();
    }

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
