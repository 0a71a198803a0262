using Graphport.Graphs;
using Graphport.Operators;
using Graphport.Tracing;

namespace Graphport;

/// <summary>
/// An exported program as a callable (torch's ep.module()): it validates inputs against the program's
/// shapes and ranges with torch's messages, runs the graph on the CPU, writes buffer and input mutations
/// back, and returns the user outputs in Forward's result structure. It owns its buffers.
/// </summary>
public sealed class ExportedModule
{
    private readonly ExportedProgram program;
    private readonly Dictionary<string, Tensor> state;

    internal ExportedModule(ExportedProgram program)
    {
        this.program = program;
        using (Tracer.Suspend())
            state = program.StateDict.ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
    }

    private FrozenRunner? frozen;

    // The program's user-input placeholders and names, looked up once rather than on every call.
    private List<Graphs.Node>? userPlaceholders;
    private List<string>? userInputNames;

    // Arrays the last call's dead values gave back, for the next call's kernels (taken by one call at a time; a call
    // that finds none in use starts its own).
    private Cpu.RunBuffers? spareBuffers;

    /// <summary>
    /// How many bytes of arrays this module keeps between calls for the next call's kernel outputs (the arrays of
    /// values a call no longer needed, as ONNX Runtime keeps an arena): 256 MiB unless set; 0 keeps none, and each
    /// call then allocates its outputs anew (a process holding many rarely called programs may want that).
    /// </summary>
    public long SpareBufferBytes
    {
        get => spareBufferBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            spareBufferBytes = value;
            if (value == 0) spareBuffers = null;
        }
    }

    private long spareBufferBytes = 256L << 20;

    /// <summary>
    /// Freezes this module for inference, as torch's freezing does: its parameters and buffers (other than those the
    /// program itself updates) are from now on taken to be constants, and what depends on them alone is computed
    /// once: each inference batch norm is folded into the convolution before it, and each weight a matrix product
    /// multiplies by is packed for the GEMM once instead of on every call, with a constant bias added to a product
    /// made part of it, numbers added and multiplied right after a convolution folded into it, and chains of
    /// elementwise functions of one tensor (HardSwish written as x·clamp(x + 3, 0, 6) / 6 among them) run in one pass,
    /// as do layer norms and exact GELUs written out op by op (how ONNX exporters write them); constant pads are taken
    /// into the convolution or max pool after them, max pools whose indices nothing reads skip them, and a residual add
    /// and ReLU after a convolution run on its output in the same pass; nodes that read only weights are computed once,
    /// and views of static shapes are made from their input's strides. Results agree with an
    /// unfrozen module up to float rounding. Changing the state in place after freezing is not seen by what was folded; make
    /// and freeze a new module instead. Executors on the CPU run frozen modules. Returns this module.
    /// </summary>
    public ExportedModule Freeze()
    {
        using (Tracer.Suspend())
            frozen ??= new FrozenRunner(program, state);
        return this;
    }

    /// <summary>Whether <see cref="Freeze"/> was called.</summary>
    public bool IsFrozen => frozen is not null;

    /// <summary>Batch norms a frozen module folded into the convolutions before them (0 unfrozen).</summary>
    public int FoldedBatchNorms => frozen?.FoldedBatchNorms ?? 0;

    /// <summary>Matrix products whose constant weight a frozen module packed once (0 unfrozen).</summary>
    public int PackedMatrices => frozen?.PackedMatrices ?? 0;

    /// <summary>Constant bias additions a frozen module runs as part of the matrix product before them (0 unfrozen).</summary>
    public int FusedBiases => frozen?.FusedBiases ?? 0;

    /// <summary>x·clamp(x + 3, 0, 6) / 6 chains (HardSwish as exporters write it) a frozen module runs as one hardswish (0 unfrozen).</summary>
    public int FusedHardswishes => frozen?.FusedHardswishes ?? 0;

    /// <summary>Chains of elementwise functions of one tensor (numbers added or multiplied, clamps, activations) a
    /// frozen module runs in one pass over memory instead of one per op (0 unfrozen).</summary>
    public int FusedPointwiseChains => frozen?.FusedPointwiseChains ?? 0;

    /// <summary>Runs of numbers added and multiplied right after a convolution that a frozen module folded into its
    /// weight and bias (0 unfrozen).</summary>
    public int FoldedAffines => frozen?.FoldedAffines ?? 0;

    /// <summary>Layer norms written out op by op (mean, sub, pow, mean, add, sqrt, div, then a constant weight and bias:
    /// how ONNX exporters spell LayerNormalization) that a frozen module runs as one native_layer_norm (0 unfrozen).</summary>
    public int FusedLayerNorms => frozen?.FusedLayerNorms ?? 0;

    /// <summary>Exact GELUs written out as x·½(1 + erf(x/√2)) that a frozen module runs as one gelu (0 unfrozen).</summary>
    public int FusedGelus => frozen?.FusedGelus ?? 0;

    /// <summary>Constant pads (zeros before a convolution, −inf before a max pool: how ONNX importers write asymmetric
    /// pads) that a frozen module takes into the padding of the op reading them, skipping the padded copy (0 unfrozen).</summary>
    public int FoldedPads => frozen?.FoldedPads ?? 0;

    /// <summary>Convolutions whose ReLU, residual add, or both (ResNet's blocks) a frozen module runs on the output in the
    /// same pass, the add and ReLU nodes handing it on (0 unfrozen).</summary>
    public int ConvolutionEpilogues => frozen?.ConvolutionEpilogues ?? 0;

    /// <summary>Convolutions with small output maps (ResNet's 14×14 and 7×7 layers) that a frozen module runs as a
    /// product over output positions, their weight prepared once (0 unfrozen).</summary>
    public int PositionMajorConvolutions => frozen?.PositionMajorConvolutions ?? 0;

    /// <summary>Float32 3×3 convolutions at stride 1 (ResNet's, U-Net's) that a frozen module runs by Winograd's
    /// F(2×2, 3×3), their weight transformed once (0 unfrozen).</summary>
    public int WinogradConvolutions => frozen?.WinogradConvolutions ?? 0;

    /// <summary>Softmaxes of attention scores scaled by a number and/or with a mask added (BERT's and MiniLM's as ONNX
    /// exporters write them) that a frozen module runs in one pass, the scaling and add handing on (0 unfrozen).</summary>
    public int FusedSoftmaxes => frozen?.FusedSoftmaxes ?? 0;

    /// <summary>How many of attention's guards for rows of -inf (torch's _safe_softmax) a frozen module runs on the
    /// softmax's own output (<see cref="SafeSoftmaxGuard"/>) instead of as five ops over the scores.</summary>
    public int FoldedSoftmaxGuards => frozen?.FoldedSoftmaxGuards ?? 0;

    /// <summary>Adds of a nearest upsample that nothing else reads (a feature pyramid's top-down steps) that a frozen
    /// module runs as one op, without writing the upsampled tensor when it is exactly 2× (0 unfrozen).</summary>
    public int UpsampledAdds => frozen?.UpsampledAdds ?? 0;

    /// <summary>Adds of x and x multiplied by one number per channel (squeeze-and-excitation gates applied as a residual)
    /// that a frozen module runs as one pass over x, without writing the product (0 unfrozen).</summary>
    public int ScaledResiduals => frozen?.ScaledResiduals ?? 0;

    /// <summary>Elementwise ops of one tensor (a ReLU, a sigmoid, a number added) outside any chain, which a frozen module
    /// runs as a chain of one step, without the op's binding, meta checks and dispatch (0 unfrozen).</summary>
    public int DirectElementwiseOps => frozen?.DirectElementwiseOps ?? 0;

    /// <summary>Of <see cref="FusedPointwiseChains"/>, the chains a frozen module runs in place over the convolution
    /// output they alone read (PP-OCR's HardSwishes), instead of into a new tensor (0 unfrozen).</summary>
    public int InPlaceChains => frozen?.OverwritingChains ?? 0;

    /// <summary>Max pools whose indices nothing reads, which a frozen module runs without computing them (0 unfrozen).</summary>
    public int ValueOnlyMaxPools => frozen?.ValueOnlyMaxPools ?? 0;

    /// <summary>LSTMs and GRUs whose constant weights a frozen module packed for the GEMM once (0 unfrozen).</summary>
    public int PreparedRecurrences => frozen?.PreparedRecurrences ?? 0;

    /// <summary>Nodes that read only weights (an importer's transposes and slices of them, a bias summed from two),
    /// which a frozen module computed once when it was frozen (0 unfrozen).</summary>
    public int WeightOnlyNodes => frozen?.WeightOnlyNodes ?? 0;

    /// <summary>Selects, slices, unsqueezes, squeezes and permutes of static shapes, which a frozen module makes straight
    /// from their input's strides (0 unfrozen).</summary>
    public int StaticViews => frozen?.StaticViews ?? 0;

    /// <summary>The module's current parameters and buffers (buffers change when the program mutates them).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict => state;

    /// <summary>Runs the program and returns its single tensor result.</summary>
    public Tensor Call(params object?[] args) => Invoke(args) as Tensor
        ?? throw new InvalidOperationException("This program does not return a single tensor; use Invoke to get its result structure.");

    /// <summary>Runs the program and returns its result in Forward's structure (tensor, array, tuple, ...).</summary>
    public object? Invoke(params object?[] args) => Invoke(args, observer: null);

    /// <summary>
    /// Runs the program once, as <see cref="Invoke(object?[])"/>, timing each node (torch.profiler's per-op view of
    /// one call): where the time of a CPU run goes, node by node and summed by op. A frozen module's folded and fused
    /// nodes show as the node that runs them and ones that hand a value on.
    /// </summary>
    public ProgramProfile Profile(params object?[] args)
    {
        var timings = new List<NodeTiming>();
        var observer = new RunObserver((node, ticks) => timings.Add(new NodeTiming(node.Name, node.Target is Operators.OpOverload op ? op.Target : GraphPrinter.TargetName(node.Target),
            ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency, frozen?.Role(node))));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var output = Invoke(args, observer);
        return new ProgramProfile(timings, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, output, observer.ReusedBuffers);
    }

    private object? Invoke(object?[] args, RunObserver? observer)
    {
        ArgumentNullException.ThrowIfNull(args);
        var signature = program.CallSignature;
        if (args.Length != signature.InputTrees.Count)
            throw new ArgumentException($"Unexpected number of inputs (expected {signature.InputTrees.Count}, got {args.Length}); Forward takes ({string.Join(", ", signature.ArgumentNames)}).");
        var leaves = new List<(string Path, Tensor Tensor)>();
        for (int i = 0; i < args.Length; i++)
        {
            var before = leaves.Count;
            var tree = PyTree.Flatten(args[i], leaves, $"*args[{i}]");
            if (!SameStructure(tree, signature.InputTrees[i]))
                throw new ArgumentException(
                    $"Trying to flatten user inputs with exported input tree spec: \n{signature.InputTrees[i]}\nbut actually got inputs with tree spec of: \n{tree}.\nPlease check that the inputs have the same number and type of args and kwargs as the ones you used when tracing.");
            _ = before;
        }
        InputChecker.Check(userPlaceholders ??= program.UserPlaceholders(), leaves, program.RangeConstraints);

        using var notTracing = Tracer.Suspend();
        var inputs = new List<object?>();
        foreach (var spec in program.GraphSignature.InputSpecs)
        {
            inputs.Add(spec.Kind switch
            {
                InputKind.Parameter or InputKind.Buffer => state[spec.Target!],
                InputKind.ConstantTensor => program.Constants[spec.Target!],
                _ => null,
            });
        }
        int userIndex = 0;
        // The graph was traced on contiguous example inputs; strided inputs run on contiguous copies, and any
        // mutation of them is written back into the caller's tensor below.
        for (int i = 0; i < inputs.Count; i++)
            if (program.GraphSignature.InputSpecs[i].Kind == InputKind.UserInput) inputs[i] = Eager.Contiguous(leaves[userIndex++].Tensor);

        var buffers = Interlocked.Exchange(ref spareBuffers, null) ?? new Cpu.RunBuffers();
        object?[] outputs;
        try
        {
            outputs = GraphInterpreter.Run(program.Graph, inputs, frozen, observer, buffers);
        }
        finally
        {
            if (spareBufferBytes > 0)
            {
                buffers.EndRun(spareBufferBytes);
                spareBuffers = buffers;
            }
        }
        var userOutputs = new List<object?>();
        var userInputNames = this.userInputNames ??= program.GraphSignature.InputSpecs.Where(s => s.Kind == InputKind.UserInput).Select(s => s.Arg.Name).ToList();
        for (int i = 0; i < outputs.Length; i++)
        {
            var spec = program.GraphSignature.OutputSpecs[i];
            switch (spec.Kind)
            {
                case OutputKind.BufferMutation:
                case OutputKind.ParameterMutation:
                    // A frozen module may have written the state itself (a key/value cache's update): nothing to copy.
                    if (!ReferenceEquals(state[spec.Target!], outputs[i])) Eager.CopyInto(state[spec.Target!], (Tensor)outputs[i]!);
                    break;
                case OutputKind.UserInputMutation:
                    Eager.CopyInto(leaves[userInputNames.IndexOf(spec.Target!)].Tensor, (Tensor)outputs[i]!);
                    break;
                default:
                    // A symbolic size output is an int at run time, as torch returns a Python int.
                    userOutputs.Add(outputs[i] is SymInt s ? (long)s : outputs[i]);
                    break;
            }
        }
        using var e = userOutputs.GetEnumerator();
        return PyTree.Unflatten(signature.OutputTree, e);
    }

    /// <summary>
    /// Runs the program with positional and keyword arguments, as torch's <c>ep.module()(*args, **kwargs)</c>: a
    /// keyword argument fills the argument of that name (a torch-made program's keyword-only arguments, or any
    /// argument after the positional ones); every argument must be given exactly once.
    /// </summary>
    public object? InvokeWithKwargs(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(kwargs);
        var names = program.CallSignature.ArgumentNames;
        string takes = $"Forward takes ({string.Join(", ", names)})";
        if (args.Count > names.Count)
            throw new ArgumentException($"Too many positional inputs (expected at most {names.Count}, got {args.Count}); {takes}.");
        var all = new object?[names.Count];
        var given = new bool[names.Count];
        for (int i = 0; i < args.Count; i++) (all[i], given[i]) = (args[i], true);
        foreach (var (key, value) in kwargs)
        {
            int i = -1;
            for (int j = 0; j < names.Count && i < 0; j++) if (names[j] == key) i = j;
            if (i < 0) throw new ArgumentException($"Unexpected keyword argument '{key}'; {takes}.");
            if (given[i]) throw new ArgumentException($"Got multiple values for argument '{key}'.");
            (all[i], given[i]) = (value, true);
        }
        var missing = names.Where((_, i) => !given[i]).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Missing input(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; {takes}.");
        return Invoke(all);
    }

    private static bool SameStructure(TreeSpec actual, TreeSpec expected) => (actual, expected) switch
    {
        (TensorLeaf, TensorLeaf) => true,
        (SymIntLeaf, _) or (_, SymIntLeaf) => true,
        (ConstantLeaf, ConstantLeaf) => true,
        (TensorLeaf, ConstantLeaf) or (ConstantLeaf, TensorLeaf) => true,
        (SequenceNode a, SequenceNode b) => a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(p => SameStructure(p.First, p.Second)),
        (MappingNode a, MappingNode b) => a.Keys.SequenceEqual(b.Keys) && a.Children.Zip(b.Children).All(p => SameStructure(p.First, p.Second)),
        _ => false,
    };

    public override string ToString() => GraphPrinter.Readable(program.Graph);
}
