using Graphport.ControlFlow;

namespace Graphport;

public static partial class Torch
{
    /// <summary>
    /// torch.cond: trueFn(operands) if pred else falseFn(operands), kept as one data-dependent op when exported.
    /// pred is a bool, a size expression (x.Shape[0] > 4) or a one-element bool tensor (x.Sum() > 0); operands are
    /// tensors; both branches must return tensors of the same shapes and dtypes, must not write into their
    /// inputs, and may use `this` but not tensors captured from the enclosing method.
    /// </summary>
    public static Graphport.Tensor Cond(Graphport.Tensor pred, Func<Graphport.Tensor[], Graphport.Tensor> trueFn, Func<Graphport.Tensor[], Graphport.Tensor> falseFn, IReadOnlyList<Graphport.Tensor> operands) =>
        Graphport.ControlFlow.Cond.Apply(pred, o => [trueFn(o)], o => [falseFn(o)], operands, trueFn, falseFn)[0];

    public static Graphport.Tensor Cond(SymBool pred, Func<Graphport.Tensor[], Graphport.Tensor> trueFn, Func<Graphport.Tensor[], Graphport.Tensor> falseFn, IReadOnlyList<Graphport.Tensor> operands) =>
        Graphport.ControlFlow.Cond.Apply(pred, o => [trueFn(o)], o => [falseFn(o)], operands, trueFn, falseFn)[0];

    /// <summary>torch.cond with branches returning several tensors.</summary>
    public static Graphport.Tensor[] Cond(Graphport.Tensor pred, Func<Graphport.Tensor[], Graphport.Tensor[]> trueFn, Func<Graphport.Tensor[], Graphport.Tensor[]> falseFn, IReadOnlyList<Graphport.Tensor> operands) =>
        Graphport.ControlFlow.Cond.Apply(pred, trueFn, falseFn, operands, trueFn, falseFn);

    public static Graphport.Tensor[] Cond(SymBool pred, Func<Graphport.Tensor[], Graphport.Tensor[]> trueFn, Func<Graphport.Tensor[], Graphport.Tensor[]> falseFn, IReadOnlyList<Graphport.Tensor> operands) =>
        Graphport.ControlFlow.Cond.Apply(pred, trueFn, falseFn, operands, trueFn, falseFn);

    /// <summary>
    /// map: applies fn to each slice xs[i] along the leading dimension (with the same extra args) and stacks the
    /// results; exported as one higher_order.map_impl op over a traced body.
    /// </summary>
    public static Graphport.Tensor Map(Func<Graphport.Tensor, Graphport.Tensor[], Graphport.Tensor> fn, Graphport.Tensor xs, params Graphport.Tensor[] args) =>
        MapOp.Apply(fn, xs, args);
}
