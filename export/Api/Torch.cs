using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The torch namespace: tensor factories, elementwise functions, and the export entry points.
/// Bring it in with <c>using static Graphport.Torch;</c> to write Randn(8, 100), Sin(x), Export(...).
/// </summary>
public static partial class Torch
{
    /// <summary>Every operator overload, by name: Ops["aten::add.Tensor"].Schema.IsMutable.</summary>
    public static OpRegistry Ops => OpRegistry.Instance;

    // What torch.export writes into every factory call it traces: the device the tensor is made on and
    // pin_memory=False (the *_like ones take their device from their input, so only pin_memory).
    private static readonly (string, object?)[] OnCpu = [("device", Device.Cpu), ("pin_memory", false)];
    private static readonly (string, object?)[] NotPinned = [("pin_memory", false)];

    private static (string, object?)[] WithDType(DType? dtype) => dtype is null ? OnCpu : [("dtype", dtype), .. OnCpu];

    public static Graphport.Tensor Randn(params long[] shape) => Aten.CallKw(Aten.Randn, [shape], OnCpu);

    public static Graphport.Tensor Randn(long[] shape, DType dtype) => Aten.CallKw(Aten.Randn, [shape], WithDType(dtype));

    public static Graphport.Tensor Rand(params long[] shape) => Aten.CallKw(Aten.Rand, [shape], OnCpu);

    public static Graphport.Tensor Rand(long[] shape, DType dtype) => Aten.CallKw(Aten.Rand, [shape], WithDType(dtype));

    public static Graphport.Tensor Rand(SymInt[] shape, DType? dtype = null) => Aten.CallKw(Aten.Rand, [shape], WithDType(dtype));

    public static Graphport.Tensor Randint(long low, long high, params long[] shape) => Aten.CallKw(Aten.RandintLow, [low, high, shape], OnCpu);

    public static Graphport.Tensor Zeros(params long[] shape) => Aten.CallKw(Aten.Zeros, [shape], OnCpu);

    public static Graphport.Tensor Zeros(SymInt[] shape, DType? dtype = null) => Aten.CallKw(Aten.Zeros, [shape], WithDType(dtype));

    public static Graphport.Tensor Zeros(long[] shape, DType dtype) => Aten.CallKw(Aten.Zeros, [shape], WithDType(dtype));

    public static Graphport.Tensor Ones(params long[] shape) => Aten.CallKw(Aten.Ones, [shape], OnCpu);

    public static Graphport.Tensor Ones(SymInt[] shape, DType? dtype = null) => Aten.CallKw(Aten.Ones, [shape], WithDType(dtype));

    public static Graphport.Tensor Ones(long[] shape, DType dtype) => Aten.CallKw(Aten.Ones, [shape], WithDType(dtype));

    public static Graphport.Tensor Full(long[] shape, double value, DType? dtype = null) => Aten.CallKw(Aten.Full, [shape, value], WithDType(dtype));

    public static Graphport.Tensor Full(long[] shape, long value, DType? dtype = null) => Aten.CallKw(Aten.Full, [shape, value], WithDType(dtype));

    public static Graphport.Tensor Empty(params long[] shape) => Aten.CallKw(Aten.EmptyMemoryFormat, [shape], OnCpu);

    public static Graphport.Tensor ZerosLike(Graphport.Tensor t) => Aten.CallKw(Aten.ZerosLike, [t], NotPinned);

    /// <summary>Zeros of t's shape in another dtype (torch.zeros_like(t, dtype=...)).</summary>
    public static Graphport.Tensor ZerosLike(Graphport.Tensor t, DType dtype) => Aten.CallKw(Aten.ZerosLike, [t], [("dtype", dtype), .. NotPinned]);

    public static Graphport.Tensor OnesLike(Graphport.Tensor t) => Aten.CallKw(Aten.OnesLike, [t], NotPinned);

    public static Graphport.Tensor EmptyLike(Graphport.Tensor t) => Aten.CallKw(Aten.EmptyLike, [t], NotPinned);

    public static Graphport.Tensor FullLike(Graphport.Tensor t, double value) => Aten.CallKw(Aten.FullLike, [t, value], NotPinned);

    public static Graphport.Tensor RandLike(Graphport.Tensor t) => Aten.CallKw(Aten.RandLike, [t], NotPinned);

    public static Graphport.Tensor RandnLike(Graphport.Tensor t) => Aten.CallKw(Aten.RandnLike, [t], NotPinned);

