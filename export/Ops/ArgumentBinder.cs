using System.Collections;

namespace Graphport.Operators;

/// <summary>
/// Turns a caller's positional and keyword arguments into the schema's full positional list, filling
/// defaults and converting values to canonical types: int → SymInt, int[] → SymInt[], float → double,
/// Scalar → long/double/bool (or SymInt/SymBool), Tensor[] stays Tensor[]. Errors name the op and the argument.
/// </summary>
internal static class ArgumentBinder
{
    public static object?[] Bind(OpOverload op, object?[] args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        var schema = op.Schema;
        int n = schema.Arguments.Count;
        if (args.Length > n)
            throw new ArgumentException($"{op.Name}() takes {n} arguments but {args.Length} were given. Schema: {schema}");
        var bound = new object?[n];
        var set = new bool[n];
        for (int i = 0; i < args.Length; i++)
        {
            bound[i] = args[i];
            set[i] = true;
        }
        if (kwargs is not null)
        {
            foreach (var (name, value) in kwargs)
            {
                int i = schema.IndexOf(name);
                if (i < 0)
                    throw new ArgumentException($"{op.Name}() got an unexpected keyword argument '{name}'. Schema: {schema}");
                if (set[i])
                    throw new ArgumentException($"{op.Name}() got multiple values for argument '{name}'.");
                bound[i] = value;
                set[i] = true;
            }
        }
        for (int i = 0; i < n; i++)
        {
            var arg = schema.Arguments[i];
            if (!set[i])
            {
                if (!arg.HasDefault)
                    throw new ArgumentException($"{op.Name}() is missing required argument '{arg.Name}' (position {i}). Schema: {schema}");
                bound[i] = CloneDefault(arg.Default);
            }
            bound[i] = Convert(op, arg, bound[i]);
        }
        return bound;
    }

    private static object? CloneDefault(object? value) => value is Array a ? a.Clone() : value;

    private static bool IsPoolingStride(OpOverload op, SchemaArgument arg) =>
        arg.Name == "stride" && op.Namespace == "aten" && op.OpName.Contains("pool", StringComparison.Ordinal);

    internal static object? Convert(OpOverload op, SchemaArgument arg, object? value)
    {
        var type = arg.Type;
        if (value is null)
        {
            if (type.IsOptional || (arg.HasDefault && arg.Default is null)) return null;
            throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, not null.");
        }
        if (type.IsList) return ConvertList(op, arg, value);
        return ConvertScalar(op, arg, type.Base, value);
    }

    private static object ConvertScalar(OpOverload op, SchemaArgument arg, string baseType, object value)
    {
        switch (baseType)
        {
            case "Tensor":
                if (value is Tensor) return value;
                // Pointwise ops take plain numbers where a tensor is declared (torch's wrapped numbers): x + 1.
                if (op.Tags.Contains("pointwise") && value is double or long or bool or int or float or SymInt or System.Numerics.Complex)
                    return ConvertScalar(op, arg, "Scalar", value);
                break;
            case "int":
            case "SymInt":
                switch (value)
                {
                    case SymInt s: return s;
                    case long l: return new SymInt(l);
                    case int i: return new SymInt(i);
                    case short sh: return new SymInt(sh);
                    case byte b: return new SymInt(b);
                    case bool bo when baseType == "int": return new SymInt(bo ? 1 : 0);
                }
                break;
            case "float":
                switch (value)
                {
                    case double d: return d;
                    case float f: return (double)f;
                    case long l: return (double)l;
                    case int i: return (double)i;
                    case SymInt s: return (double)(long)s;
                }
                break;
            case "bool":
                if (value is bool) return value;
                break;
            case "Scalar":
                switch (value)
                {
                    case double or long or bool or System.Numerics.Complex: return value;
                    case float f: return (double)f;
                    case int i: return (long)i;
                    case short sh: return (long)sh;
                    case byte b: return (long)b;
                    case sbyte sb: return (long)sb;
                    case Half h: return (double)h;
                    case SymInt s: return s.AsConstant is long c ? c : s;
                    // A size comparison is a Scalar too (torch passes SymBool to _assert_scalar); re-tracing a
                    // program with run-time assertions hands the op the symbolic condition, not a bool.
                    case SymBool condition: return condition.AsConstant is bool known ? known : condition;
                }
                break;
            case "ScalarType":
                if (value is DType) return value;
                break;
            case "str":
                if (value is string) return value;
                break;
            case "Device":
                if (value is Device) return value;
                break;
            case "Layout":
                if (value is Layout) return value;
                break;
            case "MemoryFormat":
            case "Generator":
                return value;
            default:
                return value;
        }
        throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {arg.Type}, but got {Describe(value)}.");
    }

