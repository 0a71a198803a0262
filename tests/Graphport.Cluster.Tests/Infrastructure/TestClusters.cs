using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Graphport.Cluster.Tests;

/// <summary>
/// In-process Orleans clusters configured as Graphport silos (local-folder storage in a shared data directory,
/// the test modules registered), with a client that propagates traces and waits long enough for exports.
/// </summary>
public static class TestClusters
{
    /// <param name="metadata">Silo metadata by silo index (0 = the first silo); null for none.</param>
    /// <param name="batching">Dynamic batching for the executors (off when null, as on a default silo).</param>
    /// <param name="gatewayOnFirstSiloOnly">Route every client call through silo 0, so it is the silo that places new activations.</param>
    /// <param name="services">More service registrations for every silo, after Graphport's (a test backend, say).</param>
    public static async Task<InProcessTestCluster> StartAsync(string dataDirectory, int silos = 1, Func<int, Dictionary<string, string>>? metadata = null, bool gatewayOnFirstSiloOnly = false,
        BatchingOptions? batching = null, Action<IServiceCollection>? services = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ConfigureFileLogging = false;
        builder.Options.GatewayPerSilo = !gatewayOnFirstSiloOnly;
        builder.ConfigureSilo((siloOptions, silo) =>
        {
            int index = SiloIndex(siloOptions.SiloName);
            silo.AddGraphport(new GraphportSiloOptions
            {
                DataDirectory = dataDirectory,
                Metadata = metadata?.Invoke(index) ?? [],
                SiloName = siloOptions.SiloName,
                LogLevel = LogLevel.Warning,
            });
            silo.Services.AddTestModules();
            if (batching is not null) silo.Services.Replace(ServiceDescriptor.Singleton(batching));
            services?.Invoke(silo.Services);
        });
        builder.ConfigureClient(client =>
        {
            client.AddActivityPropagation();
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The test host names silos "Silo_0", "Silo_1", ...: the number is the index.</summary>
    public static int SiloIndex(string siloName)
    {
        int underscore = siloName.LastIndexOf('_');
        return underscore >= 0 && int.TryParse(siloName.AsSpan(underscore + 1), System.Globalization.CultureInfo.InvariantCulture, out int index)
            ? index
            : throw new ArgumentException($"Unexpected test silo name '{siloName}'.", nameof(siloName));
    }
}
