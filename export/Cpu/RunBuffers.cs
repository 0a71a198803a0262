namespace Graphport.Cpu;

/// <summary>
/// The output arrays of one graph run, handed back when the interpreter drops the last value that reads them and
/// handed out again to later nodes of the same length and type: a CNN's activations recur at a few sizes, and
/// allocating each anew had the garbage collector copying live activations between generations several times a
/// run (PP-OCRv4 detection: 9 gen0, 8 gen1 and 3-4 full collections per 70 ms run). Kernels ask
/// <see cref="Allocate{T}"/> for their outputs; outside a run (eager calls) that is a plain allocation. Only arrays
/// this run handed out are ever taken back, so inputs, weights and anything a kernel keeps are never reused.
/// </summary>
internal sealed class RunBuffers
{
    /// <summary>Smaller arrays cost the collector little; they are allocated as usual.</summary>
    internal const int MinLength = 4096;

    [ThreadStatic] private static RunBuffers? current;

    private readonly Dictionary<(Type, int), Stack<Array>> free = [];
    // Arrays this run handed out and not yet taken back: only these are ever reused, each once per hand-out.
    private readonly HashSet<Array> inUse = new(ReferenceEqualityComparer.Instance);

    /// <summary>Arrays handed out again instead of allocated, this run.</summary>
    public int Reused { get; private set; }

    /// <summary>
    /// Ends a run: what it handed out and still lives (its outputs, above all) is forgotten, never to be taken back,
    /// and the arrays it took back stay, for the next run of the same program to reuse (an ExportedModule keeps its
    /// buffers between calls, as ONNX Runtime keeps its arena). At most <paramref name="keepBytes"/> of them.
    /// </summary>
    public void EndRun(long keepBytes)
    {
        inUse.Clear();
        Reused = 0;
        long kept = 0;
        foreach (var stack in free.Values)
        {
            var arrays = stack.ToArray();
            stack.Clear();
            foreach (var array in arrays)
            {
                kept += (long)array.Length * System.Runtime.InteropServices.Marshal.SizeOf(array.GetType().GetElementType()!);
                if (kept <= keepBytes) stack.Push(array);
            }
        }
    }

    /// <summary>Makes this the buffers of the calling thread's kernels until the returned scope ends.</summary>
    public Scope Enter() => new(this);

    /// <summary>An array for a kernel's output: a reused one when the current run has one of this type and length.
    /// <paramref name="clear"/>: zeroed, as <c>new T[length]</c> is (kernels that accumulate into their output).</summary>
    public static T[] Allocate<T>(long length, bool clear) where T : unmanaged
    {
        int n = checked((int)length);
        var buffers = current;
        if (buffers is null || n < MinLength) return clear ? new T[n] : GC.AllocateUninitializedArray<T>(n);
        if (buffers.free.TryGetValue((typeof(T), n), out var stack) && stack.Count > 0)
        {
            var reused = (T[])stack.Pop();
            if (clear) Array.Clear(reused);
            buffers.Reused++;
            buffers.inUse.Add(reused);
            return reused;
        }
        var array = clear ? new T[n] : GC.AllocateUninitializedArray<T>(n);
        buffers.inUse.Add(array);
        return array;
    }

    /// <summary>Takes back an array no live value reads any more; one this run did not hand out (or took back
    /// already) is ignored.</summary>
    public void Return(Array array)
    {
        if (!inUse.Remove(array)) return;
        var key = (array.GetType().GetElementType()!, array.Length);
        if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<Array>();
        stack.Push(array);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly RunBuffers? previous;

        internal Scope(RunBuffers buffers)
        {
            previous = current;
            current = buffers;
        }

        public void Dispose() => current = previous;
    }
}
