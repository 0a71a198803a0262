namespace Graphport.Kernels.Conformance;

/// <summary>
/// Modules whose forward writes a buffer, for the stateful op cases: a backend must carry the written value to
/// the next call on its own memory (a GPU keeps it on the device), as a static key/value cache needs.
/// </summary>
internal static class StatefulModules
{
    /// <summary>A running sum: the buffer grows by each call's input.</summary>
    internal sealed class RunningSum(params long[] shape) : Module<Tensor, Tensor>
    {
        private readonly Buffer total = new(Torch.Zeros(shape));

        public override Tensor Forward(Tensor x)
        {
            total.Add_(x);
            return total * 2.0;
        }
    }

    /// <summary>A step counter: read, then advanced from its own value alone (no input touches it).</summary>
    internal sealed class StepCounter(params long[] shape) : Module<Tensor, Tensor>
    {
        private readonly Buffer step = new(Torch.Zeros(shape));

        public override Tensor Forward(Tensor x)
        {
            var before = step * 2.0;
            step.Add_(1.0);
            return before + x;
        }
    }

    /// <summary>
    /// A key/value cache: each call writes its rows at the positions it is given (index_copy_ along the sequence,
    /// as transformers' StaticCache does) and reads the whole cache back.
    /// </summary>
    internal sealed class PositionCache(long batch, long positions, long width) : Module<Tensor, Tensor, Tensor>
    {
        private readonly Buffer cache = new(Torch.Zeros([batch, positions, width]), persistent: false);

        public override Tensor Forward(Tensor rows, Tensor at)
        {
            Torch.Ops["aten::index_copy_"].CallTensor(cache, 1L, at, rows);
            // One rounding on every backend, so the case can ask for exact equality: a multiply then an add would be
            // contracted into one FMA by NVRTC (one rounding where the CPU rounds twice, 1 ulp apart on the H200).
            return cache + 1.0;
        }
    }
}
