using Graphport.Kernels.Interop.CublasLt;
using Graphport.Kernels.Interop.Driver;
using Graphport.Kernels.Planning;
using Lt = Graphport.Kernels.Interop.CublasLt.NativeMethods;

namespace Graphport.Kernels.Runtime;

/// <summary>A cuBLASLt handle, owned and destroyed with its context current.</summary>
internal sealed class CublasLtHandle : ContextBoundHandle
{
    public CublasLtHandle(CudaContextHandle context) : base(context)
    {
        Check(Lt.cublasLtCreate(out var handle), "cublasLtCreate");
        Adopt(handle);
    }

    protected override CUresult Free(nint value) => Lt.cublasLtDestroy(value) == CublasStatus.Success ? CUresult.Success : CUresult.Unknown;

    internal static void Check(CublasStatus status, string call)
    {
        if (status != CublasStatus.Success) throw new CudaException(CUresult.Unknown, call, $"cuBLASLt status {status} ({(int)status})");
    }
}

/// <summary>
/// One planned matrix product on the device: descriptors, layouts and the heuristic's algorithm chosen once at
/// compile time, with device addresses fixed (the arena does not move), so <see cref="Run"/> is a single
/// capturable cublasLtMatmul call.
/// </summary>
internal sealed unsafe class CublasLtMatmul : IDisposable
{
    private readonly nint handle;
    private readonly nint desc;
    private readonly nint[] layouts;
    private readonly MatmulHeuristicResult algo;
    private readonly ulong a, b, c, d, workspace;
    private readonly nuint workspaceBytes;
    private readonly float alpha32, beta32;
    private readonly double alpha64, beta64;
    private readonly bool isDouble;

    public CublasLtMatmul(CublasLtHandle owner, MatmulProblem problem, Func<Codegen.BufferRef, long, ulong> address, ulong workspace, long workspaceBytes, BucketSettings settings)
    {
        handle = owner.DangerousGetHandle();
        var args = CublasLtMapping.Map(problem);
        var type = problem.DType switch
        {
            DType.Float16 => CudaDataType.R16F,
            DType.BFloat16 => CudaDataType.R16BF,
            DType.Float64 => CudaDataType.R64F,
            _ => CudaDataType.R32F,
        };
        isDouble = type == CudaDataType.R64F;
        var compute = isDouble ? CublasComputeType.Compute64F
            : problem.OnTf32(settings.Tf32Convolutions, settings.Tf32Matmuls) ? CublasComputeType.Compute32FFastTf32
            : CublasComputeType.Compute32F;
        ComputeType = compute;
        CublasLtHandle.Check(Lt.cublasLtMatmulDescCreate(out desc, compute, isDouble ? CudaDataType.R64F : CudaDataType.R32F), "cublasLtMatmulDescCreate");
        SetDesc(MatmulDescAttribute.TransA, (int)args.TransA);
        SetDesc(MatmulDescAttribute.TransB, (int)args.TransB);
        SetDesc(MatmulDescAttribute.Epilogue, (uint)args.Epilogue);
        if (problem.Bias is { } bias)
        {
            ulong biasPointer = address(bias.Buffer, bias.Offset);
            CublasLtHandle.Check(Lt.cublasLtMatmulDescSetAttribute(desc, MatmulDescAttribute.BiasPointer, (nint)(&biasPointer), (nuint)sizeof(ulong)), "cublasLtMatmulDescSetAttribute(BIAS_POINTER)");
        }
        var la = Layout(type, args.A, args.Batch);
        var lb = Layout(type, args.B, args.Batch);
        var ld = Layout(type, args.D, args.Batch);
        var lc = args.C is { } cl ? Layout(type, cl, args.Batch) : ld;
        layouts = args.C is null ? [la, lb, ld] : [la, lb, ld, lc];
        a = address(problem.B.Buffer, args.A.Offset);
        b = address(problem.A.Buffer, args.B.Offset);
        d = address(problem.D.Buffer, args.D.Offset);
        c = problem.C is { } cm ? address(cm.Buffer, args.C!.Offset) : d;
        this.workspace = workspace;
        this.workspaceBytes = (nuint)workspaceBytes;
        alpha32 = (float)problem.Alpha;
        beta32 = (float)problem.Beta;
        alpha64 = problem.Alpha;
        beta64 = problem.Beta;

        CublasLtHandle.Check(Lt.cublasLtMatmulPreferenceCreate(out var preference), "cublasLtMatmulPreferenceCreate");
        try
        {
            ulong maxWorkspace = (ulong)workspaceBytes;
            Lt.cublasLtMatmulPreferenceSetAttribute(preference, MatmulPreferenceAttribute.MaxWorkspaceBytes, (nint)(&maxWorkspace), sizeof(ulong));
            // Views (a selected row, a slice) can start off the 256-byte grid; only allow algorithms that cope.
            SetAlignment(preference, MatmulPreferenceAttribute.MinAlignmentABytes, a);
            SetAlignment(preference, MatmulPreferenceAttribute.MinAlignmentBBytes, b);
            SetAlignment(preference, MatmulPreferenceAttribute.MinAlignmentCBytes, c);
            SetAlignment(preference, MatmulPreferenceAttribute.MinAlignmentDBytes, d);
            int requested = Math.Clamp(settings.Candidates, 1, MaxCandidates);
            var results = stackalloc MatmulHeuristicResult[requested];
            CublasLtHandle.Check(Lt.cublasLtMatmulAlgoGetHeuristic(handle, desc, la, lb, lc, ld, preference, requested, results, out var returned), "cublasLtMatmulAlgoGetHeuristic");
            if (returned == 0) throw new CudaException(CUresult.NotFound, "cublasLtMatmulAlgoGetHeuristic", $"no cuBLASLt algorithm for {args}");
            algo = results[0];
            Candidates = returned;
            if (returned > 1 && settings.Device is { } device && settings.Stream is { } stream) algo = Fastest(results, returned, device, stream);
        }
        finally
        {
            Lt.cublasLtMatmulPreferenceDestroy(preference);
        }
    }