    private static object ConvertList(OpOverload op, SchemaArgument arg, object value)
    {
        var type = arg.Type;
        if (type.Base == "Tensor")
        {
            if (type.ElementOptional)
            {
                if (value is IEnumerable<Tensor?> opt) return opt.ToArray();
                // Graph interpreters resolve a list such as [None, %idx] to object?[] (it is not all tensors).
                if (value is object?[] items && items.All(x => x is null or Tensor)) return items.Cast<Tensor?>().ToArray();
            }
            else if (value is IEnumerable<Tensor> tensors)
            {
                var list = tensors.ToArray();
                if (list.Any(t => t is null))
                    throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be a list of tensors without nulls.");
                return list;
            }
            throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but got {Describe(value)}.");
        }
        if (type.IsInt)
        {
            SymInt[] result = value switch
            {
                SymInt[] s => (SymInt[])s.Clone(),
                long[] l => l.Select(x => new SymInt(x)).ToArray(),
                int[] i => i.Select(x => new SymInt(x)).ToArray(),
                IEnumerable<SymInt> e => e.ToArray(),
                IEnumerable<long> e => e.Select(x => new SymInt(x)).ToArray(),
                IEnumerable<int> e => e.Select(x => new SymInt(x)).ToArray(),
                object?[] objects => objects.Select(o => o switch
                {
                    SymInt s => s,
                    long l => new SymInt(l),
                    int i => new SymInt(i),
                    _ => throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but an element is {Describe(o)}."),
                }).ToArray(),
                SymInt s when type.FixedSize is int n => Enumerable.Repeat(s, n).ToArray(),
                long l when type.FixedSize is int n => Enumerable.Repeat(new SymInt(l), n).ToArray(),
                int i when type.FixedSize is int n => Enumerable.Repeat(new SymInt(i), n).ToArray(),
                SymInt s => [s],
                long l => [new SymInt(l)],
                int i => [new SymInt(i)],
                _ => throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but got {Describe(value)}."),
            };
            if (type.FixedSize is int size && result.Length == 1 && size > 1) result = Enumerable.Repeat(result[0], size).ToArray();
            // An empty list stands for "not given" where the schema's default is one (max_pool2d's int[2] stride=[]),
            // and for a pooling op's stride even without that default (avg_pool2d_backward): stride = kernel_size.
            bool emptyDefault = result.Length == 0 && (arg.Default is Array { Length: 0 } || IsPoolingStride(op, arg));
            if (type.FixedSize is int fixedSize && fixedSize > 1 && result.Length != fixedSize && !emptyDefault)
                throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must have {fixedSize} elements, but got {result.Length}.");
            return result;
        }
        if (type.Base == "float")
        {
            return value switch
            {
                double[] d => d,
                IEnumerable<double> e => e.ToArray(),
                IEnumerable<float> f => f.Select(x => (double)x).ToArray(),
                IEnumerable<long> l => l.Select(x => (double)x).ToArray(),
                double d => new[] { d },
                _ => throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but got {Describe(value)}."),
            };
        }
        if (type.Base == "bool")
        {
            return value switch
            {
                bool[] b => b,
                IEnumerable<bool> e => e.ToArray(),
                _ => throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but got {Describe(value)}."),
            };
        }
        if (value is IEnumerable enumerable and not string) return enumerable.Cast<object?>().ToArray();
        throw new ArgumentException($"{op.Name}(): argument '{arg.Name}' must be {type}, but got {Describe(value)}.");
    }

    internal static string Describe(object? value) => value switch
    {
        null => "null",
        Tensor t => $"a tensor of shape {t.Shape} and dtype {t.DType.TorchName()}",
        _ => value.GetType().Name,
    };
}
