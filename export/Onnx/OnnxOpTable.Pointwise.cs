using Graphport.Operators;

namespace Graphport.Onnx;

/// <summary>Elementwise ops: arithmetic with broadcasting, comparisons, logic, activations, Cast.</summary>
internal static partial class OnnxOpTable
{
    private static void AddPointwise(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Add"] = c => Arithmetic(c, Aten.Add, (a, b) => a + b, commutative: true);
        t["Sub"] = c => Arithmetic(c, Aten.Sub, (a, b) => a - b, commutative: false);
        t["Mul"] = c => Arithmetic(c, Aten.Mul, (a, b) => a * b, commutative: true);
        t["Div"] = Divide;
        // fmod = 0 takes the divisor's sign (Python's %, as sizes compute it); fmod = 1 the dividend's (C's %).
        t["Mod"] = c => c.Int("fmod", 0) == 1
            ? Arithmetic(c, Aten.Fmod, TruncatingRemainder, commutative: false)
            : Arithmetic(c, Aten.Remainder, (a, b) => a % b, commutative: false);
        t["Pow"] = Power;
        t["Max"] = c => Variadic(c, Aten.Maximum);
        t["Min"] = c => Variadic(c, Aten.Minimum);
        t["Sum"] = c => Variadic(c, Aten.Add);
        t["Mean"] = c => One(Call(Aten.Div, Variadic(c, Aten.Add)[0] is TensorValue s ? s.Tensor : throw c.Fail("has no inputs"), (double)c.InputCount));
        t["Equal"] = c => Compare(c, Aten.EqTensor);
        t["Less"] = c => Compare(c, Aten.LtTensor);
        t["LessOrEqual"] = c => Compare(c, Aten.LeTensor);
        t["Greater"] = c => Compare(c, Aten.GtTensor);
        t["GreaterOrEqual"] = c => Compare(c, Aten.GeTensor);
        t["And"] = c => One(Call(Aten.LogicalAnd, c.Tensor(0), c.Tensor(1)));
        t["Or"] = c => One(Call(Aten.LogicalOr, c.Tensor(0), c.Tensor(1)));
        t["Xor"] = c => One(Call(Aten.LogicalXor, c.Tensor(0), c.Tensor(1)));
        t["Not"] = c => One(Call(Aten.LogicalNot, c.Tensor(0)));
        t["Where"] = c => One(Call(Aten.Where, c.Tensor(0), c.Tensor(1), c.Tensor(2)));

        t["Relu"] = c => Unary(c, Aten.Relu);
        t["Sigmoid"] = c => Unary(c, Aten.Sigmoid);
        t["Tanh"] = c => Unary(c, Aten.Tanh);
        t["Erf"] = c => Unary(c, Aten.Erf);
        t["Sqrt"] = c => Unary(c, Aten.Sqrt);
        t["Exp"] = c => Unary(c, Aten.Exp);
        t["Log"] = c => Unary(c, Aten.Log);
        t["Abs"] = c => Unary(c, Aten.Abs);
        t["Neg"] = c => c.Value(0) is ShapeValue s ? One(new ShapeValue(s.DType, s.Dims, s.Items.Select(i => -i).ToArray())) : Unary(c, Aten.Neg);
        t["Reciprocal"] = c => Unary(c, Aten.Reciprocal);
        t["Floor"] = c => Unary(c, Aten.Floor);
        t["Ceil"] = c => Unary(c, Aten.Ceil);
        t["Round"] = c => Unary(c, Aten.Round);
        t["Sign"] = c => Unary(c, Aten.Sign);
        t["Sin"] = c => Unary(c, Aten.Sin);
        t["Cos"] = c => Unary(c, Aten.Cos);
        t["Tan"] = c => Unary(c, Aten.Tan);
        t["Atan"] = c => Unary(c, Aten.Atan);
        t["Asin"] = c => Unary(c, Aten.Asin);
        t["Acos"] = c => Unary(c, Aten.Acos);
        t["Sinh"] = c => Unary(c, Aten.Sinh);
        t["Cosh"] = c => Unary(c, Aten.Cosh);
        t["Asinh"] = c => Unary(c, Aten.Asinh);
        t["Acosh"] = c => Unary(c, Aten.Acosh);
        t["Atanh"] = c => Unary(c, Aten.Atanh);
        t["IsInf"] = c =>
        {
            var x = c.Tensor(0);
            var inf = Call(Aten.IsInf, x);
            if (c.Int("detect_positive", 1) == 0) inf = Call(Aten.LogicalAnd, inf, Call(Aten.LtScalar, x, 0.0));
            if (c.Int("detect_negative", 1) == 0) inf = Call(Aten.LogicalAnd, inf, Call(Aten.GtScalar, x, 0.0));
            return One(inf);
        };
        t["Softsign"] = c => One(Call(Aten.Div, c.Tensor(0), Call(Aten.Add, Call(Aten.Abs, c.Tensor(0)), 1.0)));
        t["Mish"] = c => One(Call(Aten.Mul, c.Tensor(0), Call(Aten.Tanh, Call(Aten.Softplus, c.Tensor(0), 1.0, 20.0))));
        t["Selu"] = c => One(Call(Aten.Elu, c.Tensor(0), (double)c.Float("alpha", 1.67326319217681884765625f), (double)c.Float("gamma", 1.05070102214813232421875f), 1.0));
        t["Celu"] = c =>
        {
            double alpha = c.Float("alpha", 1f);
            return One(Call(Aten.Elu, c.Tensor(0), alpha, 1.0, 1.0 / alpha));
        };
        t["ThresholdedRelu"] = c =>
        {
            var x = c.Tensor(0);
            return One(Call(Aten.Where, Call(Aten.GtScalar, x, (double)c.Float("alpha", 1f)), x, Call(Aten.ZerosLike, x)));
        };
        t["CastLike"] = c => One(c.Tensor(0).To(c.Value(1).DType));
        t["IsNaN"] = c => Unary(c, Aten.IsNan);
        t["Softplus"] = c => One(Call(Aten.Softplus, c.Tensor(0), 1.0, 20.0));
        t["LeakyRelu"] = c => One(Call(Aten.LeakyRelu, c.Tensor(0), (double)c.Float("alpha", 0.01f)));
        t["Elu"] = c => One(Call(Aten.Elu, c.Tensor(0), (double)c.Float("alpha", 1f), 1.0, 1.0));
        t["HardSigmoid"] = HardSigmoid;
        t["Shrink"] = Shrink;
        t["HardSwish"] = c => Unary(c, Aten.Hardswish);
        t["Gelu"] = c => One(Call(Aten.Gelu, c.Tensor(0), c.String("approximate", "none")));
        t["PRelu"] = c =>
        {
            var x = c.Tensor(0);
            return One(Call(Aten.Where, Call(Aten.GtScalar, x, 0.0), x, Call(Aten.Mul, x, c.Tensor(1))));
        };
        t["Clip"] = Clip;
        t["Identity"] = c => One(c.Value(0));
        t["Dropout"] = c =>
        {
            // Inference graphs pass values through; a dropout told to train would be random, which an import should not hide.
            if (c.Known(2) is { IsConcrete: true } training && training.Items[0].AsConstant != 0)
                throw c.Fail("has training_mode = true; Graphport imports inference graphs, where Dropout passes its input through");
            if (c.Node.Outputs.Count > 1 && c.Node.Outputs[1].Length > 0)
                return [c.Value(0), new TensorValue(Call(Aten.OnesLike, c.Tensor(0)).To(DType.Bool))];
            return One(c.Value(0));
        };
        t["Cast"] = Cast;
    }

