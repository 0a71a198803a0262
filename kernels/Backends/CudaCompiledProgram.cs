using System.Runtime.CompilerServices;
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
        using var activity = KernelTelemetry.StartExecute(backend.Name, backend.DeviceLabel);
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

    public double ReplayMilliseconds(IReadOnlyList<Tensor> inputs, int repeats = 20, bool includeCopies = true)
    {
        backend.Device.Bind();
        return runner.ReplayMilliseconds(Program, inputs, stream, repeats, includeCopies);
    }

    private CudaBucket CreateBucket(ShapeBinding bucket)
    {
        var device = backend.Device;
        FusedProgram plan = FusionPlanner.Plan(Program, bucket, backend.Options.Planner);
        foreach (var op in plan.HostOps) backend.Say($"host:{op}", $"cuda backend: {op} has no CUDA kernel; it runs on the host (CPU kernels) between device segments.");
        // Autotuning replays the bucket: a program that writes its buffers (a cache, a counter) would write them on each
        // replay before its first call, so it is not tuned.
        var tuner = backend.Options.ConvolutionAutotune && !plan.Outputs.Any(o => o.WritesState) ? ConvolutionAutotuner.For(Program, bucket, backend.Options.Planner, plan) : null;
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
            long arenaBytes = Math.Max(plan.Memory.ArenaBytes, Math.Max(tuner?.Direct.Memory.ArenaBytes ?? 0, tuner?.Wide?.Memory.ArenaBytes ?? 0));
            if (arena is null || arena.Bytes < arenaBytes)
            {
                // Captured graphs hold arena addresses: growing the arena retires every bucket built on the old one.
                runner.Clear();
                arena?.Dispose();
                arena = null;
                try
                {
                    arena = device.Allocate(Math.Max(arenaBytes, 256));
                }
                catch (CudaOutOfMemoryException) when (tuner is not null && arenaBytes > plan.Memory.ArenaBytes)
                {
                    // The direct candidate needs more activations than fit: weigh nothing, keep the plan that may fit.
                    backend.Say($"autotune-memory:{bucket}", $"cuda backend: {bucket}: no device memory for the direct convolution candidate's {DeviceBuffer.Format(arenaBytes)} of activations; keeping im2col + GEMM.");
                    tuner = null;
                    arena = device.Allocate(Math.Max(plan.Memory.ArenaBytes, 256));
                }
            }
            if (tuner is null) return Build(plan);
            return tuner.Choose(Build, TryBuild, arena.Bytes, stream, backend.Options.AutotuneReplays, message => backend.Say($"autotune:{RuntimeHelpers.GetHashCode(this)}:{bucket}", message));
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

    // An autotuning candidate is an optimisation: if it cannot be built (or does not fit), the others are kept.
    private CudaBucket? TryBuild(FusedProgram plan)
    {
        try
        {
            return Build(plan);
        }
        catch (Exception e)
        {
            backend.Say($"autotune-failed:{e.Message}", $"cuda backend: a convolution autotuning candidate at {plan.Shapes} could not be built ({e.Message}); the other is kept.");
            return null;
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
