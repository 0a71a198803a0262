using Graphport.Kernels.Codegen;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;
using Graphport.Kernels.Twin;

namespace Graphport.Kernels.Backends;

/// <summary>
/// One shape bucket on the device: its CUBIN, prepared launches and cuBLASLt calls with addresses baked in, the
/// pinned staging for inputs and outputs, and the captured graph of each device segment (segments are split by
/// host steps). A call copies inputs into staging, replays the graphs, and copies results out: no allocation.
/// </summary>
internal sealed class CudaBucket : IDisposable
{
    private readonly CudaDevice device;
    private readonly FusedProgram plan;
    private readonly CudaModule? module;
    private readonly List<IDisposable> owned = [];
    private readonly List<List<Action<CudaStream>>> segments = [[]];
    // What each action of each segment is, for Profile: a step's name, or the input/output copy it does.
    private readonly List<List<(string Name, string Kind, string Comment)>> labels = [[]];
    private readonly List<HostStep?> hostAfterSegment = [];
    private readonly List<CudaGraphExec?> graphs = [];
    private readonly PinnedHostBuffer staging;
    private readonly ulong arena;
    private readonly ulong weights;
    private readonly List<(BufferRef Buffer, long Offset)> inputSlots = [];
    private readonly List<(ProgramOutput Output, long Offset)> outputSlots = [];
    // The module's index fault record (kernels/Cuda/prelude.cu, gp_index_faults) and where each run copies it in staging.
    private readonly ulong? indexFaults;
    private readonly long indexFaultSlot;

