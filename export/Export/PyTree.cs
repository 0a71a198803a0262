using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport;

/// <summary>
/// The structure of an argument or result (torch's pytree spec): a tensor leaf, a constant, or a container
/// (array, list, tuple, dictionary) of such. Flattening lists tensor leaves in order; unflattening rebuilds
/// the same container types around new leaves.
/// </summary>
public abstract record TreeSpec
{
    /// <summary>Number of tensor leaves below this node.</summary>
    public abstract int LeafCount { get; }
}

public sealed record TensorLeaf : TreeSpec
{
    public override int LeafCount => 1;

    public override string ToString() => "*";
}

/// <summary>A symbolic size returned as a value (ExportDB's scalar_output): a graph output, an int at run time.</summary>
public sealed record SymIntLeaf : TreeSpec
{
    public override int LeafCount => 1;

    public override string ToString() => "*int";
}

/// <summary>A non-tensor value baked into the program (ints, floats, strings, null, SymInts used as values).</summary>
public sealed record ConstantLeaf(object? Value) : TreeSpec
{
    public override int LeafCount => 0;

    public override string ToString() => Graphs.PythonRepr.Format(Value, n => n.Name);
}

public sealed record SequenceNode(Type ContainerType, IReadOnlyList<TreeSpec> Children) : TreeSpec
{
    public override int LeafCount => Children.Sum(c => c.LeafCount);

    public override string ToString() => $"[{string.Join(", ", Children)}]";
}

public sealed record MappingNode(Type ContainerType, IReadOnlyList<string> Keys, IReadOnlyList<TreeSpec> Children) : TreeSpec
{
    public override int LeafCount => Children.Sum(c => c.LeafCount);

    public override string ToString() => "{" + string.Join(", ", Keys.Zip(Children, (k, c) => $"'{k}': {c}")) + "}";
}

internal static class PyTree
{
    /// <summary>Flattens a value into tensor leaves with their key paths ("[0]", "['a']").</summary>
    public static TreeSpec Flatten(object? value, List<(string Path, Tensor Tensor)> leaves, string path = "")
    {
        var all = new List<(string Path, object Leaf)>();
        var spec = Flatten(value, all, path);
        foreach (var (p, leaf) in all)
        {
            if (leaf is Tensor t) leaves.Add((p, t));
            else throw new ArgumentException($"The value at {(p.Length == 0 ? "the top level" : p)} is a symbolic size; only results may be symbolic sizes.");
        }
        return spec;
    }

    /// <summary>Flattens a value into leaves (tensors, and symbolic sizes) with their key paths.</summary>
    public static TreeSpec Flatten(object? value, List<(string Path, object Leaf)> leaves, string path = "")
    {
        switch (value)
        {
            case Tensor t:
                leaves.Add((path, t));
                return new TensorLeaf();
            case SymInt { IsSymbolic: true } s:
                leaves.Add((path, s));
                return new SymIntLeaf();
            case null or string or bool or int or long or float or double or SymInt or DType:
                // A size export found static is the int it is (torch returns a Python int), as a symbolic one is at run time.
                return new ConstantLeaf(value switch { int i => (long)i, float f => (double)f, SymInt s => s.AsConstant!.Value, _ => value });
            case IDictionary dict:
                var keys = new List<string>();
                var children = new List<TreeSpec>();
                foreach (DictionaryEntry e in dict)
                {
                    string key = e.Key?.ToString() ?? throw new ArgumentException("Dictionary arguments need non-null string keys.");
                    keys.Add(key);
                    children.Add(Flatten(e.Value, leaves, $"{path}['{key}']"));
                }
                return new MappingNode(value.GetType(), keys, children);
            case ITuple tuple:
                return new SequenceNode(value.GetType(), Enumerable.Range(0, tuple.Length).Select(i => Flatten(tuple[i], leaves, $"{path}[{i}]")).ToList());
            case IList list:
                return new SequenceNode(value.GetType(), list.Cast<object?>().Select((x, i) => Flatten(x, leaves, $"{path}[{i}]")).ToList());
            default:
                throw new ArgumentException(
                    $"Unsupported value of type {value.GetType().Name} at {(path.Length == 0 ? "the top level" : path)}: export arguments and results must be tensors, numbers, strings, null, or arrays/lists/tuples/dictionaries of them.");
        }
    }

    /// <summary>Rebuilds a value of the spec's shape from tensor leaves (consumed in order).</summary>
    public static object? Unflatten(TreeSpec spec, IEnumerator<object?> leaves)
    {
        switch (spec)
        {
            case TensorLeaf or SymIntLeaf:
                if (!leaves.MoveNext()) throw new InvalidOperationException("Too few leaves to rebuild the value.");
                return leaves.Current;
            case ConstantLeaf c:
                return c.Value;
            case SequenceNode s:
                var items = s.Children.Select(c => Unflatten(c, leaves)).ToList();
                return Build(s.ContainerType, items);
            case MappingNode m:
                var dict = (IDictionary)(Activator.CreateInstance(m.ContainerType.IsInterface ? typeof(Dictionary<string, Tensor>) : m.ContainerType)
                    ?? throw new InvalidOperationException($"Cannot create {m.ContainerType.Name}."));
                for (int i = 0; i < m.Keys.Count; i++) dict[m.Keys[i]] = Unflatten(m.Children[i], leaves);
                return dict;
            default:
                throw new InvalidOperationException($"Unknown tree node {spec}.");
        }
    }

    private static object Build(Type type, List<object?> items)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, items.Count);
            for (int i = 0; i < items.Count; i++) array.SetValue(Coerce(items[i], element), i);
            return array;
        }
        if (typeof(ITuple).IsAssignableFrom(type))
        {
            var parameters = type.GetConstructors().FirstOrDefault(c => c.GetParameters().Length == items.Count)?.GetParameters();
            var arguments = items.Select((item, i) => parameters is null ? item : Coerce(item, parameters[i].ParameterType)).ToArray();
            return Activator.CreateInstance(type, arguments) ?? throw new InvalidOperationException($"Cannot create {type.Name}.");
        }
        var list = (IList)(Activator.CreateInstance(type) ?? throw new InvalidOperationException($"Cannot create {type.Name}."));
        var itemType = type.IsGenericType && type.GetGenericArguments() is [var t] ? t : typeof(object);
        foreach (var item in items) list.Add(Coerce(item, itemType));
        return list;
    }

    /// <summary>
    /// A size result is an int when the program runs (as torch returns a Python int); where Forward declared the
    /// slot a SymInt (a (Tensor, SymInt) tuple), it goes back in as the SymInt of that value.
    /// </summary>
    private static object? Coerce(object? item, Type slot) => item is long l && (slot == typeof(SymInt) || slot == typeof(SymInt?)) ? new SymInt(l) : item;
}