    private static OnnxValue[] Unary(OnnxNodeContext c, OpOverload op) => One(Call(op, c.Tensor(0)));

    /// <summary>Binary arithmetic: folded on known sizes, a number for one-element constants, else the tensor op.</summary>
    private static OnnxValue[] Arithmetic(OnnxNodeContext c, OpOverload op, Func<SymInt, SymInt, SymInt> fold, bool commutative)
    {
        if (c.Value(0) is ShapeValue a && c.Value(1) is ShapeValue b && a.DType.IsIntegral(includeBool: false) && Broadcast(a, b, fold) is { } folded)
            return One(folded);
        var x = c.Tensor(0);
        var y = c.Tensor(1);
        if (IsScalarConstant(y, x)) return One(Call(op, x, ScalarOf(y)));
        if (commutative && IsScalarConstant(x, y)) return One(Call(op, y, ScalarOf(x)));
        // 1 - x is recorded as torch records it: rsub(x, 1).
        if (op == Aten.Sub && IsScalarConstant(x, y)) return One(Call(Aten.Rsub, y, ScalarOf(x)));
        return One(Call(op, x, y));
    }

    /// <summary>Elementwise on two known vectors of equal length (or one scalar): what shape arithmetic needs.</summary>
    private static ShapeValue? Broadcast(ShapeValue a, ShapeValue b, Func<SymInt, SymInt, SymInt> fold)
    {
        if (a.Items.Length == b.Items.Length && a.Dims.SequenceEqual(b.Dims))
            return new ShapeValue(a.DType, a.Dims, a.Items.Zip(b.Items, fold).ToArray());
        if (b.Items.Length == 1 && b.Dims.Length <= a.Dims.Length)
            return new ShapeValue(a.DType, a.Dims, a.Items.Select(x => fold(x, b.Items[0])).ToArray());
        if (a.Items.Length == 1 && a.Dims.Length <= b.Dims.Length)
            return new ShapeValue(a.DType, b.Dims, b.Items.Select(y => fold(a.Items[0], y)).ToArray());
        return null;
    }