    public CudaBucket(CudaDevice device, FusedProgram plan, NvrtcCompiler compiler, CublasLtHandle lt, ulong arena, ulong weights, ulong workspace, long workspaceBytes, bool useGraphs, CudaStream stream, BucketSettings settings)
    {
        this.device = device;
        this.plan = plan;
        this.arena = arena;
        this.weights = weights;
        try
        {
            if (plan.GeneratedKernels.Any())
            {
                module = device.LoadModule(CudaCompiler.Cubin(plan, compiler, device.Architecture, settings.NarrowIndices));
                owned.Add(module);
            }
            long stagingBytes = 0;
            foreach (var input in plan.UserInputs) { inputSlots.Add((input, stagingBytes)); stagingBytes += MemoryPlanner.Align(input.Bytes); }
            // What the program writes into its buffers stays on the device (the plan's last steps put it in the buffers'
            // own memory): a key/value cache is not copied to the host after every token.
            foreach (var output in plan.Outputs.Where(o => o.View is not null && !o.WritesState))
            {
                outputSlots.Add((output, stagingBytes));
                stagingBytes += MemoryPlanner.Align(output.View!.Buffer.Bytes);
            }
            if (module is not null && plan.FaultSites.Count > 0 && module.TryGetGlobal("gp_index_faults", out var faults, out _))
            {
                indexFaults = faults;
                indexFaultSlot = stagingBytes;
                stagingBytes += MemoryPlanner.Align(IndexFaultBytes);
            }
            staging = device.AllocatePinned(Math.Max(stagingBytes, 1));
            // Zeros until a call writes inputs: an autotuning replay (no inputs) then gathers row 0, never outside a table.
            staging.Span.Clear();
            owned.Add(staging);

            if (indexFaults is { } clear)
            {
                // Every run starts with a clean record, so a fault is this run's (a profiling replay may leave one).
                segments[^1].Add(s => s.Fill32(clear, 0, IndexFaultBytes / 4));
                labels[^1].Add(("clear_index_faults", "fill", $"{IndexFaultBytes} B of the index checks' record"));
            }
            foreach (var (buffer, offset) in inputSlots)
            {
                ulong destination = Address(buffer, 0);
                nint source = staging.Pointer + (nint)offset;
                long bytes = buffer.Bytes;
                segments[^1].Add(s => s.CopyToDevice(destination, source, bytes));
                labels[^1].Add(("copy_in", "copy", $"{DeviceBuffer.Format(bytes)} host to device"));
            }
            foreach (var step in plan.Steps)
            {
                switch (step)
                {
                    case HostStep host:
                        hostAfterSegment.Add(host);
                        segments.Add([]);
                        labels.Add([]);
                        break;
                    case MatmulStep m:
                    {
                        var matmul = new CublasLtMatmul(lt, m.Problem, Address, workspace, workspaceBytes, settings with { Device = device, Stream = stream });
                        owned.Add(matmul);
                        segments[^1].Add(matmul.Run);
                        labels[^1].Add((m.Name, "cublasLt", $"{m.Comment}; {matmul.ComputeType}, {matmul.Candidates} candidate(s)" +
                            (matmul.TunedMilliseconds is { } tuned ? $", tuned {tuned:0.####} ms" : "")));
                        break;
                    }
                    default:
                    {
                        var launch = CudaRenderer.Launch(step, device.MultiprocessorCount);
                        var args = CudaRenderer.Parameters(step).Select(b => Address(b, 0)).ToList();
                        var kernel = new KernelLaunch(module!.GetFunction(step.Name), (uint)launch.Grid, (uint)launch.Block, 0, args);
                        owned.Add(kernel);
                        segments[^1].Add(kernel.Launch);
                        labels[^1].Add((step.Name, step.GetType().Name, $"{step.Comment}; grid {launch.Grid} x {launch.Block}"));
                        break;
                    }
                }
            }
            hostAfterSegment.Add(null);
            foreach (var (output, offset) in outputSlots)
            {
                ulong source = Address(output.View!.Buffer, 0);
                nint destination = staging.Pointer + (nint)offset;
                long bytes = output.View.Buffer.Bytes;
                segments[^1].Add(s => s.CopyToHost(destination, source, bytes));
                labels[^1].Add(("copy_out", "copy", $"{DeviceBuffer.Format(bytes)} device to host"));
            }
            if (indexFaults is { } record)
            {
                nint destination = staging.Pointer + (nint)indexFaultSlot;
                segments[^1].Add(s => s.CopyToHost(destination, record, IndexFaultBytes));
                labels[^1].Add(("copy_index_faults", "copy", $"{IndexFaultBytes} B of the index checks' record device to host"));
            }
            foreach (var segment in segments)
            {
                if (!useGraphs || segment.Count == 0)
                {
                    graphs.Add(null);
                    continue;
                }
                var exec = Capture(segment, stream);
                owned.Add(exec);
                graphs.Add(exec);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public FusedProgram Plan => plan;

    // gp_index_faults: two 64-bit words.
    private const int IndexFaultBytes = 16;

    private ulong Address(BufferRef buffer, long elementOffset)
    {
        var placement = plan.Memory.Placement(buffer);
        ulong baseAddress = buffer.Kind == BufferKind.Weight ? weights : arena;
        return baseAddress + (ulong)placement.Offset + (ulong)(elementOffset * DTypeSizes.Of(buffer.DType));
    }

    public object?[] Run(IReadOnlyList<Tensor> inputs, CudaStream stream)
    {
        var span = staging.Span;
        for (int i = 0; i < inputSlots.Count; i++) HostTensors.WriteBytes(inputs[i], span.Slice((int)inputSlots[i].Offset, (int)inputSlots[i].Buffer.Bytes));
        for (int s = 0; s < segments.Count; s++)
        {
            if (graphs[s] is { } graph) graph.Launch(stream);
            else foreach (var action in segments[s]) action(stream);
            if (hostAfterSegment[s] is { } host)
            {
                stream.Synchronize();
                RunOnHost(host);
            }
        }
        stream.Synchronize();
        if (indexFaults is not null)
        {
            var record = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span.Slice((int)indexFaultSlot, IndexFaultBytes));
            DataFaultException.ThrowIfRecorded(plan, record[0], record[1]);
        }
        var results = new object?[plan.Outputs.Count];
        int slot = 0;
        for (int i = 0; i < plan.Outputs.Count; i++)
        {
            var output = plan.Outputs[i];
            if (output.View is not { } view || output.WritesState) { results[i] = output.Constant; continue; }
            var (_, offset) = outputSlots[slot++];
            results[i] = HostTensors.ReadBytes(span.Slice((int)offset, (int)view.Buffer.Bytes), view.Buffer.DType, view.Shape.ToArray());
        }
        return results;
    }

    /// <summary>
    /// Device time of every step, one at a time (no graph, an event before and after each), the median over
    /// <paramref name="repeats"/> runs on these inputs; host steps are timed on the wall clock.
    /// </summary>
    /// <param name="inputs">Null: whatever staging holds (timing only; kernels here take the same time on any values).</param>
    public IReadOnlyList<StepTime> Profile(IReadOnlyList<Tensor>? inputs, CudaStream stream, int repeats)
    {
        var span = staging.Span;
        for (int i = 0; i < inputSlots.Count && inputs is not null; i++) HostTensors.WriteBytes(inputs[i], span.Slice((int)inputSlots[i].Offset, (int)inputSlots[i].Buffer.Bytes));
        int actions = segments.Sum(s => s.Count);
        var starts = new List<CudaEvent>();
        var ends = new List<CudaEvent>();
        try
        {
            for (int i = 0; i < actions; i++)
            {
                starts.Add(device.CreateEvent());
                ends.Add(device.CreateEvent());
            }
            var samples = new List<double>[actions + hostAfterSegment.Count(h => h is not null)];
            for (int i = 0; i < samples.Length; i++) samples[i] = [];
            for (int r = 0; r < Math.Max(repeats, 1); r++)
            {
                int a = 0, hostIndex = actions;
                for (int s = 0; s < segments.Count; s++)
                {
                    foreach (var action in segments[s])
                    {
                        starts[a].Record(stream);
                        action(stream);
                        ends[a++].Record(stream);
                    }
                    if (hostAfterSegment[s] is { } host)
                    {
                        stream.Synchronize();
                        var clock = System.Diagnostics.Stopwatch.StartNew();
                        RunOnHost(host);
                        samples[hostIndex++].Add(clock.Elapsed.TotalMilliseconds);
                    }
                }
                stream.Synchronize();
                for (int i = 0; i < actions; i++) samples[i].Add(CudaEvent.Elapsed(starts[i], ends[i]));
            }
            var result = new List<StepTime>();
            int k = 0;
            foreach (var (name, kind, comment) in labels.SelectMany(l => l)) result.Add(new StepTime(name, kind, comment, Median(samples[k++])));
            foreach (var host in hostAfterSegment.OfType<HostStep>()) result.Add(new StepTime(host.Name, "host", host.Comment, Median(samples[k++])));
            return result;
        }
        finally
        {
            foreach (var ev in starts.Concat(ends)) ev.Dispose();
        }
    }

    /// <summary>
    /// Median device time of one replay (every segment back to back, input and output copies included), for
    /// choosing between plans of the same bucket; NaN when a host step sits between segments (its time is the
    /// CPU's, not the plan's).
    /// </summary>
    /// <param name="includeCopies">
    /// False: as a call whose inputs are already on the device and whose outputs stay there (what PyTorch's timings
    /// on device tensors measure): the inputs staging holds are kept in a device buffer of their own, and each
    /// replay copies them device to device into their slots before the kernels, without the host copies. Their
    /// slots cannot simply be left as they are: the memory plan lends an input's bytes to later intermediates, so
    /// a replay that skipped them would read what the last one left there (garbage as token ids: a gather out of
    /// bounds, which on 2026-11-26 took down a bench's CUDA context).
    /// </param>
    public double ReplayMilliseconds(CudaStream stream, int repeats, bool includeCopies = true)
    {
        if (hostAfterSegment.Any(h => h is not null)) return double.NaN;
        if (includeCopies)
        {
            return MedianReplay(stream, repeats, () =>
            {
                for (int s = 0; s < segments.Count; s++)
                {
                    if (graphs[s] is { } graph) graph.Launch(stream);
                    else foreach (var action in segments[s]) action(stream);
                }
            });
        }
        using var resident = device.Allocate(Math.Max(inputSlots.Sum(i => MemoryPlanner.Align(i.Buffer.Bytes)), 1));
        var actions = new List<Action<CudaStream>>();
        long at = 0;
        foreach (var (buffer, offset) in inputSlots)
        {
            ulong keep = resident.Pointer + (ulong)at, slot = Address(buffer, 0);
            long bytes = buffer.Bytes;
            stream.CopyToDevice(keep, staging.Pointer + (nint)offset, bytes);
            actions.Add(s => s.CopyOnDevice(slot, keep, bytes));
            at += MemoryPlanner.Align(bytes);
        }
        stream.Synchronize();
        actions.AddRange(segments[0].Where((_, a) => labels[0][a].Kind != "copy"));
        using var graph = graphs[0] is null ? null : Capture(actions, stream);
        return MedianReplay(stream, repeats, () =>
        {
            if (graph is not null) graph.Launch(stream);
            else foreach (var action in actions) action(stream);
        });
    }

    // The median of timed replays between two events, after two untimed ones (lazy module loading, cold caches).
    private double MedianReplay(CudaStream stream, int repeats, Action replay)
    {
        using var start = device.CreateEvent();
        using var end = device.CreateEvent();
        replay();
        replay();
        var samples = new List<double>();
        for (int r = 0; r < Math.Max(repeats, 1); r++)
        {
            start.Record(stream);
            replay();
            end.Record(stream);
            end.Synchronize();
            samples.Add(CudaEvent.Elapsed(start, end));
        }
        return Median(samples);
    }

    private CudaGraphExec Capture(List<Action<CudaStream>> actions, CudaStream stream)
    {
        stream.BeginCapture();
        foreach (var action in actions) action(stream);
        using var graph = stream.EndCapture(device.Context);
        return graph.Instantiate(stream);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    // A host step between device segments: copy its inputs out, run the CPU kernel, copy its outputs back.
    private void RunOnHost(HostStep step)
    {
        var tensors = step.Inputs.Select(v =>
        {
            var bytes = new byte[v.Buffer.Bytes];
            device.Download(bytes, Address(v.Buffer, 0));
            var whole = HostTensors.ReadBytes(bytes, v.Buffer.DType, [v.Buffer.Elements]);
            return Graphport.Operators.OpRegistry.Instance["aten::as_strided"].CallTensor(whole, v.Shape.ToArray(), v.Strides.ToArray(), v.Offset).Contiguous();
        }).ToArray();
        object? Convert(object? a) => a switch
        {
            HostTensorArgument t => tensors[t.Index],
            object?[] list => CpuTwin.ToList(list.Select(Convert).ToArray()),
            _ => a,
        };
        var result = step.Call.Run(step.Arguments.Select(Convert).ToArray(), step.Kwargs.ToDictionary(kv => kv.Key, kv => Convert(kv.Value)));
        var outputs = result is Tensor single ? [single] : ((object?[])result!).Select(x => x as Tensor).ToArray();
        for (int i = 0; i < step.Outputs.Count; i++)
        {
            if (step.Outputs[i] is not { } buffer || outputs[i] is not { } tensor) continue;
            var bytes = new byte[buffer.Bytes];
            HostTensors.WriteBytes(tensor, bytes);
            device.Upload(Address(buffer, 0), bytes);
        }
    }

    public void Dispose()
    {
        for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
