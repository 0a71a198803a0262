using static Graphport.Torch;

namespace Graphport.Tests.ControlFlow;

public sealed class Bad1Fixed : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        static Tensor TrueFn(Tensor[] ops) => Sin(ops[0]);
        static Tensor FalseFn(Tensor[] ops) => Cos(ops[0]);
        return Cond(x.Sum() > 0, TrueFn, FalseFn, [x]);
    }
}

/// <summary>ExportDB's cond_predicate: the predicate is a size expression.</summary>
public sealed class CondPredicate : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x)
    {
        var pred = x.Dim() > 2 && x.Shape[2] > 10;
        return Cond(pred, ops => ops[0].Cos(), ops => ops[0].Sin(), [x]);
    }
}

/// <summary>A branch that uses a parameter through `this`: the parameter is lifted into the cond's operands.</summary>
public sealed class CondWithParameter : Module<Tensor, Tensor>
{
    private readonly Linear lin = new(4, 4);

    public override Tensor Forward(Tensor x) => Cond(x.Sum() > 0, ops => lin.Call(ops[0]), ops => ops[0] * 2, [x]);
}

/// <summary>The seed's map example: a cond inside a map body, with an extra argument.</summary>
public sealed class MapExample : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor xs)
    {
        static Tensor MapFn(Tensor x, Tensor[] rest)
        {
            var c = rest[0];
            return Cond(x.Sum() > 0, ops => ops[0] + ops[1], ops => ops[0] - ops[1], [x, c]);
        }
        return Map(MapFn, xs, Torch.Tensor(new float[] { 2 }));
    }
}

public sealed class CapturesTensor : Module<Tensor, Tensor, Tensor>
{
    public override Tensor Forward(Tensor x, Tensor y) => Cond(x.Sum() > 0, ops => ops[0] + y, ops => ops[0] - y, [x]);
}

public sealed class MismatchedBranches : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Cond(x.Sum() > 0, ops => ops[0].Sum(0), ops => ops[0] * 2, [x]);
}

public sealed class MutatesOperand : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Cond(x.Sum() > 0, ops => ops[0].Add_(1L), ops => ops[0] * 2, [x]);
}

public sealed class ReturnsOperand : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor x) => Cond(x.Sum() > 0, ops => ops[0], ops => ops[0] * 2, [x]);
}
