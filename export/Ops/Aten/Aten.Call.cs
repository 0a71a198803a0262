using Graphport.Operators;

namespace Graphport;

internal static partial class Aten
{
    /// <summary>Calls an op from C# code (composites, Tensor methods) and returns its tensor result.</summary>
    internal static Tensor Call(OpOverload op, params object?[] args) => (Tensor)Dispatcher.Invoke(op, op.BindArgs(args))!;

    /// <summary>Calls an op with keyword arguments.</summary>
    internal static Tensor CallKw(OpOverload op, object?[] args, params (string Name, object? Value)[] kwargs) =>
        (Tensor)Dispatcher.Invoke(op, op.BindArgs(args, kwargs.ToDictionary(k => k.Name, k => k.Value)))!;

    /// <summary>Calls an op with keyword arguments and returns whatever it returns (a tuple op's Tensor[]).</summary>
    internal static object? Dispatch(OpOverload op, object?[] args, params (string Name, object? Value)[] kwargs) =>
        Dispatcher.Invoke(op, op.BindArgs(args, kwargs.ToDictionary(k => k.Name, k => k.Value)));

    /// <summary>Calls a multi-output op and returns its tensors.</summary>
    internal static Tensor[] CallMulti(OpOverload op, params object?[] args) => (Tensor[])Dispatcher.Invoke(op, op.BindArgs(args))!;
}