    /// <summary>ONNX Div truncates for integers (C semantics); aten.div would return floats.</summary>
    private static OnnxValue[] Divide(OnnxNodeContext c)
    {
        if (c.Value(0) is ShapeValue a && c.Value(1) is ShapeValue b && a.DType.IsIntegral(includeBool: false) && Broadcast(a, b, TruncatingDivide) is { } folded)
            return One(folded);
        var x = c.Tensor(0);
        var y = c.Tensor(1);
        if (x.DType.IsIntegral(includeBool: false)) return One(CallKw(Aten.DivMode, [x, y], ("rounding_mode", "trunc")));
        if (IsScalarConstant(y, x)) return One(Call(Aten.Div, x, ScalarOf(y)));
        return One(Call(Aten.Div, x, y));
    }

    private static SymInt TruncatingDivide(SymInt a, SymInt b)
    {
        // Sizes are non-negative, where floor and truncation agree; constants follow C's truncation exactly.
        if (a.AsConstant is { } x && b.AsConstant is { } y)
        {
            if (y == 0) throw new OnnxImportException("An integer division by zero in the model's shape arithmetic.");
            return x / y;
        }
        return a / b;
    }

    private static SymInt TruncatingRemainder(SymInt a, SymInt b)
    {
        if (a.AsConstant is { } x && b.AsConstant is { } y)
        {
            if (y == 0) throw new OnnxImportException("An integer remainder by zero in the model's shape arithmetic.");
            return x % y;
        }
        // Sizes are non-negative, where both conventions agree.
        return a % b;
    }

    /// <summary>Pow keeps the base's type; a constant exponent is passed as a number (x ** 2 as torch records it).</summary>
    private static OnnxValue[] Power(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        var y = c.Tensor(1);
        if (!y.IsFake && y.NumelLong == 1 && y.Ndim <= x.Ndim)
            return One(Call(Aten.PowTensorScalar, x, y.DType.IsFloatingPoint() ? y.ToArray<double>()[0] : (object)y.ToArray<long>()[0]).To(x.DType));
        var result = Call(Aten.PowTensorTensor, x, y);
        return One(result.DType == x.DType ? result : result.To(x.DType));
    }

