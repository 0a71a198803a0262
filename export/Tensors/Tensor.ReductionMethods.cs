namespace Graphport;

/// <summary>torch.Tensor's reductions beyond sum and mean: products, norms, any/all along a dim, running log-sum-exp.</summary>
public partial class Tensor
{
    /// <summary>The product of all elements (integers widen to int64 unless dtype says otherwise).</summary>
    public Tensor Prod(DType? dtype = null) => Aten.CallKw(Aten.Prod, [this], ("dtype", dtype));

    /// <summary>The product along dim.</summary>
    public Tensor Prod(long dim, bool keepdim = false, DType? dtype = null) => Aten.CallKw(Aten.ProdDim, [this, dim, keepdim], ("dtype", dtype));

    /// <summary>
    /// The p-norm (sum |x|^p)^(1/p) over dims, every element when dims is null: 2 is the Euclidean norm, infinity the
    /// largest |x|, 0 the count of non-zeros. Recorded as linalg_vector_norm, as torch's x.norm() is.
    /// </summary>
    public Tensor Norm(double p = 2, long[]? dims = null, bool keepdim = false) => Aten.Call(Aten.LinalgVectorNorm, this, Order(p), dims, keepdim);

    /// <summary>The p-norm along one dim.</summary>
    public Tensor Norm(double p, long dim, bool keepdim = false) => Norm(p, [dim], keepdim);

    /// <summary>The p-norm of self - other.</summary>
    public Tensor Dist(Tensor other, double p = 2) => Aten.Call(Aten.Dist, this, other, Order(p));

    /// <summary>A whole order as an int, as torch records x.norm(2) (2, where 2.0 would print as 2.0); ±inf and
    /// fractions stay floats.</summary>
    private static object Order(double p) => double.IsFinite(p) && p == Math.Round(p) && Math.Abs(p) < 1e15 ? (object)(long)p : p;

    /// <summary>Whether every element along dim is non-zero.</summary>
    public Tensor All(long dim, bool keepdim = false) => Aten.Call(Aten.AllDim, this, dim, keepdim);

    /// <summary>Whether any element along dim is non-zero.</summary>
    public Tensor Any(long dim, bool keepdim = false) => Aten.Call(Aten.AnyDim, this, dim, keepdim);

    /// <summary>Running log(sum(exp(x))) along dim, without overflow.</summary>
    public Tensor Logcumsumexp(long dim) => Aten.Call(Aten.Logcumsumexp, this, dim);
}
