using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Backends;

/// <summary>
/// Picks, per convolution, between im2col + cuBLASLt and a <see cref="DirectConvKernel"/> by timing both on the
/// device, as cudnn.benchmark picks a convolution algorithm. The bucket is built twice (every eligible
/// convolution one way, then the other), each build's steps are timed alone, each convolution takes the way
/// whose steps (im2col and GEMM, or the direct kernel; the fused prologue is in both) were faster, and a third
/// build mixes them when neither whole build already is that mix. The replays of the builds are then timed
/// whole and the fastest is kept, so a choice that only won step by step cannot make the program slower.
/// </summary>
internal sealed class ConvolutionAutotuner(ExportedProgram program, ShapeBinding bucket, PlannerOptions options, FusedProgram gemm, FusedProgram direct)
{
    public FusedProgram Gemm { get; } = gemm;

    public FusedProgram Direct { get; } = direct;

    /// <summary>The direct build's plan, when autotuning applies to this bucket: some convolution changes, no host step, and one weight upload serves both.</summary>
    public static ConvolutionAutotuner? For(ExportedProgram program, ShapeBinding bucket, PlannerOptions options, FusedProgram plan)
    {
        if (options.DirectSmallChannelConvolutions || plan.HostOps.Count > 0) return null;
        var direct = FusionPlanner.Plan(program, bucket, options with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = null });
        if (!direct.Steps.OfType<DirectConvKernel>().Any() || direct.HostOps.Count > 0 || !plan.SharesWeightLayoutWith(direct)) return null;
        return new ConvolutionAutotuner(program, bucket, options, plan, direct);
    }

    /// <summary>
    /// Builds the im2col + GEMM plan with <paramref name="build"/> and the other candidates with <paramref
    /// name="tryBuild"/> (null when one cannot be built), keeps the one whose replay is fastest, disposes the rest,
    /// and says what it chose through <paramref name="say"/>.
    /// </summary>
    public CudaBucket Choose(Func<FusedProgram, CudaBucket> build, Func<FusedProgram, CudaBucket?> tryBuild, long arenaBytes, CudaStream stream, int replays, Action<string> say)
    {
        var gemmBucket = build(Gemm);
        var directBucket = tryBuild(Direct);
        if (directBucket is null) return gemmBucket;
        var candidates = new List<(string Name, CudaBucket Bucket)> { ("im2col + GEMM", gemmBucket), ("direct", directBucket) };
        try
        {
            var chosen = DirectWhereFaster(Gemm, gemmBucket.Profile(null, stream, replays), Direct, directBucket.Profile(null, stream, replays));
            int eligible = Direct.Steps.OfType<DirectConvKernel>().Count();
            string detail = $"{chosen.Count} of {eligible} convolution(s) faster direct";
            if (chosen.Count > 0 && chosen.Count < eligible)
            {
                var mixed = FusionPlanner.Plan(program, bucket, options with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = chosen });
                if (mixed.Memory.ArenaBytes <= arenaBytes && Gemm.SharesWeightLayoutWith(mixed) && tryBuild(mixed) is { } mixedBucket)
                    candidates.Add(("mixed", mixedBucket));
            }
            var timed = candidates.Select(c => (c.Name, c.Bucket, Ms: c.Bucket.ReplayMilliseconds(stream, replays))).ToList();
            var best = timed.MinBy(c => c.Ms);
            say($"cuda backend: {bucket}: {detail}; replay {string.Join(", ", timed.Select(c => $"{c.Name} {c.Ms:0.####} ms"))}; keeping {best.Name}.");
            foreach (var c in candidates.Where(c => c.Bucket != best.Bucket)) c.Bucket.Dispose();
            return best.Bucket;
        }
        catch (Exception e) when (e is not CudaOutOfMemoryException)
        {
            // Timing is an optimisation: if it fails, the plan the backend would have used without it is kept.
            say($"cuda backend: {bucket}: timing the convolution candidates failed ({e.Message}); keeping im2col + GEMM.");
            foreach (var c in candidates.Where(c => c.Bucket != gemmBucket)) c.Bucket.Dispose();
            return gemmBucket;
        }
        catch
        {
            foreach (var c in candidates) c.Bucket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The convolutions whose direct kernel took less device time than their im2col and GEMM steps: each plan's
    /// step times summed by the node that emitted them (<see cref="KernelStep.Origin"/>).
    /// </summary>
    public static IReadOnlySet<string> DirectWhereFaster(FusedProgram gemm, IReadOnlyList<StepTime> gemmTimes, FusedProgram direct, IReadOnlyList<StepTime> directTimes)
    {
        var gemmByNode = ByOrigin(gemm, gemmTimes);
        var directByNode = ByOrigin(direct, directTimes);
        return direct.Steps.OfType<DirectConvKernel>()
            .Select(k => k.Origin)
            .OfType<string>()
            .Where(node => directByNode.GetValueOrDefault(node, double.PositiveInfinity) < gemmByNode.GetValueOrDefault(node, double.PositiveInfinity))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static Dictionary<string, double> ByOrigin(FusedProgram plan, IReadOnlyList<StepTime> times)
    {
        var origins = plan.Steps.Where(s => s.Origin is not null).ToDictionary(s => s.Name, s => s.Origin!, StringComparer.Ordinal);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var time in times)
            if (origins.TryGetValue(time.Name, out var node)) result[node] = result.GetValueOrDefault(node) + time.Milliseconds;
        return result;
    }
}
