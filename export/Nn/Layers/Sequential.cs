namespace Graphport;

/// <summary>Runs its children in order (torch.nn.Sequential); children are named "0", "1", ...</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers;

    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Any(l => l is null)) throw new ArgumentException("Sequential got a null layer.", nameof(layers));
        this.layers = [.. layers];
    }

    public int Count => layers.Count;

    public Module<Tensor, Tensor> this[int index] => layers[index];

    public override IEnumerable<(string Name, Module Module)> NamedChildren() =>
        layers.Select((l, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Module)l)).Concat(base.NamedChildren());

    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.Call(x);
        return x;
    }
}

/// <summary>An indexable list of submodules (torch.nn.ModuleList), registered as "0", "1", ...</summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> modules;

    public ModuleList(params Module[] modules) => this.modules = [.. modules];

    public ModuleList(IEnumerable<Module> modules) => this.modules = [.. modules];

    public Module this[int index] => modules[index];

    public int Count => modules.Count;

    public void Add(Module module) => modules.Add(module ?? throw new ArgumentNullException(nameof(module)));

    public IEnumerator<Module> GetEnumerator() => modules.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => modules.GetEnumerator();

    public override IEnumerable<(string Name, Module Module)> NamedChildren() =>
        modules.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m)).Concat(base.NamedChildren());
}
