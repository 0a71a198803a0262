using System.Text;

namespace Graphport.Operators;

/// <summary>
/// A parsed ATen function schema, e.g. "add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor".
/// </summary>
public sealed class OpSchema
{
    internal OpSchema(string ns, string name, string overload, IReadOnlyList<SchemaArgument> arguments, IReadOnlyList<SchemaReturn> returns)
    {
        Namespace = ns;
        Name = name;
        OverloadName = overload;
        Arguments = arguments;
        Returns = returns;
        // Computed once: the interpreter reads them for every node it runs.
        QualifiedName = overload.Length == 0 ? $"{ns}::{name}" : $"{ns}::{name}.{overload}";
        IsMutable = arguments.Any(a => a.Alias?.IsWrite == true);
        IsView = returns.Any(r => r.Alias is { IsWrite: false }) && !IsMutable;
    }

    public string Namespace { get; }

    /// <summary>The operator name without namespace or overload ("add_").</summary>
    public string Name { get; }

    /// <summary>The overload name ("Tensor"); empty for the default overload.</summary>
    public string OverloadName { get; }

    public IReadOnlyList<SchemaArgument> Arguments { get; }

    public IReadOnlyList<SchemaReturn> Returns { get; }

    /// <summary>"aten::add.Tensor", or "aten::relu" for a default overload.</summary>
    public string QualifiedName { get; }

    /// <summary>True when some argument is written in place (an alias annotation with "!"), like torch's is_mutable.</summary>
    public bool IsMutable { get; }

    /// <summary>True when some return aliases an input (views such as aten::t return Tensor(a)).</summary>
    public bool IsView { get; }

    public int IndexOf(string argumentName)
    {
        for (int i = 0; i < Arguments.Count; i++)
            if (Arguments[i].Name == argumentName) return i;
        return -1;
    }

    /// <summary>Parses a schema; the namespace defaults to <paramref name="defaultNamespace"/> when the text has none.</summary>
    public static OpSchema Parse(string text, string defaultNamespace = "aten") => new SchemaParser(text, defaultNamespace).Parse();

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Namespace).Append("::").Append(Name);
        if (OverloadName.Length > 0) sb.Append('.').Append(OverloadName);
        sb.Append('(');
        bool kwargOnlyWritten = false;
        for (int i = 0; i < Arguments.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            if (Arguments[i].KwargOnly && !kwargOnlyWritten)
            {
                sb.Append("*, ");
                kwargOnlyWritten = true;
            }
            sb.Append(Arguments[i]);
        }
        sb.Append(") -> ");
        if (Returns.Count == 1 && Returns[0].Name is null) sb.Append(Returns[0]);
        else sb.Append('(').Append(string.Join(", ", Returns)).Append(')');
        return sb.ToString();
    }
}
