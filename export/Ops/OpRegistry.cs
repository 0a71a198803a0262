using System.Runtime.CompilerServices;

namespace Graphport.Operators;

/// <summary>
/// Every operator overload known to the process, by qualified name (torch.ops): built-in ATen ops and
/// custom ops. Lookups accept "aten::add.Tensor", "aten::relu" and "aten::relu.default".
/// </summary>
public sealed class OpRegistry
{
    private readonly Dictionary<string, OpOverload> byName = new(StringComparer.Ordinal);
    private readonly object gate = new();
    private static int builtinsLoaded;

    internal OpRegistry() { }

    public static OpRegistry Instance { get; } = new();

    public OpOverload this[string name] => TryGet(name, out var op) ? op : throw new KeyNotFoundException(UnknownMessage(name));

    public bool TryGet(string name, out OpOverload op)
    {
        EnsureBuiltins();
        lock (gate)
        {
            string key = Canonical(name);
            if (byName.TryGetValue(key, out op!)) return true;
            if (DeriveInPlace(key) is { } inPlace)
            {
                op = inPlace;
                return true;
            }
            return false;
        }
    }

    /// <summary>The tag of in-place variants declared on first use (their decomposition is the functional op, then copy_).</summary>
    public const string DerivedInPlaceTag = "graphport_derived_inplace";

    /// <summary>
    /// torch's in-place variant of an op that takes a tensor first and returns one (silu_, hardswish_, dropout_, ...),
    /// declared the first time it is asked for: the functional op's schema with self written and returned, its tags
    /// but "core". torch.export's training IR records them (nn.SiLU(inplace=True)); they run as the functional op
    /// writing back into self (Dispatcher) and trace as it. Null when there is no such functional op.
    /// </summary>
    private OpOverload? DeriveInPlace(string key)
    {
        int separator = key.IndexOf("::", StringComparison.Ordinal);
        if (separator < 0) return null;
        string ns = key[..separator], rest = key[(separator + 2)..];
        int dot = rest.IndexOf('.');
        string name = dot < 0 ? rest : rest[..dot], overload = dot < 0 ? "" : rest[dot..];
        if (name.Length < 2 || !name.EndsWith('_') || name.EndsWith("__", StringComparison.Ordinal)) return null;
        if (!byName.TryGetValue($"{ns}::{name[..^1]}{overload}", out var functional) || functional.Schema.IsMutable || functional.Schema.IsView) return null;
        string text = functional.Schema.ToString(), head = $"{ns}::{name[..^1]}{overload}(Tensor ", tail = ") -> Tensor";
        if (!text.StartsWith(head, StringComparison.Ordinal) || !text.EndsWith(tail, StringComparison.Ordinal)) return null;
        // The written argument is "self" in every in-place schema (dropout_'s, where dropout names it "input").
        string arguments = text[head.Length..^tail.Length];
        int comma = arguments.IndexOf(',');
        arguments = "self" + (comma < 0 ? "" : arguments[comma..]);
        var op = Define($"{ns}::{name}{overload}(Tensor(a!) {arguments}) -> Tensor(a!)");
        op.Tags = functional.Tags.Where(t => t != "core").Append(DerivedInPlaceTag).ToHashSet();
        // Decomposed like the in-place ops declared up front (the functional op, then copy_), so it reaches core ops.
        if (BuiltinDecompositions.InPlaceDecomposition(op) is { } decomposition) Decompositions.Register(op, decomposition);
        return op;
    }

    public IReadOnlyList<OpOverload> All
    {
        get
        {
            EnsureBuiltins();
            lock (gate) return byName.Values.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Declares an op from its schema; throws if an op of that name exists already.</summary>
    internal OpOverload Define(string schemaText, string defaultNamespace = "aten")
    {
        var schema = OpSchema.Parse(schemaText, defaultNamespace);
        var op = new OpOverload(schema);
        lock (gate)
        {
            if (!byName.TryAdd(schema.QualifiedName, op))
                throw new InvalidOperationException($"Operator {schema.QualifiedName} is already defined; define each operator once (use a different overload name for a variant).");
            op.IsRegistered = true;
        }
        return op;
    }

    internal bool Remove(string name)
    {
        lock (gate)
        {
            if (!byName.Remove(Canonical(name), out var removed)) return false;
            removed.IsRegistered = false;
            return true;
        }
    }

    private static string Canonical(string name)
    {
        string s = name.Trim();
        if (s.EndsWith(".default", StringComparison.Ordinal)) s = s[..^".default".Length];
        if (!s.Contains("::", StringComparison.Ordinal))
        {
            // Accept torch's dotted spelling "aten.add.Tensor".
            int dot = s.IndexOf('.');
            if (dot > 0) s = s[..dot] + "::" + s[(dot + 1)..];
        }
        return s;
    }

    private string UnknownMessage(string name)
    {
        string key = Canonical(name);
        string opName = key.Split("::").Last().Split('.')[0];
        List<string> similar;
        lock (gate)
            similar = byName.Keys.Where(k => k.Split("::").Last().Split('.')[0] == opName).OrderBy(k => k).Take(8).ToList();
        return similar.Count > 0
            ? $"No operator named {name}. Overloads of that op: {string.Join(", ", similar)}."
            : $"No operator named {name}. Custom ops must be defined with a Library before use (new Library(\"ns\", LibraryKind.Def).Define(\"name(Tensor x) -> Tensor\")).";
    }

    /// <summary>Runs the static initializers that declare the built-in ops, once.</summary>
    internal static void EnsureBuiltins()
    {
        if (Volatile.Read(ref builtinsLoaded) == 1) return;
        RuntimeHelpers.RunClassConstructor(typeof(Aten).TypeHandle);
        Volatile.Write(ref builtinsLoaded, 1);
    }
}
