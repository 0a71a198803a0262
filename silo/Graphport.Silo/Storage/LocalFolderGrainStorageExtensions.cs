using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Graphport.Silo;

/// <summary>Registers <see cref="LocalFolderGrainStorage"/> as a named grain storage provider.</summary>
public static class LocalFolderGrainStorageExtensions
{
    public static ISiloBuilder AddLocalFolderGrainStorage(this ISiloBuilder silo, string name, Action<LocalFolderGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new LocalFolderGrainStorageOptions();
        configure(options);
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
            throw new ArgumentException($"The local-folder grain storage '{name}' needs {nameof(LocalFolderGrainStorageOptions.RootDirectory)}.", nameof(configure));
        silo.Services.AddGrainStorage(name, (services, providerName) => new LocalFolderGrainStorage(
            providerName,
            options,
            // Orleans' binary format: compact, and tolerant of added fields through the [Id] numbers.
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(LocalFolderGrainStorage.LogCategory)));
        // Orleans' own report of each failure (under the provider's type name, with a stack) would repeat what the
        // provider says, and for a stale write the grain retries it would report an error that did not happen.
        silo.Services.AddLogging(logging => logging.AddFilter(typeof(LocalFolderGrainStorage).FullName, LogLevel.Critical));
        return silo;
    }
}
