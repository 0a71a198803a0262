using Graphport.Operators;

namespace Graphport;

/// <summary>
/// torch's in-place methods (x.sigmoid_(), x.clamp_(...), x.masked_fill_(...), x.index_put_(...), x.scatter_(...)):
/// each writes its functional op's result into this tensor and returns it; while tracing, the write is recorded
/// functionally (a mutated input or buffer is copied back at the program's end), as torch.export records it.
/// </summary>
public partial class Tensor
{
    // The in-place variant of a functional op (declared from it on first use).
    private Tensor InPlace(string name, params object?[] args) => (Tensor)OpRegistry.Instance[name].Call([this, .. args])!;

    public Tensor Abs_() => InPlace("aten::abs_");
    public Tensor Neg_() => InPlace("aten::neg_");
    public Tensor Exp_() => InPlace("aten::exp_");
    public Tensor Expm1_() => InPlace("aten::expm1_");
    public Tensor Log_() => InPlace("aten::log_");
    public Tensor Log1p_() => InPlace("aten::log1p_");
    public Tensor Sqrt_() => InPlace("aten::sqrt_");
    public Tensor Rsqrt_() => InPlace("aten::rsqrt_");
    public Tensor Sigmoid_() => InPlace("aten::sigmoid_");
    public Tensor Tanh_() => InPlace("aten::tanh_");
    public Tensor Sin_() => InPlace("aten::sin_");
    public Tensor Cos_() => InPlace("aten::cos_");
    public Tensor Erf_() => InPlace("aten::erf_");
    public Tensor Floor_() => InPlace("aten::floor_");
    public Tensor Ceil_() => InPlace("aten::ceil_");
    public Tensor Round_() => InPlace("aten::round_");
    public Tensor Trunc_() => InPlace("aten::trunc_");
    public Tensor Reciprocal_() => InPlace("aten::reciprocal_");
    public Tensor Sign_() => InPlace("aten::sign_");
    public Tensor Square_() => Mul_(this);

    public Tensor Clamp_(double? min = null, double? max = null) => InPlace("aten::clamp_", min is double a ? Num(a) : null, max is double b ? Num(b) : null);
    public Tensor ClampMin_(double min) => InPlace("aten::clamp_min_", Num(min));
    public Tensor ClampMax_(double max) => InPlace("aten::clamp_max_", Num(max));
    public Tensor Pow_(double exponent) => InPlace("aten::pow_.Tensor_Scalar", Num(exponent));
    public Tensor Pow_(Tensor exponent) => InPlace("aten::pow_.Tensor_Tensor", exponent);
    public Tensor Sub_(double other) => Aten.Call(Aten.Sub_, this, Num(other));
    public Tensor Lerp_(Tensor end, double weight) => InPlace("aten::lerp_.Scalar", end, Num(weight));
    public Tensor Addcmul_(Tensor tensor1, Tensor tensor2, double value = 1) => (Tensor)OpRegistry.Instance["aten::addcmul_"].Call([this, tensor1, tensor2], new Dictionary<string, object?> { ["value"] = value })!;
    public Tensor Addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1) => (Tensor)OpRegistry.Instance["aten::addcdiv_"].Call([this, tensor1, tensor2], new Dictionary<string, object?> { ["value"] = value })!;
    public Tensor NanToNum_(double? nan = null, double? posinf = null, double? neginf = null) => InPlace("aten::nan_to_num_", nan, posinf, neginf);
    public Tensor Tril_(long diagonal = 0) => InPlace("aten::tril_", (SymInt)diagonal);
    public Tensor Triu_(long diagonal = 0) => InPlace("aten::triu_", (SymInt)diagonal);

    /// <summary>Sets the elements where mask is true to value (attention masks: scores.MaskedFill_(mask, float.NegativeInfinity)).</summary>
    public Tensor MaskedFill_(Tensor mask, double value) => InPlace("aten::masked_fill_.Scalar", mask, Num(value));
    public Tensor MaskedFill_(Tensor mask, Tensor value) => InPlace("aten::masked_fill_.Tensor", mask, value);

    /// <summary>Writes values at the positions the index tensors pick (added to what is there with accumulate).</summary>
    public Tensor IndexPut_(Tensor?[] indices, Tensor values, bool accumulate = false) => InPlace("aten::index_put_", indices, values, accumulate);
    public Tensor Scatter_(long dim, Tensor index, Tensor src) => InPlace("aten::scatter_.src", dim, index, src);
    public Tensor Scatter_(long dim, Tensor index, double value) => InPlace("aten::scatter_.value", dim, index, Num(value));
    public Tensor ScatterAdd_(long dim, Tensor index, Tensor src) => InPlace("aten::scatter_add_", dim, index, src);
    public Tensor IndexAdd_(long dim, Tensor index, Tensor source, double alpha = 1) => (Tensor)OpRegistry.Instance["aten::index_add_"].Call([this, dim, index, source], new Dictionary<string, object?> { ["alpha"] = Alpha(alpha) })!;
    public Tensor IndexCopy_(long dim, Tensor index, Tensor source) => InPlace("aten::index_copy_", dim, index, source);
    public Tensor IndexFill_(long dim, Tensor index, double value) => InPlace("aten::index_fill_.int_Scalar", dim, index, Num(value));

    /// <summary>Fills with uniform samples from [from, to).</summary>
    public Tensor Uniform_(double from = 0, double to = 1) => InPlace("aten::uniform_", from, to);

    /// <summary>Fills with normal samples.</summary>
    public Tensor Normal_(double mean = 0, double std = 1) => Aten.Call(Aten.Normal_, this, mean, std);

    /// <summary>Fills with exponential samples of rate lambda.</summary>
    public Tensor Exponential_(double lambda = 1) => InPlace("aten::exponential_", lambda);

    /// <summary>Fills with 1 (probability p) or 0.</summary>
    public Tensor Bernoulli_(double p = 0.5) => Aten.Call(Aten.BernoulliFloat_, this, p);
}
