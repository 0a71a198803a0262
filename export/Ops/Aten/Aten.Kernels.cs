using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Attaches eager CPU kernels to the ops of the reduction, linear-algebra, NN and factory families (pointwise,
/// view and copy ops declare theirs inline). Runs once, after every op field has been initialized.
/// </summary>
internal static partial class Aten
{
    static Aten()
    {
        Attach(SumDim, ReductionKernels.Sum(() => SumDim));
        Attach(Sum, ReductionKernels.Sum(() => Sum));
        Attach(MeanDim, ReductionKernels.Mean(() => MeanDim));
        Attach(Mean, ReductionKernels.Mean(() => Mean));
        Attach(Amax, ReductionKernels.Amax(() => Amax));
        Attach(Amin, ReductionKernels.Amin(() => Amin));
        // max()/min() of the whole tensor are amax/amin over every dim (an empty dim list).
        Attach(Max, a => Call(Amax, a[0], Array.Empty<long>(), false));
        Attach(Min, a => Call(Amin, a[0], Array.Empty<long>(), false));
        Attach(ProdDim, ReductionKernels.ProdDim);
        Attach(VarCorrection, ReductionKernels.Var);
        Attach(MaxDim, ReductionKernels.ValuesIndices(max: true));
        Attach(MinDim, ReductionKernels.ValuesIndices(max: false));
        Attach(Argmax, ReductionKernels.ArgExtremum(max: true));
        Attach(Argmin, ReductionKernels.ArgExtremum(max: false));
        Attach(AnyDims, ReductionKernels.AnyAll(any: true, withDims: true));
        Attach(Any, ReductionKernels.AnyAll(any: true, withDims: false));
        Attach(All, ReductionKernels.AnyAll(any: false, withDims: false));
        Attach(Cumsum, ReductionKernels.Cumsum);
        Attach(Cumprod, ReductionKernels.Cumprod);

        Attach(Mm, LinalgKernels.Mm);
        Attach(Addmm, LinalgKernels.Addmm);
        Attach(Bmm, LinalgKernels.Bmm);
        Attach(Dot, LinalgKernels.Dot);

        Attach(Convolution, NNKernels.Convolution);
        Attach(BatchNormNoTraining, NNKernels.BatchNormNoTraining);
        Attach(BatchNormFunctional, NNKernels.BatchNormFunctional);
        Attach(NativeLayerNorm, NNKernels.NativeLayerNorm);
        Attach(NativeGroupNorm, NNKernels.NativeGroupNorm);
        Attach(Embedding, NNKernels.Embedding);
        Attach(SoftmaxRaw, NNKernels.Softmax(log: false));
        Attach(LogSoftmaxRaw, NNKernels.Softmax(log: true));
        Attach(MaxPool2dWithIndices, NNKernels.MaxPool2dWithIndices);
        Attach(AvgPool2d, NNKernels.AvgPool2d);
        Attach(AdaptiveAvgPool2d, NNKernels.AdaptiveAvgPool2d);
        Attach(Cat, NNKernels.Cat);
        Attach(ConstantPadNd, NNKernels.ConstantPadNd);
        Attach(UpsampleNearest2d, NNKernels.Upsample(bilinear: false));
        Attach(UpsampleBilinear2d, NNKernels.Upsample(bilinear: true));
        Attach(IndexSelect, NNKernels.IndexSelect);
        Attach(Gather, NNKernels.Gather);
        Attach(Triu, NNKernels.Triangle(lower: false));
        Attach(Tril, NNKernels.Triangle(lower: true));

        Attach(Full, FactoryKernels.FromMeta(() => Full, a => a[1]!));
        Attach(Zeros, FactoryKernels.FromMeta(() => Zeros, _ => 0L));
        Attach(Ones, FactoryKernels.FromMeta(() => Ones, _ => 1L));
        Attach(EmptyMemoryFormat, FactoryKernels.FromMeta(() => EmptyMemoryFormat, _ => 0L));
        Attach(ScalarTensor, FactoryKernels.FromMeta(() => ScalarTensor, a => a[0]!));
        Attach(ZerosLike, FactoryKernels.FromMeta(() => ZerosLike, _ => 0L));
        Attach(OnesLike, FactoryKernels.FromMeta(() => OnesLike, _ => 1L));
        Attach(EmptyLike, FactoryKernels.FromMeta(() => EmptyLike, _ => 0L));
        Attach(FullLike, FactoryKernels.FromMeta(() => FullLike, a => a[1]!));
        Attach(ArangeStartStep, FactoryKernels.Arange);
        Attach(Arange, a => FactoryKernels.Arange(ArangeAsStartStep(Arange, a)));
        Attach(ArangeStart, a => FactoryKernels.Arange(ArangeAsStartStep(ArangeStart, a)));
        Attach(Rand, FactoryKernels.Random(() => Rand, normal: false));
        Attach(Randn, FactoryKernels.Random(() => Randn, normal: true));
        Attach(RandLike, FactoryKernels.Random(() => RandLike, normal: false));
        Attach(RandnLike, FactoryKernels.Random(() => RandnLike, normal: true));
        Attach(RandintLow, FactoryKernels.Randint);
        Attach(BernoulliP, FactoryKernels.Bernoulli);

        WireFunctionalization();
    }

    private static void Attach(OpOverload op, KernelFunction kernel)
    {
        if (op.Kernel is not null) throw new InvalidOperationException($"{op.Name} already has a kernel.");
        op.Kernel = kernel;
    }
}
