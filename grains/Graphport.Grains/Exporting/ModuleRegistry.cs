namespace Graphport.Grains;

/// <summary>
/// The modules this silo can export by name, collected from every <see cref="RegisteredModule"/> in the service
/// container (added with AddGraphportModule). Every silo of a cluster must register the same modules, since
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
                throw new InvalidOperationException($"Module '{module.Name}' is registered twice; each registered module needs its own name.");
        }
    }

    public IReadOnlyCollection<string> Names => modules.Keys;

    public RegisteredModule Get(string name) => modules.TryGetValue(name, out var module)
        ? module
        : throw new GraphportException(GraphportErrorKind.NotFound,
            $"No module named '{name}' is registered on the silos. " + (modules.Count == 0 ? "None is registered." : $"Registered: {string.Join(", ", modules.Keys.Order(StringComparer.Ordinal))}."));
}
