namespace Graphport;

/// <summary>
/// Submodules by name (torch.nn.ModuleDict), in the order they were added; each key is the child's name in the state
/// dict ("heads.cls.weight"), as torch registers them.
/// </summary>
public sealed class ModuleDict : Module, IReadOnlyDictionary<string, Module>
{
    private readonly OrderedStateEntries<Module> entries = new("ModuleDict", "module");

    public ModuleDict() { }

    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (key, module) in modules) this[key] = module;
    }

    /// <summary>The module under a key; setting one replaces it in place (its position kept) or adds it at the end.</summary>
    public Module this[string key]
    {
        get => entries[key];
        set => entries[key] = value;
    }

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Keys;
    public IEnumerable<Module> Values => entries.Values;

    public bool ContainsKey(string key) => entries.TryGetValue(key, out _);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Module value) => entries.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => entries.GetEnumerator();

    public override IEnumerable<(string Name, Module Module)> NamedChildren() => entries.Select(e => (e.Key, e.Value)).Concat(base.NamedChildren());
}

/// <summary>Parameters in a list (torch.nn.ParameterList), named "0", "1", ... in the state dict.</summary>
public sealed class ParameterList : Module, IReadOnlyList<Parameter>
{
    private readonly List<Parameter> parameters;

    public ParameterList(params Parameter[] parameters) => this.parameters = [.. parameters];

    public Parameter this[int index] => parameters[index];

    public int Count => parameters.Count;

    public void Add(Parameter parameter) => parameters.Add(parameter ?? throw new ArgumentNullException(nameof(parameter)));

    public IEnumerator<Parameter> GetEnumerator() => parameters.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => parameters.GetEnumerator();

    protected override IEnumerable<(string Name, Parameter Value)> OwnParameters() =>
        parameters.Select((p, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), p)).Concat(base.OwnParameters());
}

/// <summary>Parameters by name (torch.nn.ParameterDict), in the order they were added.</summary>
public sealed class ParameterDict : Module
{
    private readonly OrderedStateEntries<Parameter> entries = new("ParameterDict", "parameter");

    public Parameter this[string key]
    {
        get => entries[key];
        set => entries[key] = value;
    }

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Keys;

    protected override IEnumerable<(string Name, Parameter Value)> OwnParameters() => entries.Select(e => (e.Key, e.Value)).Concat(base.OwnParameters());
}
