using Graphport.Graphs;
using Graphport.Operators;

namespace Graphport.Serialization;

/// <summary>
/// Node targets as the schema spells them: "torch.ops.aten.add.Tensor" for operators (custom ones too),
/// "_operator.add" and "torch.sym_max" for size arithmetic, "torch.ops.higher_order.cond" for control flow.
/// </summary>
internal static class TargetNames
{
    private const string OpsPrefix = "torch.ops.";
    private const string HigherOrderPrefix = "torch.ops.higher_order.";

    public static string Of(object target) => target switch
    {
        OpOverload op => OpsPrefix + op.Target,
        HigherOrderTarget h => HigherOrderPrefix + h.Name,
        // torch records the Python functions by module: operator.add lives in _operator; SymBool negation is torch.sym_not.
        BuiltinTarget { Name: "operator.not_" } => "torch.sym_not",
        BuiltinTarget b when b.Name.StartsWith("operator.", StringComparison.Ordinal) => "_" + b.Name,
        BuiltinTarget b => b.Name,
        _ => throw new ExportException($"The node target {target} has no serialized form."),
    };

    /// <summary>
    /// The target a serialized name refers to. Operators must be registered in this process; a custom op that
    /// is not is reported with what to do.
    /// </summary>
    public static object Resolve(string name, string where, bool nativeComplex = false)
    {
        if (name.StartsWith(HigherOrderPrefix, StringComparison.Ordinal))
        {
            return name[HigherOrderPrefix.Length..] switch
            {
                "cond" => HigherOrderTarget.Cond,
                "map_impl" => HigherOrderTarget.Map,
                "wrap_with_set_grad_enabled" => HigherOrderTarget.SetGradEnabled,
                "wrap_with_autocast" => HigherOrderTarget.Autocast,
                var other => throw new InvalidDataException($"{where} uses the higher-order operator {other}, which Graphport does not support (it supports cond, map_impl, and wrap_with_set_grad_enabled and a disabled wrap_with_autocast, which it inlines)."),
            };
        }
        if (name.StartsWith(OpsPrefix, StringComparison.Ordinal)) return Operator(name[OpsPrefix.Length..], where, nativeComplex);
        if (VmapTarget.ByName(name) is { } vmap) return vmap;
        string builtin = name switch
        {
            "torch.sym_not" => "operator.not_",
            _ when name.StartsWith("_operator.", StringComparison.Ordinal) => name[1..],
            _ => name,
        };
        return BuiltinTarget.ByName(builtin)
            ?? throw new InvalidDataException($"{where} calls {name}, which Graphport cannot run (it supports ATen and custom operators, size arithmetic, cond and map, and torch.vmap over pointwise ops).");
    }

    private static object Operator(string dotted, string where, bool nativeComplex)
    {
        var parts = dotted.Split('.');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
            throw new InvalidDataException($"{where} names the operator torch.ops.{dotted}, which is not of the form namespace.op.overload.");
        string ns = parts[0];
        string op = parts.Length == 2 ? parts[1] : string.Join('.', parts[1..^1]);
        string overload = parts.Length == 2 ? "default" : parts[^1];
        string qualified = overload == "default" ? $"{ns}::{op}" : $"{ns}::{op}.{overload}";
        // Rewritten into real ops unless the program is read with its complex tensors (GraphReader's nativeComplex).
        if (!nativeComplex && ComplexTarget.ByName(qualified) is { } complexOp) return complexOp;
        if (OpRegistry.Instance.TryGet(qualified, out var found)) return found;
        if (ns == "aten" || ns == "prims")
            throw new ExportException($"Operator {qualified} used by the program is not implemented in Graphport, so the program cannot be loaded ({where}).");
        throw new ExportException($"Operator {qualified} used by the program is not registered; define it with a Library before loading ({where}).");
    }
}
