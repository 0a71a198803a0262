using System.Diagnostics.CodeAnalysis;

namespace Graphport;

/// <summary>
/// What ModuleDict and ParameterDict keep: values by key in the order they were added, each key a state name
/// (non-empty, without '.'); setting a key replaces its value in place or adds it at the end.
/// </summary>
internal sealed class OrderedStateEntries<T>(string owner, string kind) : IEnumerable<KeyValuePair<string, T>> where T : class
{
    private readonly List<KeyValuePair<string, T>> entries = [];

    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Select(e => e.Key);
    public IEnumerable<T> Values => entries.Select(e => e.Value);

    public T this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{owner} has no {kind} \"{key}\"; it has {string.Join(", ", Keys.Select(k => $"\"{k}\""))}.");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (string.IsNullOrWhiteSpace(key) || key.Contains('.'))
                throw new ArgumentException($"Invalid {owner} key \"{key}\": keys are state names, non-empty and without '.'.", nameof(key));
            int at = entries.FindIndex(e => e.Key == key);
            if (at >= 0) entries[at] = new(key, value);
            else entries.Add(new(key, value));
        }
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        int at = entries.FindIndex(e => e.Key == key);
        value = at >= 0 ? entries[at].Value : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => entries.GetEnumerator();
}
