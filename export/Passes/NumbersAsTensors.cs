using Graphport.Graphs;
using Graphport.Operators;

namespace Graphport.Passes;

/// <summary>
/// Numbers in arguments the schema declares Tensor. torch accepts them only for a few ops
/// (<c>torch._C._should_allow_numbers_as_tensors</c>: it records <c>aten.mul.Tensor(x, 2)</c> itself) and rejects
/// them elsewhere when it runs a program ("Expected a value of type 'Tensor' for argument 'other' but instead found
/// type 'float'"); those ops have an overload that takes a Scalar (where.ScalarOther, pow.Tensor_Scalar, ...).
/// Graphport's kernels would take any such number as a wrapped scalar, so only the graph is wrong.
/// </summary>
internal static class NumbersAsTensors
{
    private static readonly HashSet<string> AllowedOps = new(StringComparer.Ordinal)
    {
        "add", "add_", "add_out", "sub", "sub_", "sub_out", "subtract", "subtract_", "subtract_out",
        "mul", "mul_", "mul_out", "multiply", "multiply_", "multiply_out", "div", "div_", "div_out",
        "divide", "divide_", "divide_out", "true_divide", "true_divide_", "true_divide_out",
        "floor_divide", "floor_divide_", "floor_divide_out", "to", "_to_copy", "copy", "copy_", "_conj",
    };

    /// <summary>True when torch lets a number stand for a tensor in this op's arguments.</summary>
    public static bool Allowed(OpOverload op) => op.Namespace == "prims" || op.Namespace == "aten" && AllowedOps.Contains(op.OpName);

    /// <summary>The numbers the node passes where the op's schema declares a Tensor (or a list of them), unless the op allows it.</summary>
    public static IEnumerable<(SchemaArgument Argument, object Value)> Misplaced(Node node, OpOverload op)
    {
        if (Allowed(op)) yield break;
        var schema = op.Schema.Arguments;
        for (int i = 0; i < schema.Count; i++)
        {
            var arg = schema[i];
            if (arg.Type.Base != "Tensor") continue;
            object? value;
            if (node.Kwargs.TryGetValue(arg.Name, out var kw)) value = kw;
            else if (i < node.Args.Length) value = node.Args[i];
            else continue;
            var items = arg.Type.IsList && value is object?[] list ? list : [value];
            foreach (var item in items)
                if (IsNumber(item)) yield return (arg, item!);
        }
    }

    private static bool IsNumber(object? value) => value is bool or long or int or double or float or SymInt or SymBool;
}
