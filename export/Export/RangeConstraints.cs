using Graphport.Shapes;

namespace Graphport;

/// <summary>The value range of each symbol in an exported program, e.g. {s0: [2, oo], s1: [4, 18]}.</summary>
public sealed class RangeConstraints(IReadOnlyList<KeyValuePair<string, ValueRange>> entries) : IReadOnlyDictionary<string, ValueRange>
{
    private readonly Dictionary<string, ValueRange> map = entries.ToDictionary(e => e.Key, e => e.Value);

    public static RangeConstraints Empty { get; } = new([]);

    public ValueRange this[string key] => map[key];

    public IEnumerable<string> Keys => entries.Select(e => e.Key);

    public IEnumerable<ValueRange> Values => entries.Select(e => e.Value);

    public int Count => entries.Count;

    public bool ContainsKey(string key) => map.ContainsKey(key);

    public bool TryGetValue(string key, out ValueRange value) => map.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, ValueRange>> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}