    private static OnnxValue[] Variadic(OnnxNodeContext c, OpOverload op)
    {
        if (c.InputCount == 0) throw c.Fail("has no inputs");
        var acc = c.Tensor(0);
        for (int i = 1; i < c.InputCount; i++) acc = Call(op, acc, c.Tensor(i));
        return One(acc);
    }

    private static OnnxValue[] Compare(OnnxNodeContext c, OpOverload op)
    {
        if (c.Value(0) is ShapeValue a && c.Value(1) is ShapeValue b && a.IsConcrete && b.IsConcrete)
        {
            Func<long, long, bool> test = op == Aten.EqTensor ? (x, y) => x == y : op == Aten.LtTensor ? (x, y) => x < y
                : op == Aten.LeTensor ? (x, y) => x <= y : op == Aten.GtTensor ? (x, y) => x > y : (x, y) => x >= y;
            if (Broadcast(a, b, (x, y) => test((long)x, (long)y) ? 1 : 0) is { } folded) return One(new ShapeValue(DType.Bool, folded.Dims, folded.Items));
        }
        var left = c.Tensor(0);
        var right = c.Tensor(1);
        return One(Call(op, left, right));
    }

    /// <summary>ONNX HardSigmoid is clamp(alpha*x + beta, 0, 1); torch's hardsigmoid is the alpha = 1/6 case.</summary>
    /// <summary>x + bias below −lambd, x − bias above lambd, 0 between (and for NaN, which is neither).</summary>
    private static OnnxValue[] Shrink(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        double lambd = c.Float("lambd", 0.5f), bias = c.Float("bias", 0f);
        var inner = Call(Aten.Where, Call(Aten.GtScalar, x, lambd), Call(Aten.Sub, x, bias), Call(Aten.ZerosLike, x));
        return One(Call(Aten.Where, Call(Aten.LtScalar, x, -lambd), Call(Aten.Add, x, bias), inner));
    }

    private static OnnxValue[] HardSigmoid(OnnxNodeContext c)
    {
        double alpha = c.Float("alpha", 0.2f), beta = c.Float("beta", 0.5f);
        var x = c.Tensor(0);
        if (Math.Abs(alpha - 1.0 / 6) < 1e-6 && Math.Abs(beta - 0.5) < 1e-6) return One(Call(Aten.Hardsigmoid, x));
        return One(Call(Aten.Clamp, Call(Aten.Add, Call(Aten.Mul, x, alpha), beta), 0.0, 1.0));
    }

    /// <summary>Clip: bounds as attributes before opset 11, as optional inputs from 11 on.</summary>
    private static OnnxValue[] Clip(OnnxNodeContext c)
    {
        var x = c.Tensor(0);
        if (c.Opset < 11)
        {
            double lo = c.Float("min", float.NegativeInfinity), hi = c.Float("max", float.PositiveInfinity);
            return One(Call(Aten.Clamp, x, double.IsNegativeInfinity(lo) ? null : lo, double.IsPositiveInfinity(hi) ? null : hi));
        }
        // Bounds computed from tensor data clamp elementwise; constant bounds are numbers.
        bool traced = Enumerable.Range(1, 2).Any(i => c.Has(i) && c.Tensor(i).IsFake);
        if (traced) return One(Call(Aten.ClampTensor, x, c.OptionalTensor(1), c.OptionalTensor(2)));
        return One(Call(Aten.Clamp, x, c.Has(1) ? ScalarOf(c.Tensor(1)) : null, c.Has(2) ? ScalarOf(c.Tensor(2)) : null));
    }

    private static OnnxValue[] Cast(OnnxNodeContext c)
    {
        var target = (OnnxDataType)c.Int("to", 0);
        var dtype = target.ToDType() ?? throw c.Fail($"casts to {target.Describe()}, which Graphport tensors cannot hold");
        if (c.Value(0) is ShapeValue s && dtype.IsIntegral(includeBool: false))
            return One(new ShapeValue(dtype, s.Dims, s.Items));
        var x = c.Tensor(0);
        return One(x.DType == dtype ? x : x.To(dtype));
    }
}
