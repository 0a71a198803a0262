namespace Graphport;

/// <summary>
/// Submodules by name (torch.nn.ModuleDict), in the order they were added; each key is the child's name in the state
/// dict ("heads.cls.weight"), as torch registers them.
/// </summary>
public sealed class ModuleDict : Module, IReadOnlyDictionary<string, Module>
{
    private readonly List<KeyValuePair<string, Module>> entries = [];

    public ModuleDict() { }

    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (key, module) in modules) this[key] = module;
    }

    /// <summary>The module under a key; setting one replaces it in place (its position kept) or adds it at the end.</summary>
    public Module this[string key]
    {
        get => TryGetValue(key, out var module) ? module : throw new KeyNotFoundException($"ModuleDict has no module \"{key}\"; it has {string.Join(", ", Keys.Select(k => $"\"{k}\""))}.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (string.IsNullOrWhiteSpace(key) || key.Contains('.'))
                throw new ArgumentException($"Invalid ModuleDict key \"{key}\": keys are state names, non-empty and without '.'.", nameof(key));
            int at = entries.FindIndex(e => e.Key == key);
            if (at >= 0) entries[at] = new(key, value);
            else entries.Add(new(key, value));
        }
    }

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Select(e => e.Key);
    public IEnumerable<Module> Values => entries.Select(e => e.Value);

    public bool ContainsKey(string key) => entries.Any(e => e.Key == key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Module value)
    {
        int at = entries.FindIndex(e => e.Key == key);
        value = at >= 0 ? entries[at].Value : null;
        return at >= 0;
    }

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
    private readonly List<KeyValuePair<string, Parameter>> entries = [];

    public Parameter this[string key]
    {
        get => entries.FirstOrDefault(e => e.Key == key).Value ?? throw new KeyNotFoundException($"ParameterDict has no parameter \"{key}\"; it has {string.Join(", ", entries.Select(e => $"\"{e.Key}\""))}.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (string.IsNullOrWhiteSpace(key) || key.Contains('.'))
                throw new ArgumentException($"Invalid ParameterDict key \"{key}\": keys are state names, non-empty and without '.'.", nameof(key));
            int at = entries.FindIndex(e => e.Key == key);
            if (at >= 0) entries[at] = new(key, value);
            else entries.Add(new(key, value));
        }
    }

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Select(e => e.Key);

    protected override IEnumerable<(string Name, Parameter Value)> OwnParameters() => entries.Select(e => (e.Key, e.Value)).Concat(base.OwnParameters());
}
