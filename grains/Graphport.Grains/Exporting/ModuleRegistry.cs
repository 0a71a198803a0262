namespace Graphport.Grains;

/// <summary>
/// The modules this silo can export by name, collected from every <see cref="RegisteredModule"/> in the service
/// container (added with AddGraphportModule in code, or from the user assemblies AddGraphportModuleAssemblies loads). Every silo of a cluster must register the same modules, since
/// any silo may export or rebuild a program.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly Dictionary<string, RegisteredModule> modules;

    public ModuleRegistry(IEnumerable<RegisteredModule> registered)
    {
        modules = new(StringComparer.Ordinal);
        foreach (var module in registered)
        {
            if (!modules.TryAdd(module.Name, module))
                throw new InvalidOperationException($"Module '{module.Name}' is registered twice, by {modules[module.Name].DefinedIn} and by {module.DefinedIn}; each registered module needs its own name.");
        }
    }

    public IReadOnlyCollection<string> Names => modules.Keys;

    public RegisteredModule Get(string name) => modules.TryGetValue(name, out var module)
        ? module
        : throw new GraphportException(GraphportErrorKind.NotFound,
            $"No module named '{name}' is registered on the silos. " + (modules.Count == 0 ? "None is registered: silos load modules from your assemblies (graphport silo --modules FILE.dll, Graphport:Modules) or register them in code with AddGraphportModule." : $"Registered: {string.Join(", ", modules.Keys.Order(StringComparer.Ordinal))}."));
}