    // Each form records the overload torch.arange's does: arange(end) is arange.default, arange(start, end)
    // arange.start, and only a step makes it arange.start_step (the Core ATen form the others decompose to).
    public static Graphport.Tensor Arange(long end) => Aten.CallKw(Aten.Arange, [end], OnCpu);

    /// <summary>Arange(5): an int literal converts equally well to long and to SymInt, so it gets its own overload.</summary>
    public static Graphport.Tensor Arange(int end) => Arange((long)end);

    public static Graphport.Tensor Arange(SymInt end) => Aten.CallKw(Aten.Arange, [end], OnCpu);

    public static Graphport.Tensor Arange(long start, long end) => Aten.CallKw(Aten.ArangeStart, [start, end], OnCpu);

    public static Graphport.Tensor Arange(long start, long end, long step) => Aten.CallKw(Aten.ArangeStartStep, [start, end, step], OnCpu);

    public static Graphport.Tensor Arange(double start, double end) => Aten.CallKw(Aten.ArangeStart, [start, end], OnCpu);

    /// <summary>steps evenly spaced values from start to end, both included (float32 unless dtype says otherwise).</summary>
    public static Graphport.Tensor Linspace(double start, double end, long steps, DType? dtype = null) => Aten.CallKw(Aten.Linspace, [start, end, steps], WithDType(dtype));

    public static Graphport.Tensor Arange(double start, double end, double step) => Aten.CallKw(Aten.ArangeStartStep, [start, end, step], OnCpu);

    /// <summary>A 0-dim tensor holding one number (float32 for doubles, int64 for longs, bool for bools).</summary>
    public static Graphport.Tensor ScalarTensor(double value) => Aten.Call(Aten.ScalarTensor, value);

    public static Graphport.Tensor ScalarTensor(long value) => Aten.CallKw(Aten.ScalarTensor, [value], ("dtype", DType.Int64));

    public static Graphport.Tensor ScalarTensor(bool value) => Aten.CallKw(Aten.ScalarTensor, [value], ("dtype", DType.Bool));

    /// <summary>torch.tensor: copies data (a scalar, a flat or rectangular array) into a new tensor.</summary>
    public static Graphport.Tensor Tensor(Array data, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = Enumerable.Range(0, data.Rank).Select(d => (long)data.GetLength(d)).ToArray();
        var elementType = data.GetType().GetElementType()!;
        var flat = Array.CreateInstance(elementType, data.Length);
        int i = 0;
        foreach (var item in data) flat.SetValue(item, i++);
        if (elementType == typeof(decimal) || elementType == typeof(short) || elementType == typeof(ushort) || elementType == typeof(uint) || elementType == typeof(ulong))
            throw new ArgumentException($"Arrays of {elementType.Name} cannot become tensors; use float, double, long, int, sbyte, byte or bool.", nameof(data));
        var result = Graphport.Tensor.FromArray(flat, shape);
        return dtype is DType target && target != result.DType ? result.To(target) : result;
    }

    public static Graphport.Tensor Tensor(double value) => ScalarTensor(value);

    /// <summary>Seeds the default random generator: Randn/Rand/Dropout then repeat exactly.</summary>
    public static void ManualSeed(ulong seed) => Cpu.RandomGenerator.ManualSeed(seed);

