using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Maps operators to decompositions: functions that compute the op with other ops, written with the tensor API
/// and traced by RunDecompositions in place of the op. Editable: remove an entry to keep that op, add your own.
/// </summary>
public sealed class DecompositionTable : IEnumerable<KeyValuePair<OpOverload, KernelFunction>>
{
    private readonly Dictionary<OpOverload, KernelFunction> entries = [];

    public int Count => entries.Count;

    public IEnumerable<OpOverload> Ops => entries.Keys;

    /// <summary>The decomposition of an op, by name ("aten::t", "aten::transpose.int").</summary>
    public KernelFunction this[string op]
    {
        get => entries.TryGetValue(OpRegistry.Instance[op], out var d) ? d : throw new KeyNotFoundException($"The table has no decomposition for {op}.");
        set => Set(OpRegistry.Instance[op], value);
    }

    public KernelFunction this[OpOverload op]
    {
        get => entries[op];
        set => Set(op, value);
    }

    /// <summary>Adds (or replaces) a decomposition receiving the op's bound arguments (schema order, defaults filled).</summary>
    public void Set(OpOverload op, KernelFunction decomposition)
    {
        ArgumentNullException.ThrowIfNull(decomposition);
        entries[op] = decomposition;
    }

    /// <summary>A decomposition of a one-tensor op written as a tensor function, e.g. table.Add("aten::t", x => x.Permute(1, 0)).</summary>
    public void Add(string op, Func<Tensor, Tensor> decomposition) => this[op] = a => decomposition((Tensor)a[0]!);

    /// <summary>A decomposition over all bound arguments.</summary>
    public void Add(string op, KernelFunction decomposition) => this[op] = decomposition;

    /// <summary>Removes an op's entry so RunDecompositions keeps the op; false when it had none.</summary>
    public bool Remove(string op) => entries.Remove(OpRegistry.Instance[op]);

    public bool Contains(string op) => OpRegistry.Instance.TryGet(op, out var o) && entries.ContainsKey(o);

    public bool TryGet(OpOverload op, out KernelFunction decomposition) => entries.TryGetValue(op, out decomposition!);

    public IEnumerator<KeyValuePair<OpOverload, KernelFunction>> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