    private const int MaxCandidates = 16;

    /// <summary>The compute type this product runs with (32F, or 32F through TF32 tensor cores).</summary>
    public CublasComputeType ComputeType { get; }

    /// <summary>How many algorithms the heuristic offered (and were timed, when more than one).</summary>
    public int Candidates { get; }

    /// <summary>Milliseconds per call of the algorithm kept, when candidates were timed.</summary>
    public double? TunedMilliseconds { get; private set; }

    // The heuristic ranks by a model of the device; for the small, oddly shaped batched products of lowered
    // convolutions its first choice is often not the fastest, so each candidate is timed on the real buffers (the
    // arena is scratch until the first call, and every call rewrites what it reads) and the fastest kept.
    private MatmulHeuristicResult Fastest(MatmulHeuristicResult* results, int count, CudaDevice device, CudaStream stream)
    {
        const int warmup = 2, timed = 5;
        using var start = device.CreateEvent();
        using var end = device.CreateEvent();
        int best = 0;
        double bestMs = double.MaxValue;
        for (int i = 0; i < count; i++)
        {
            if (results[i].State != CublasStatus.Success) continue;
            var candidate = results[i];
            bool failed = false;
            for (int w = 0; w < warmup && !failed; w++) failed = Launch(&candidate, stream) != CublasStatus.Success;
            if (failed)
            {
                stream.Synchronize();
                continue;
            }
            start.Record(stream);
            for (int t = 0; t < timed; t++) Launch(&candidate, stream);
            end.Record(stream);
            end.Synchronize();
            double ms = CudaEvent.Elapsed(start, end) / timed;
            if (ms < bestMs)
            {
                bestMs = ms;
                best = i;
            }
        }
        TunedMilliseconds = bestMs == double.MaxValue ? null : bestMs;
        return results[best];
    }

    private void SetDesc(MatmulDescAttribute attribute, int value) =>
        CublasLtHandle.Check(Lt.cublasLtMatmulDescSetAttribute(desc, attribute, (nint)(&value), sizeof(int)), $"cublasLtMatmulDescSetAttribute({attribute})");

    private void SetDesc(MatmulDescAttribute attribute, uint value) =>
        CublasLtHandle.Check(Lt.cublasLtMatmulDescSetAttribute(desc, attribute, (nint)(&value), sizeof(uint)), $"cublasLtMatmulDescSetAttribute({attribute})");

    private static void SetAlignment(nint preference, MatmulPreferenceAttribute attribute, ulong pointer)
    {
        uint alignment = 256;
        while (alignment > 4 && pointer % alignment != 0) alignment /= 2;
        Lt.cublasLtMatmulPreferenceSetAttribute(preference, attribute, (nint)(&alignment), sizeof(uint));
    }

    private static nint Layout(CudaDataType type, CublasLtLayout layout, long batch)
    {
        CublasLtHandle.Check(Lt.cublasLtMatrixLayoutCreate(out var l, type, (ulong)layout.Rows, (ulong)layout.Cols, layout.LeadingDimension), "cublasLtMatrixLayoutCreate");
        if (batch > 1)
        {
            int count = checked((int)batch);
            long stride = layout.BatchStride;
            Lt.cublasLtMatrixLayoutSetAttribute(l, MatrixLayoutAttribute.BatchCount, (nint)(&count), sizeof(int));
            Lt.cublasLtMatrixLayoutSetAttribute(l, MatrixLayoutAttribute.StridedBatchOffset, (nint)(&stride), sizeof(long));
        }
        return l;
    }

    public void Run(CudaStream stream)
    {
        var selected = algo;
        CublasLtHandle.Check(Launch(&selected, stream), "cublasLtMatmul");
    }

    private CublasStatus Launch(MatmulHeuristicResult* selected, CudaStream stream)
    {
        if (isDouble)
        {
            double al = alpha64, be = beta64;
            return Lt.cublasLtMatmul(handle, desc, &al, a, layouts[0], b, layouts[1], &be, c, layouts.Length > 3 ? layouts[3] : layouts[2], d, layouts[2], selected->Algo, workspace, workspaceBytes, stream.Raw);
        }
        float al32 = alpha32, be32 = beta32;
        return Lt.cublasLtMatmul(handle, desc, &al32, a, layouts[0], b, layouts[1], &be32, c, layouts.Length > 3 ? layouts[3] : layouts[2], d, layouts[2], selected->Algo, workspace, workspaceBytes, stream.Raw);
    }

    public void Dispose()
    {
        foreach (var l in layouts.Distinct()) Lt.cublasLtMatrixLayoutDestroy(l);
        Lt.cublasLtMatmulDescDestroy(desc);
    }
}