    // Elementwise functions (torch.sin, torch.relu, ...).
    public static Graphport.Tensor Sin(Graphport.Tensor x) => x.Sin();
    public static Graphport.Tensor Cos(Graphport.Tensor x) => x.Cos();
    public static Graphport.Tensor Tan(Graphport.Tensor x) => x.Tan();
    public static Graphport.Tensor Exp(Graphport.Tensor x) => x.Exp();
    public static Graphport.Tensor Log(Graphport.Tensor x) => x.Log();
    public static Graphport.Tensor Sqrt(Graphport.Tensor x) => x.Sqrt();
    public static Graphport.Tensor Abs(Graphport.Tensor x) => x.Abs();
    public static Graphport.Tensor Tanh(Graphport.Tensor x) => x.Tanh();
    public static Graphport.Tensor Sigmoid(Graphport.Tensor x) => x.Sigmoid();
    public static Graphport.Tensor Relu(Graphport.Tensor x) => x.Relu();
    public static Graphport.Tensor Neg(Graphport.Tensor x) => x.Neg();
    public static Graphport.Tensor Maximum(Graphport.Tensor a, Graphport.Tensor b) => a.Maximum(b);
    public static Graphport.Tensor Minimum(Graphport.Tensor a, Graphport.Tensor b) => a.Minimum(b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, Graphport.Tensor a, Graphport.Tensor b) => Aten.Call(Aten.Where, condition, a, b);
    // A number for a branch is recorded as torch records it: where.ScalarOther / where.ScalarSelf / where.Scalar
    // (where.self takes tensors only). An integer keeps an integer tensor's dtype; a float promotes it.
    public static Graphport.Tensor Where(Graphport.Tensor condition, Graphport.Tensor a, double b) => Aten.Call(Aten.WhereScalarOther, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, Graphport.Tensor a, long b) => Aten.Call(Aten.WhereScalarOther, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, double a, Graphport.Tensor b) => Aten.Call(Aten.WhereScalarSelf, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, long a, Graphport.Tensor b) => Aten.Call(Aten.WhereScalarSelf, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, double a, double b) => Aten.Call(Aten.WhereScalar, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, long a, long b) => Aten.Call(Aten.WhereScalar, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, long a, double b) => Aten.Call(Aten.WhereScalar, condition, a, b);
    public static Graphport.Tensor Where(Graphport.Tensor condition, double a, long b) => Aten.Call(Aten.WhereScalar, condition, a, b);
    public static Graphport.Tensor Matmul(Graphport.Tensor a, Graphport.Tensor b) => a.Matmul(b);
    public static Graphport.Tensor Mm(Graphport.Tensor a, Graphport.Tensor b) => a.Mm(b);
    public static Graphport.Tensor Bmm(Graphport.Tensor a, Graphport.Tensor b) => a.Bmm(b);
    public static Graphport.Tensor Sum(Graphport.Tensor x) => x.Sum();
    public static Graphport.Tensor Mean(Graphport.Tensor x) => x.Mean();
    public static Graphport.Tensor Cat(IEnumerable<Graphport.Tensor> tensors, long dim = 0) => Aten.Call(Aten.Cat, tensors.ToArray(), dim);
    public static Graphport.Tensor Stack(IEnumerable<Graphport.Tensor> tensors, long dim = 0) => Aten.Call(Aten.Stack, tensors.ToArray(), dim);
    public static Graphport.Tensor Flatten(Graphport.Tensor x, long startDim = 0, long endDim = -1) => x.Flatten(startDim, endDim);
    public static Graphport.Tensor Softmax(Graphport.Tensor x, long dim) => x.Softmax(dim);
    public static Graphport.Tensor Clamp(Graphport.Tensor x, double? min = null, double? max = null) => x.Clamp(min, max);
    public static Graphport.Tensor Tril(Graphport.Tensor x, long diagonal = 0) => x.Tril(diagonal);
    public static Graphport.Tensor Triu(Graphport.Tensor x, long diagonal = 0) => x.Triu(diagonal);
    public static Graphport.Tensor EmptyStrided(long[] shape, long[] strides) => Aten.Call(Aten.AsStrided, Empty(shape.Length == 0 ? [] : [shape.Zip(strides).Max(p => (p.First - 1) * p.Second) + 1]), shape, strides);
}

public static partial class Torch
{
    /// <summary>
    /// Traces module.Forward on the example inputs into an <see cref="ExportedProgram"/> (torch.export.export).
    /// Strict mode (the default) first rejects code that cannot be one graph, naming the line and the fix.
    /// </summary>
    public static ExportedProgram Export(Module module, object?[] args, Dictionary<string, object?>? kwargs = null, DynamicShapes? dynamicShapes = null, bool strict = true) =>
        Exporter.Export(module, args, kwargs, dynamicShapes, strict);

    /// <summary>
    /// Traces a function (a method, local function or lambda taking tensors: <c>Export(MapExample, [Randn(4, 3)])</c>)
    /// into an <see cref="ExportedProgram"/>, as torch.export.export does for a callable. <paramref name="args"/> are its
    /// positional arguments, <paramref name="kwargs"/> and <paramref name="dynamicShapes"/> name its parameters, as they
    /// name Forward's for a module. Tensors the function captures (a closure's tensors, a captured module's weights)
    /// become constants of the program; export a module, or its bound method (<c>Export(model.Forward, ...)</c>), to
    /// keep its weights as parameters and buffers.
    /// </summary>
    public static ExportedProgram Export(Delegate function, object?[] args, Dictionary<string, object?>? kwargs = null, DynamicShapes? dynamicShapes = null, bool strict = true) =>
        Exporter.Export(function, args, kwargs, dynamicShapes, strict);
}
