using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Backends;

/// <summary>
/// A program on the device: weights uploaded once, one activation arena sized for the largest bucket so far, a
/// cuBLASLt handle and workspace, and the buckets (see <see cref="CudaGraphRunner"/> for which bucket a call uses).
/// </summary>
internal sealed class CudaCompiledProgram : ICompiledProgram, IProfiledProgram
{
    private readonly CudaBackend backend;
    private readonly CudaStream stream;
    private readonly CublasLtHandle lt;
    private readonly CudaGraphRunner runner;
    private DeviceBuffer? weights;
    private DeviceBuffer? arena;
    private DeviceBuffer? workspace;

    public CudaCompiledProgram(CudaBackend backend, ExportedProgram program)
    {
        this.backend = backend;
        Program = program;
        var device = backend.Device;
        device.Bind();
        stream = device.CreateStream();
        lt = new CublasLtHandle(device.Context);
        var batch = program.RangeConstraints.Keys.FirstOrDefault();
        var max = batch is null ? 1 : program.RangeConstraints[batch].Upper;
        runner = new CudaGraphRunner(new ShapeBucketSelector(backend.Options.Buckets, batch, max, backend.Options.BucketCapacity), CreateBucket);
    }

    public ExportedProgram Program { get; }

    public object?[] Run(IReadOnlyList<Tensor> inputs)
    {
        // torch's input checks and messages before anything reaches the device: a wrong size must not pick a bucket.
        Program.CheckUserInputs(inputs);
        backend.Device.Bind();
        return ProgramPreparation.UserOutputs(Program, runner.Run(Program, inputs, stream));
    }

    public IReadOnlyList<StepTime> Profile(IReadOnlyList<Tensor> inputs, int repeats = 10)
    {
        backend.Device.Bind();
        return runner.Profile(Program, inputs, stream, repeats);
    }

    private CudaBucket CreateBucket(ShapeBinding bucket)
    {
        var device = backend.Device;
        FusedProgram plan = FusionPlanner.Plan(Program, bucket, backend.Options.Planner);
        foreach (var op in plan.HostOps) backend.Say($"host:{op}", $"cuda backend: {op} has no CUDA kernel; it runs on the host (CPU kernels) between device segments.");
        var alternative = DirectConvolutionAlternative(plan, bucket);
        try
        {
            if (weights is null)
            {
                weights = device.Allocate(plan.Memory.WeightBytes);
                foreach (var (buffer, value) in plan.Weights)
                {
                    var bytes = new byte[buffer.Bytes];
                    HostTensors.WriteBytes(value, bytes);
                    device.Upload(weights.Pointer + (ulong)plan.Memory.Placement(buffer).Offset, bytes);
                }
            }
            workspace ??= device.Allocate(backend.Options.CublasWorkspaceBytes);
            long arenaBytes = Math.Max(plan.Memory.ArenaBytes, alternative?.Memory.ArenaBytes ?? 0);
            if (arena is null || arena.Bytes < arenaBytes)
            {
                // Captured graphs hold arena addresses: growing the arena retires every bucket built on the old one.
                runner.Clear();
                arena?.Dispose();
                arena = null;
                arena = device.Allocate(Math.Max(arenaBytes, 256));
            }
            var built = Build(plan);
            if (alternative is null) return built;
            CudaBucket direct;
            try
            {
                direct = Build(alternative);
            }
            catch (Exception e)
            {
                // The candidate is an optimisation: if it cannot be built (or does not fit), the plan that could is kept.
                backend.Say($"autotune-failed:{e.Message}", $"cuda backend: {bucket}: direct convolutions could not be built ({e.Message}); keeping im2col + GEMM.");
                return built;
            }
            return Faster(bucket, built, direct);
        }
        catch (CudaOutOfMemoryException e)
        {
            var (free, total) = SafeMemoryInfo(device);
            throw new CudaOutOfMemoryException("compile",
                $"{Program.Graph.Nodes.Count}-node program at {bucket} needs {DeviceBuffer.Format(plan.Memory.ArenaBytes)} of activations, {DeviceBuffer.Format(plan.Memory.WeightBytes)} of weights and {DeviceBuffer.Format(backend.Options.CublasWorkspaceBytes)} of cuBLASLt workspace; " +
                $"the device has {DeviceBuffer.Format(free)} free of {DeviceBuffer.Format(total)} (what this compile allocated has been freed). Use a smaller batch or BucketPolicy.Exact.", e);
        }
    }

    private CudaBucket Build(FusedProgram plan)
    {
        var settings = new BucketSettings(backend.Options.AllowTf32Convolutions, backend.Options.AllowTf32Matmuls, backend.Options.MatmulAlgorithmCandidates)
        {
            NarrowIndices = backend.Options.NarrowIndices,
        };
        return new CudaBucket(backend.Device, plan, backend.Compiler, lt, arena!.Pointer, weights!.Pointer, workspace!.Pointer, workspace.Bytes, backend.Options.UseGraphs, stream, settings);
    }

    // The same bucket with direct small-channel convolutions, when the autotuner should weigh it: only if some
    // convolution changes, and the weights sit where the uploaded ones do (both plans share one weight allocation).
    private FusedProgram? DirectConvolutionAlternative(FusedProgram plan, ShapeBinding bucket)
    {
        var options = backend.Options;
        if (!options.ConvolutionAutotune || options.Planner.DirectSmallChannelConvolutions || plan.HostOps.Count > 0) return null;
        var direct = FusionPlanner.Plan(Program, bucket, options.Planner with { DirectSmallChannelConvolutions = true });
        if (!direct.Steps.OfType<DirectConvKernel>().Any() || direct.HostOps.Count > 0) return null;
        return plan.SharesWeightLayoutWith(direct) ? direct : null;
    }

    // Times both builds of a bucket on the device, keeps the faster, and says which and by how much.
    private CudaBucket Faster(ShapeBinding bucket, CudaBucket gemm, CudaBucket direct)
    {
        try
        {
            double gemmMs = gemm.ReplayMilliseconds(stream, backend.Options.AutotuneReplays);
            double directMs = direct.ReplayMilliseconds(stream, backend.Options.AutotuneReplays);
            bool keepDirect = directMs < gemmMs;
            backend.Say($"autotune:{Program.GetHashCode()}:{bucket}",
                $"cuda backend: {bucket}: {direct.Plan.Steps.OfType<DirectConvKernel>().Count()} convolution(s) direct {directMs:0.####} ms vs im2col + GEMM {gemmMs:0.####} ms per run; keeping {(keepDirect ? "direct" : "im2col + GEMM")}.");
            (keepDirect ? gemm : direct).Dispose();
            return keepDirect ? direct : gemm;
        }
        catch
        {
            gemm.Dispose();
            direct.Dispose();
            throw;
        }
    }

    private static (long, long) SafeMemoryInfo(CudaDevice device)
    {
        try { return device.MemoryInfo(); }
        catch (CudaException) { return (0, device.TotalMemory); }
    }

    public void Dispose()
    {
        runner.Clear();
        arena?.Dispose();
        workspace?.Dispose();
        weights?.Dispose();
        lt.Dispose();
        stream.Dispose();
    }
}
