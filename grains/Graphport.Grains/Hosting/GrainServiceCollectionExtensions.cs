using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Placement;

namespace Graphport.Grains;

/// <summary>Registers what the grains need on a silo. The host adds the IContentStore and, for GPU silos, the ExecutionDevice.</summary>
public static class GrainServiceCollectionExtensions
{
    public static IServiceCollection AddGraphportGrains(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(ExecutionDevice.Cpu);
        services.TryAddSingleton(new BatchingOptions());
        // In order of preference: BackendSelector takes the first that supports the silo's device.
        services.AddSingleton<IExecutionBackend, CudaExecutionBackend>();
        services.AddSingleton<IExecutionBackend, CpuInterpreterBackend>();
        services.TryAddSingleton<BackendSelector>();
        services.TryAddSingleton<ModuleRegistry>();
        services.TryAddSingleton<ProgramBuilder>();
        // The last codec registered writes new versions; every registered one reads the versions it wrote.
        // The recipe codec stays a reader for versions stored before the .pt2 codec existed.
        services.AddSingleton<IProgramCodec, RecipeProgramCodec>();
        services.AddSingleton<IProgramCodec, Pt2ProgramCodec>();
        // pt2/1 (one archive blob per version) stays a reader; pt2/2 writes, each tensor a blob of its own.
        services.AddSingleton<IProgramCodec, Pt2TensorBlobCodec>();
        services.TryAddSingleton<ProgramStore>();
        services.AddPlacementFilter<PreferSiloMetadataFilterStrategy, PreferSiloMetadataFilterDirector>(ServiceLifetime.Transient);
        return services;
    }

    /// <summary>Makes a module exportable by name ("module:NAME"); register the same modules on every silo.</summary>
    public static IServiceCollection AddGraphportModule(this IServiceCollection services, string name, Func<Module> create, string description = "")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        services.AddSingleton(new RegisteredModule(name, create, description));
        return services;
    }

    /// <summary>
    /// Loads the user's assemblies (<see cref="UserAssemblies"/>): their [GraphportModule] classes become exportable as
    /// "module:NAME" and their [GraphportOperators] libraries define their operators in this process. Loads now, so a
    /// missing file, a file that is no .NET assembly, one with nothing to load or a duplicate module name throws
    /// <see cref="UserAssemblyException"/> before the silo starts.
    /// </summary>
    public static IServiceCollection AddGraphportModuleAssemblies(this IServiceCollection services, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var assembly in UserAssemblies.Load(paths))
        {
            services.AddSingleton(assembly);
            foreach (var module in assembly.Modules) services.AddSingleton(module);
        }
        return services;
    }
}
