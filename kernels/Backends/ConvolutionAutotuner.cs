using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Backends;

/// <summary>
/// Picks, per convolution, between im2col + cuBLASLt and a <see cref="DirectConvKernel"/> (with its usual schedule
/// or the wide one, <see cref="DirectConvKernel.Wide"/>) by timing them on the device, as cudnn.benchmark picks a
/// convolution algorithm. The bucket is built once per way (every eligible convolution that way), each build's
/// steps are timed alone, each convolution takes the way whose steps (im2col and GEMM, or the direct kernel; the
/// fused prologue is in all) were fastest, and one more build mixes them when no whole build already is that mix.
/// The replays of the builds are then timed whole and the fastest is kept, so a choice that only won step by step
/// cannot make the program slower.
/// </summary>
internal sealed class ConvolutionAutotuner(ExportedProgram program, ShapeBinding bucket, PlannerOptions options, FusedProgram gemm, FusedProgram direct, FusedProgram? wide)
{
    public FusedProgram Gemm { get; } = gemm;

    public FusedProgram Direct { get; } = direct;

    /// <summary>Every eligible convolution direct on the wide schedule; null when no kernel's schedule would differ.</summary>
    public FusedProgram? Wide { get; } = wide;

    /// <summary>The candidate plans, when autotuning applies to this bucket: some convolution changes, no host step, and one weight upload serves them all.</summary>
    public static ConvolutionAutotuner? For(ExportedProgram program, ShapeBinding bucket, PlannerOptions options, FusedProgram plan)
    {
        if (options.DirectSmallChannelConvolutions || plan.HostOps.Count > 0) return null;
        var allDirect = options with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = null, WideDirectConvolutionNodes = null };
        var direct = FusionPlanner.Plan(program, bucket, allDirect);
        var kernels = direct.Steps.OfType<DirectConvKernel>().ToList();
        if (kernels.Count == 0 || direct.HostOps.Count > 0 || !plan.SharesWeightLayoutWith(direct)) return null;
        // The wide plan only where some kernel's schedule changes: otherwise it is the direct plan again.
        bool differs = kernels.Any(k => Codegen.CudaRenderer.DirectConvSchedule(k) != Codegen.CudaRenderer.DirectConvSchedule(k with { Wide = true }));
        var wide = differs ? FusionPlanner.Plan(program, bucket, allDirect with { WideDirectConvolutionNodes = kernels.Select(k => k.Origin!).ToHashSet(StringComparer.Ordinal) }) : null;
        return new ConvolutionAutotuner(program, bucket, options, plan, direct, wide is not null && plan.SharesWeightLayoutWith(wide) ? wide : null);
    }

    /// <summary>
    /// Builds the im2col + GEMM plan with <paramref name="build"/> and the other candidates with <paramref
    /// name="tryBuild"/> (null when one cannot be built), keeps the one whose replay is fastest, disposes the rest,
    /// and says what it chose through <paramref name="say"/>.
    /// </summary>
    public CudaBucket Choose(Func<FusedProgram, CudaBucket> build, Func<FusedProgram, CudaBucket?> tryBuild, long arenaBytes, CudaStream stream, int replays, Action<string> say)
    {
        var gemmBucket = build(Gemm);
        var candidates = new List<(string Name, FusedProgram Plan, CudaBucket Bucket)> { ("im2col + GEMM", Gemm, gemmBucket) };
        try
        {
            if (tryBuild(Direct) is { } directBucket) candidates.Add(("direct", Direct, directBucket));
            if (Wide is not null && tryBuild(Wide) is { } wideBucket) candidates.Add(("direct wide", Wide, wideBucket));
            if (candidates.Count == 1) return gemmBucket;
            var profiles = candidates.Select(c => (c.Plan, Times: c.Bucket.Profile(null, stream, replays))).ToList();
            var ways = FastestWays(profiles[0].Plan, profiles[0].Times, profiles.Skip(1).ToList());
            int eligible = Direct.Steps.OfType<DirectConvKernel>().Count();
            var directNodes = ways.Where(w => w.Value != Way.Gemm).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
            var wideNodes = ways.Where(w => w.Value == Way.Wide).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
            string detail = $"{directNodes.Count} of {eligible} convolution(s) faster direct" + (Wide is null ? "" : $" ({wideNodes.Count} on the wide schedule)");
            bool wholeBuild = directNodes.Count == 0 || (directNodes.Count == eligible && (wideNodes.Count == 0 || wideNodes.Count == eligible));
            if (!wholeBuild)
            {
                var mixed = FusionPlanner.Plan(program, bucket, options with { DirectSmallChannelConvolutions = true, DirectConvolutionNodes = directNodes, WideDirectConvolutionNodes = wideNodes });
                if (mixed.Memory.ArenaBytes <= arenaBytes && Gemm.SharesWeightLayoutWith(mixed) && tryBuild(mixed) is { } mixedBucket)
                    candidates.Add(("mixed", mixed, mixedBucket));
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

    /// <summary>How one convolution runs: im2col + GEMM, or a direct kernel on its usual or its wide schedule.</summary>
    public enum Way
    {
        Gemm,
        Direct,
        Wide,
    }

    /// <summary>
    /// Each direct-eligible convolution's fastest way: the steps of each plan timed alone and summed by the node that
    /// emitted them (<see cref="KernelStep.Origin"/>); a direct plan's kernel must beat the GEMM plan's steps (and
    /// the other direct plans) to be chosen. <paramref name="direct"/> lists the direct plans with their times; a
    /// plan is wide when its direct kernels are.
    /// </summary>
    public static IReadOnlyDictionary<string, Way> FastestWays(FusedProgram gemm, IReadOnlyList<StepTime> gemmTimes, IReadOnlyList<(FusedProgram Plan, IReadOnlyList<StepTime> Times)> direct)
    {
        var gemmByNode = ByOrigin(gemm, gemmTimes);
        var result = new Dictionary<string, Way>(StringComparer.Ordinal);
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (plan, times) in direct)
        {
            var byNode = ByOrigin(plan, times);
            foreach (var kernel in plan.Steps.OfType<DirectConvKernel>())
            {
                if (kernel.Origin is not { } node) continue;
                double ms = byNode.GetValueOrDefault(node, double.PositiveInfinity);
                double bar = best.GetValueOrDefault(node, gemmByNode.GetValueOrDefault(node, double.PositiveInfinity));
                if (!result.ContainsKey(node)) result[node] = Way.Gemm;
                if (ms < bar)
                {
                    best[node] = ms;
                    result[node] = kernel.Wide ? Way.Wide : Way.Direct;
                }
            }
        }
        return result;
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
