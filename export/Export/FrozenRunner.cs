using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What a frozen module (<see cref="ExportedModule.Freeze"/>) runs differently from the graph as written: each
/// convolution whose only user is an inference batch norm, with weights, bias and statistics that never change,
/// runs with the batch norm folded into its weight and bias (<see cref="BatchNormFolding"/>, computed once here),
/// and the batch norm then only hands that result on, and so does a run of adds, subs, muls and divs by numbers
/// after it, folded in too (<see cref="ScalarAffine"/>); and each matrix product (mm, addmm) whose right operand is
/// such a constant (or its transpose) reads it packed once for the GEMM (<see cref="Graphport.Cpu.Gemm.Pack{T}"/>)
/// instead of packing it on every call; an mm whose only user adds a constant bias row to it (ONNX's MatMul + Add)
/// runs as one addmm, the bias as the GEMM's starting value, and the add hands that result on; and a chain of
/// elementwise functions of one tensor (<see cref="PointwiseChain"/>: numbers added, multiplied, clamps, activations,
/// and x·clamp(x + 3, 0, 6) / 6 as exporters write HardSwish) runs in one pass where its first node stands, the
/// others handing that on; and so do a layer norm and an exact GELU written out op by op, as ONNX exporters write
/// them (<see cref="SpelledOutLayerNorm"/>, <see cref="SpelledOutGelu"/>), each run as the one op it spells, and so
/// does an attention softmax of scaled, masked scores (<see cref="ScaledMaskedSoftmax"/>) and a feature pyramid's add
/// of a nearest upsample (<see cref="UpsampledAdd"/>); and a
/// constant pad read only by a convolution or max pool is taken into that op's padding where that gives the same
/// windows (<see cref="PaddingFold"/>), and a max pool whose indices nobody reads computes its values alone; and a
/// residual add and ReLU right after a convolution run on its output as it comes out of the kernel
/// (<see cref="ConvolutionEpilogue"/>); and a float32 3×3 convolution at stride 1 runs by Winograd's F(2×2, 3×3), its
/// weight transformed once (<see cref="Graphport.Cpu.WinogradWeight"/>), and another whose output map is small runs as a
/// product over its output positions, its weight prepared for that once (<see cref="Graphport.Cpu.PositionMajorWeight{T}"/>).
/// And an attention whose key and value heads are repeated per query group first (transformers' repeat_kv) runs on the
/// unrepeated heads with enable_gqa (<see cref="GroupedAttention"/>), and an index_put that updates a buffer the program
/// writes, with no reader of its old value (a static key/value cache), writes into the state tensor itself
/// (<see cref="Graphs.InPlaceStateUpdate"/>), the copies into the buffer after it handing the state on.
/// Parameters and buffers the program itself updates are never used as constants,
/// since they change from call to call.
/// </summary>
internal sealed class FrozenRunner : INodeRunner
{
    private const string Convolution = "aten::convolution";
    private const string BatchNorm = "aten::_native_batch_norm_legit_no_training";
    private const string MatrixProduct = "aten::mm";
    private const string MatrixProductAdded = "aten::addmm";
    private const string Add = "aten::add.Tensor";
    private const string MaxPool = "aten::max_pool2d_with_indices";
    private const string ReshapeView = "aten::view";
    private const string UnsafeReshapeView = "aten::_unsafe_view";
    private const string Reshape = "aten::reshape";
    private const string LstmOp = "aten::lstm.input";
    private const string GruOp = "aten::gru.input";

    // Nodes computed from weights alone, computed once here (torch's freezing folds them too): an importer's selects,
    // transposes and slices of a recurrent weight, a bias summed from two. Their values are constants to every fold below.
    private readonly Dictionary<Node, Tensor> weightOnly = [];
    private readonly Dictionary<Node, (Tensor Weight, Tensor Bias)> folded = [];
    // LSTMs and GRUs whose weights are constants, packed for the GEMM once (the kernel packs them on every call).
    private readonly Dictionary<Node, Operators.RecurrentWeights> recurrentWeights = [];
    private readonly Dictionary<Node, Tensor> emptyStatistics = [];
    private readonly Dictionary<Node, object> packedRightOperands = [];
    private readonly Dictionary<Node, Tensor> biasOfProduct = [];
    // Each fused add and the node (the product, or its reshape) whose value, bias included, it hands on.
    private readonly Dictionary<Node, Node> productOfAdd = [];
    // Elementwise chains by their first node, which computes the chain; each later node of a chain, and each node of
    // an affine run folded into a convolution, with the node before it, whose value it hands on (the graph's edges
    // keep each value alive until the next node reads it).
    private readonly Dictionary<Node, PointwiseChain> chainAt = [];
    // Elementwise ops of one tensor that no chain took (a ReLU after a layer norm), each a chain of one step: run
    // without binding, meta and dispatch, which cost a small model's ops more than their arithmetic.
    private readonly Dictionary<Node, PointwiseChain> singleStepAt = [];
    private readonly Dictionary<Node, Node> chainPredecessor = [];
    // Spelled-out layer norms and GELUs by their first node, which computes the whole; their other nodes hand it on
    // through chainPredecessor.
    private readonly Dictionary<Node, SpelledOutLayerNorm> layerNormAt = [];
    private readonly Dictionary<Node, SpelledOutGelu> geluAt = [];
    // Scaled, masked softmaxes (attention scores) by the node that computes each; its other nodes hand on through
    // chainPredecessor.
    private readonly Dictionary<Node, ScaledMaskedSoftmax> softmaxAt = [];
    // Attention's guard for rows of -inf after a softmax over the last dim (SafeSoftmaxGuard), by its first node (the
    // eq), which zeroes those rows of the softmax's fresh output; the guard's other nodes and its where hand on.
    private readonly Dictionary<Node, SafeSoftmaxGuard> safeGuardAt = [];
    // Adds of a 2× nearest upsample (feature pyramids) by their add, which computes both; the upsample hands on its
    // input through chainPredecessor.
    private readonly Dictionary<Node, UpsampledAdd> upsampledAddAt = [];
    // Residual adds of a channel-scaled input (squeeze-and-excitation gates) by their mul, which computes both while x
    // and the scales are live (the add comes later, when the scales may have been dropped); the add hands on its result
    // through chainPredecessor.
    private readonly Dictionary<Node, ChannelScaledResidual> scaledResidualAt = [];
    private int foldedAffines;
    // Convolutions and max pools with the constant pad before them taken into their own padding (the pad node hands
    // its input on through chainPredecessor), and max pools whose indices nobody reads.
    private readonly Dictionary<Node, SymInt[]> foldedPadding = [];
    private readonly HashSet<Node> poolValuesOnly = [];
    // Reshaping views (view, _unsafe_view, reshape) to a static shape, by their sizes and contiguous strides: on a
    // contiguous input they are that shape over the same storage, without binding, meta and layout arithmetic per call.
    private readonly Dictionary<Node, (long[] Sizes, long[] Strides)> staticReshapes = [];
    // Selects, slices, unsqueezes, squeezes and permutes of static shapes, made from their input's strides.
    private readonly Dictionary<Node, StaticView> staticViews = [];
    private readonly Tensor noIndices = Torch.Zeros([0], dtype: DType.Int64);
    private readonly Dictionary<Node, NodeRun> runs = [];
    // The node whose value is each folded convolution's output as the graph reads it (after its batch norm and affine).
    private readonly Dictionary<Node, Node> convolutionEnd = [];
    // Residual adds and ReLUs run on a convolution's output as it comes out of the kernel.
    private readonly Dictionary<Node, ConvolutionEpilogue> epilogueOf = [];
    // Chains that write over the convolution output they read.
    private readonly HashSet<PointwiseChain> overwritingChains = [];
    // Convolutions whose weight (folded, where it was) is prepared once for one of the kernel's prepared paths: Winograd's
    // (float32 3×3 at stride 1) or the position-major one (small output maps), a PositionMajorWeight of the weight's dtype.
    private readonly Dictionary<Node, Cpu.PreparedConvolutionWeight> preparedWeights = [];
    // Attentions whose key and value were repeated per query group (repeat_kv), run on the unrepeated ones with
    // enable_gqa; the repeat's nodes hand on their input through chainPredecessor.
    private readonly Dictionary<Node, GroupedAttention> groupedAttentionAt = [];
    private readonly HashSet<Node> groupRepeats = [];
    // Updates of a buffer the program writes with no reader of its old value (a static key/value cache), run as
    // index_put_ on the state tensor itself; the copies after them hand on the state, which is then the new value.
    private readonly HashSet<Node> stateUpdatesInPlace = [];

    public FrozenRunner(ExportedProgram program, IReadOnlyDictionary<string, Tensor> state)
    {
        var updated = program.GraphSignature.OutputSpecs
            .Where(o => o.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation)
            .Select(o => o.Target).ToHashSet(StringComparer.Ordinal);
        // Placeholders come in the order of the signature's inputs (as ExportedModule binds them).
        var constant = new Dictionary<Node, Tensor>();
        var placeholders = program.Graph.Placeholders.ToList();
        for (int i = 0; i < placeholders.Count && i < program.GraphSignature.InputSpecs.Count; i++)
        {
            var spec = program.GraphSignature.InputSpecs[i];
            if (spec.Target is not { } target || updated.Contains(target)) continue;
            if (spec.Kind is InputKind.Parameter or InputKind.Buffer && state.TryGetValue(target, out var value)) constant[placeholders[i]] = value;
            else if (spec.Kind == InputKind.ConstantTensor && program.Constants.TryGetValue(target, out var fixedValue)) constant[placeholders[i]] = fixedValue;
        }
        var outputNode = program.Graph.OutputNode;
        foreach (var node in program.Graph.Nodes)
            if (WeightOnlyValue(node, constant, outputNode) is { } value) constant[node] = weightOnly[node] = value;
        foreach (var node in program.Graph.Nodes)
        {
            if (weightOnly.ContainsKey(node)) continue;
            if (StaticReshape(node) is { } reshape)
                staticReshapes[node] = reshape;
            else if (StaticView.Of(node) is { } staticView)
                staticViews[node] = staticView;
            // A linear layer's weight.t() is a constant too: computed above from the weight alone.
            if (node.Op?.Name is MatrixProduct or MatrixProductAdded && node.Args.ElementAtOrDefault(node.Op.Name == MatrixProduct ? 1 : 2) is Node right
                && constant.TryGetValue(right, out var operand)
                && Operators.LinalgKernels.PackRightOperand(operand) is { } packed)
            {
                packedRightOperands[node] = packed;
                if (node.Op.Name == MatrixProduct && BiasAdded(node, operand, constant) is var (biasAdd, bias, sum))
                    (biasOfProduct[node], productOfAdd[biasAdd]) = (bias, sum);
            }
            if (node.Op?.Name == Convolution && FixedConvolution(node, constant))
            {
                FoldIntoConvolution(node, constant, transposed: false);
                if (PreparedWeightFor(node, folded.TryGetValue(node, out var weights) ? weights.Weight : constant[(Node)node.Args[1]!]) is { } prepared)
                    preparedWeights[node] = prepared;
            }
            else if (node.Op?.Name == Convolution && FixedConvolution(node, constant, transposed: true))
                FoldIntoConvolution(node, constant, transposed: true);
            if (node.Op?.Name is LstmOp or GruOp && PreparedRecurrence(node, constant) is { } recurrent)
                recurrentWeights[node] = recurrent;
            if (node.Op?.Name == MaxPool && PaddingFold.OnlyValuesRead(node))
                poolValuesOnly.Add(node);
            if (PaddingFold.Into(node) is { } fold && !weightOnly.ContainsKey(fold.Pad))
            {
                foldedPadding[node] = [.. fold.Padding.Select(p => (SymInt)p)];
                chainPredecessor[fold.Pad] = (Node)fold.Pad.Args[0]!;
            }
        }
        var position = new Dictionary<Node, int>();
        foreach (var node in program.Graph.Nodes) position[node] = position.Count;
        foreach (var node in program.Graph.Nodes)
        {
            if (node.Op?.Name != Convolution || node.Args.Length != 9 || node.Args[6] is not bool || node.Kwargs.Count != 0 || weightOnly.ContainsKey(node)) continue;
            if (ConvolutionEpilogue.After(convolutionEnd.GetValueOrDefault(node, node), node, position) is not { } epilogue) continue;
            epilogueOf[node] = epilogue;
            foreach (var (later, before) in epilogue.HandOns) chainPredecessor[later] = before;
        }
        foreach (var node in program.Graph.Nodes)
        {
            if (GroupedAttention.At(node) is not { } grouped || grouped.RepeatNodes.Any(n => weightOnly.ContainsKey(n) || chainPredecessor.ContainsKey(n))) continue;
            groupedAttentionAt[node] = grouped;
            foreach (var repeat in grouped.RepeatNodes) chainPredecessor[repeat] = (Node)repeat.Args[0]!;
            groupRepeats.UnionWith(grouped.RepeatNodes);
        }
        var userOutputs = UserOutputNodes(program);
        foreach (var update in InPlaceStateUpdate.In(program).Values)
        {
            // A copy the user gets back must stay a tensor of its own, not the module's state.
            var copies = update.Copies;
            if (copies.Any(c => userOutputs.Contains(c) || chainPredecessor.ContainsKey(c) || weightOnly.ContainsKey(c))) continue;
            stateUpdatesInPlace.Add(update.IndexPut);
            foreach (var copy in copies) chainPredecessor[copy] = (Node)copy.Args[1]!;
        }
        var taken = chainPredecessor.Keys.Concat(productOfAdd.Keys).Concat(weightOnly.Keys).ToHashSet();
        foreach (var node in program.Graph.Nodes)
        {
            if (taken.Contains(node)) continue;
            if (SpelledOutLayerNorm.At(node, constant.ContainsKey) is { } norm && !norm.Nodes.Any(taken.Contains))
            {
                layerNormAt[node] = norm;
                foreach (var (later, before) in norm.Predecessors) chainPredecessor[later] = before;
                taken.UnionWith(norm.Nodes);
            }
            else if (SpelledOutGelu.At(node) is { } gelu && !gelu.Nodes.Any(taken.Contains))
            {
                geluAt[node] = gelu;
                for (int i = 1; i < gelu.Nodes.Count; i++) chainPredecessor[gelu.Nodes[i]] = gelu.Nodes[i - 1];
                taken.UnionWith(gelu.Nodes);
            }
            else if (UpsampledAdd.At(node) is { } upsampled && !taken.Contains(upsampled.Upsample))
            {
                upsampledAddAt[node] = upsampled;
                chainPredecessor[upsampled.Upsample] = (Node)upsampled.Upsample.Args[0]!;
                taken.UnionWith([node, upsampled.Upsample]);
            }
            else if (ChannelScaledResidual.At(node) is { } residual && !taken.Contains(residual.Multiply))
            {
                scaledResidualAt[residual.Multiply] = residual;
                chainPredecessor[node] = residual.Multiply;
                taken.UnionWith([node, residual.Multiply]);
            }
            else if (ScaledMaskedSoftmax.At(node) is { } softmax && !softmax.Nodes.Any(taken.Contains))
            {
                // The scaling before the computing node hands on x; the softmax hands on the computed result.
                softmaxAt[softmax.ComputedAt] = softmax;
                if (softmax.Nodes.Count == 3) chainPredecessor[softmax.Nodes[0]] = softmax.Input;
                chainPredecessor[node] = softmax.ComputedAt;
                taken.UnionWith(softmax.Nodes);
            }
        }
        foreach (var node in program.Graph.Nodes)
        {
            if (SafeSoftmaxGuard.Of(node) is not { } guard || guard.Guard.Append(guard.Where).Any(taken.Contains)) continue;
            if (node.Args[1] is not long dim || node.Value is not TensorMeta { DType: DType.Float32 or DType.Float64 } meta || (dim != -1 && dim != meta.Shape.Length - 1)) continue;
            // The where hands on the softmax's output, whose only reader it is: the eq zeroes its rows in place first.
            if (guard.Softmax.Users.Count != 1) continue;
            safeGuardAt[guard.Guard[0]] = guard;
            for (int i = 1; i < guard.Guard.Count; i++) chainPredecessor[guard.Guard[i]] = guard.Guard[i - 1];
            chainPredecessor[guard.Where] = guard.Softmax;
            taken.UnionWith(guard.Guard.Append(guard.Where));
        }
        foreach (var chain in PointwiseChain.Find(program.Graph.Nodes, taken))
        {
            chainAt[chain.Nodes[0]] = chain;
            for (int i = 1; i < chain.Nodes.Count; i++) chainPredecessor[chain.Nodes[i]] = chain.Nodes[i - 1];
            taken.UnionWith(chain.Nodes);
        }
        foreach (var single in PointwiseChain.Find(program.Graph.Nodes, taken, minimumNodes: 1))
            if (single.Nodes.Count == 1) singleStepAt[single.Nodes[0]] = single;
        // A convolution's output (as the graph reads it, after what was folded into it or run on it) is a new array
        // nothing else holds: a chain whose nodes are its only readers (HardSwish written out reads it twice) writes
        // over it rather than into a new tensor.
        var convolutionOutputs = program.Graph.Nodes.Where(n => n.Op?.Name == Convolution && !weightOnly.ContainsKey(n)).Concat(convolutionEnd.Values)
            .Concat(epilogueOf.Values.Select(e => e.HandOns[^1].Later)).ToHashSet();
        foreach (var chain in chainAt.Values.Concat(singleStepAt.Values))
            if (convolutionOutputs.Contains(chain.Input) && chain.Input.Users.All(chain.Nodes.Contains)) overwritingChains.Add(chain);
        foreach (var node in program.Graph.Nodes)
            if (RunOf(node) is { } run) runs[node] = run;
    }

    // A batch norm that only the convolution feeds, then a run of numbers added and multiplied after it (or after the
    // convolution itself), folded into its weight and bias once. A transposed convolution's output channels lie along
    // its weight's dim 1, per group, and its bias may come as an add of its own first (PP-OCR's detection head: three
    // passes over 24 channels at 320×320, 1.1 ms of one core, gone).
    private void FoldIntoConvolution(Node conv, Dictionary<Node, Tensor> constant, bool transposed)
    {
        Tensor? Value(object? arg) => arg is Node n ? constant[n] : null;
        var weight = constant[(Node)conv.Args[1]!];
        var bias = Value(conv.Args[2]);
        int groups = transposed ? Convert.ToInt32(conv.Args[8]) : 1;
        var end = conv;
        bool changed = false;
        if (transposed)
        {
            // The bias, never null from here on, also gives the affine below the channel count (a transposed weight's
            // dim 0 is its input channels).
            long channels = weight.Shape[1].Hint * groups;
            bias ??= Torch.Zeros([channels], dtype: weight.DType);
            if (ChannelBiasAdd.After(end, channels, constant) is { } add)
            {
                bias = (bias.To(DType.Float64) + add.Bias.To(DType.Float64)).To(weight.DType).Contiguous();
                chainPredecessor[add.Add] = end;
                end = add.Add;
                changed = true;
            }
        }
        if (FoldableNorm(end, constant) is { } norm)
        {
            var (mean, variance, gamma, beta, eps) = (constant[(Node)norm.Args[3]!], constant[(Node)norm.Args[4]!], Value(norm.Args[1]), Value(norm.Args[2]), Convert.ToDouble(norm.Args[6]));
            (weight, bias) = transposed
                ? BatchNormFolding.FoldTransposed(weight, bias, mean, variance, gamma, beta, eps, groups)
                : BatchNormFolding.Fold(weight, bias, mean, variance, gamma, beta, eps);
            emptyStatistics[norm] = Torch.Zeros([0], dtype: weight.DType);
            changed = true;
            // The normalized output as the graph reads it: item 0 of the batch norm's result.
            end = norm.Users is [var item] ? item : norm;
        }
        // A zero or non-finite scale (a multiply by 0, a divide by 0) is left to run as written: folded, it would turn
        // the weights into zeros or infinities and lose the infinities and NaNs the convolution's output carries.
        if (ScalarAffine.After(end) is { } affine && double.IsFinite(affine.Scale) && affine.Scale != 0 && double.IsFinite(affine.Shift))
        {
            (weight, bias) = affine.Fold(weight, bias);
            for (int i = 0; i < affine.Nodes.Count; i++) chainPredecessor[affine.Nodes[i]] = i == 0 ? end : affine.Nodes[i - 1];
            foldedAffines++;
            changed = true;
            end = affine.Nodes[^1];
        }
        if (changed) (folded[conv], convolutionEnd[conv]) = ((weight, bias!), end);
    }

    // The weight of a groups-1 2-D convolution (FixedConvolution: not transposed) prepared for Winograd's path (float32
    // 3×3 at stride 1 without dilation, enough channels, a map of 7×7 or more: ResNet's 7×7 layers 1.07-1.10 ms
    // position-major, 0.68-0.72 Winograd) or else, when its output map (as traced) is small enough, for the
    // position-major one.
    private static Cpu.PreparedConvolutionWeight? PreparedWeightFor(Node conv, Tensor weight)
    {
        if (conv.Args[8] is not (1 or 1L)) return null;
        if (weight.Ndim == 3) return PreparedWeightFor1d(conv, weight);
        if (weight.Ndim != 4 || conv.Value is not TensorMeta { Shape: { Length: 3 or 4 } shape }) return null;
        // The traced map (its hints, where it is dynamic) decides between the two.
        long positions = shape[^2].Hint * shape[^1].Hint;
        if (weight.DType == DType.Float32 && IntPair(conv.Args[3]) is { } stride && IntPair(conv.Args[5]) is { } dilation
            && Cpu.WinogradWeight.Suits(weight.Sizes, 1, stride, dilation) && positions >= Cpu.WinogradWeight.MinPositions)
            return Cpu.WinogradWeight.Prepare(Operators.Eager.Dense<float>(weight.Contiguous()), weight.Sizes);
        if (shape[^1].IsSymbolic || shape[^2].IsSymbolic) return null;
        if (!Cpu.Convolution.PositionMajorSuits(positions, weight.Sizes[2] * weight.Sizes[3], weight.Sizes[1], weight.Sizes[0])) return null;
        var dense = weight.Contiguous();
        return weight.DType switch
        {
            DType.Float32 => Cpu.PositionMajorWeight<float>.Prepare(Operators.Eager.Dense<float>(dense), dense.Sizes, positions),
            DType.Float64 => Cpu.PositionMajorWeight<double>.Prepare(Operators.Eager.Dense<double>(dense), dense.Sizes, positions),
            _ => null,
        };
    }

    // The value of an op node that reads only constants (at least one of them), computed now; null for anything else:
    // an op that mutates or draws random numbers, an output the caller receives (it must be a fresh tensor each call,
    // which the caller may change), a result of symbolic or very large shape, or one that is not a single tensor.
    private static Tensor? WeightOnlyValue(Node node, Dictionary<Node, Tensor> constant, Node? outputNode)
    {
        const long MaxElements = 1L << 26;
        if (node.Kind != NodeKind.CallFunction || node.Target is not Operators.OpOverload op || !op.IsRegistered || op.Schema.IsMutable) return null;
        if (op.Tags.Contains("nondeterministic_seeded") || op.Name.Contains("dropout", StringComparison.Ordinal) || op.Name.Contains("bernoulli", StringComparison.Ordinal)) return null;
        if (outputNode is not null && node.Users.Contains(outputNode)) return null;
        // A view costs nothing however large (a linear layer's weight.t()); another result is a copy kept for good.
        if (node.Value is not TensorMeta meta || meta.Shape.Any(d => d.IsSymbolic)
            || (!op.Schema.IsView && meta.Shape.Aggregate(1L, (a, d) => a * d.Hint) > MaxElements)) return null;
        bool readsConstant = false, readsOther = false;
        object? Resolve(object? arg)
        {
            switch (arg)
            {
                case Node n when constant.TryGetValue(n, out var value):
                    readsConstant = true;
                    return value;
                case Node:
                    readsOther = true;
                    return null;
                case object?[] list:
                    var resolved = list.Select(Resolve).ToArray();
                    return resolved.Length > 0 && resolved.All(r => r is Tensor) ? Array.ConvertAll(resolved, r => (Tensor)r!) : resolved;
                default:
                    return arg;
            }
        }
        var args = node.Args.Select(Resolve).ToArray();
        var kwargs = node.Kwargs.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value));
        if (!readsConstant || readsOther) return null;
        return Operators.Dispatcher.Invoke(op, op.BindArgs(args, kwargs.Count == 0 ? null : kwargs)) is Tensor { IsFake: false } result ? result : null;
    }

    // A groups-1 1-D convolution's weight [O, C, K] prepared as [O, C, 1, K] for the position-major path, when its
    // (static) output length suits it: Silero VAD's encoder (129→128 channels over 4 positions), whose weight the
    // plain path packed for the GEMM again on every call.
    private static Cpu.PreparedConvolutionWeight? PreparedWeightFor1d(Node conv, Tensor weight)
    {
        if (conv.Value is not TensorMeta { Shape: { Length: 2 or 3 } shape } || shape[^1].IsSymbolic) return null;
        long positions = shape[^1].Hint;
        if (!Cpu.Convolution.PositionMajorSuits(positions, weight.Sizes[2], weight.Sizes[1], weight.Sizes[0])) return null;
        var dense = weight.Contiguous();
        long[] asPlanar = [weight.Sizes[0], weight.Sizes[1], 1, weight.Sizes[2]];
        return weight.DType switch
        {
            DType.Float32 => Cpu.PositionMajorWeight<float>.Prepare(Operators.Eager.Dense<float>(dense), asPlanar, positions),
            DType.Float64 => Cpu.PositionMajorWeight<double>.Prepare(Operators.Eager.Dense<double>(dense), asPlanar, positions),
            _ => null,
        };
    }

    // An LSTM's or GRU's weights packed once, when every one is a constant of float32 or float64, its flags are
    // numbers, and it has no dropout between layers in training; else null.
    private static Operators.RecurrentWeights? PreparedRecurrence(Node node, Dictionary<Node, Tensor> constant)
    {
        if (node.Kwargs.Count != 0 || node.Args.Length != 9 || node.Args[2] is not object?[] parameters) return null;
        var weights = new Tensor[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (parameters[i] is not Node p || !constant.TryGetValue(p, out var value) || value.DType is not (DType.Float32 or DType.Float64)) return null;
            weights[i] = value;
        }
        if (weights.Length == 0 || weights.Any(w => w.DType != weights[0].DType) || node.Args.Skip(3).Any(a => a is Node)) return null;
        if (!Operators.RecurrentKernels.Preparable(node.Args)) return null;
        bool lstm = node.Op!.Name == LstmOp;
        bool projected = false;
        if (lstm && node.Args[1] is object?[] { Length: 2 } states && states[0] is Node { Value: TensorMeta h } && states[1] is Node { Value: TensorMeta c })
            projected = h.Shape.Length == 3 && c.Shape.Length == 3 && !(h.Shape[2] == c.Shape[2]);
        bool bidirectional = node.Args[7] is true;
        try
        {
            return Operators.RecurrentWeights.Prepare(lstm ? "lstm" : "gru", weights, node.Args[3] is true, Convert.ToInt32(node.Args[4]), bidirectional ? 2 : 1, projected);
        }
        catch (ArgumentException)
        {
            // Weights the op itself refuses: left to it, for its message.
            return null;
        }
    }

    // A convolution's stride or dilation as (H, W): one value for both or one per dim, as fixed numbers; else null.
    private static (int H, int W)? IntPair(object? value) => NodeArgs.Longs(value) switch
    {
        [var both] => ((int)both, (int)both),
        [var h, var w] => ((int)h, (int)w),
        _ => null,
    };

    /// <summary>Selects, slices, unsqueezes, squeezes and permutes of static shapes, made from their input's strides.</summary>
    public int StaticViews => staticViews.Count;

    /// <summary>LSTMs and GRUs whose weights were packed once.</summary>
    public int PreparedRecurrences => recurrentWeights.Count;

    /// <summary>Nodes that read only weights, computed once when the module was frozen.</summary>
    public int WeightOnlyNodes => weightOnly.Count;

    /// <summary>Matrix products whose right operand was packed once.</summary>
    public int PackedMatrices => packedRightOperands.Count;

    /// <summary>Bias additions run as part of the matrix product before them.</summary>
    public int FusedBiases => biasOfProduct.Count;

    /// <summary>Batch norms folded into the convolutions before them.</summary>
    public int FoldedBatchNorms => emptyStatistics.Count;

    /// <summary>x·clamp(x + 3, 0, 6) / 6 spellings of HardSwish run as one step of an elementwise chain.</summary>
    public int FusedHardswishes => chainAt.Values.Sum(c => c.Hardswishes);

    /// <summary>Chains of elementwise functions of one tensor run in one pass.</summary>
    public int FusedPointwiseChains => chainAt.Count;

    /// <summary>Of those, the chains that write over the convolution output they read.</summary>
    public int OverwritingChains => overwritingChains.Count(c => chainAt.ContainsKey(c.Nodes[0]));

    /// <summary>Elementwise ops of one tensor outside any chain, run as a chain of one step.</summary>
    public int DirectElementwiseOps => singleStepAt.Count;

    /// <summary>Runs of numbers added and multiplied after a convolution, folded into its weight and bias.</summary>
    public int FoldedAffines => foldedAffines;

    /// <summary>Layer norms written out as mean, sub, pow, mean, add, sqrt, div (and a constant mul and add) run as one op.</summary>
    public int FusedLayerNorms => layerNormAt.Count;

    /// <summary>Adds of a nearest upsample read by nothing else, run as one op.</summary>
    public int UpsampledAdds => upsampledAddAt.Count;

    /// <summary>Adds of x and x scaled per channel (squeeze-and-excitation gates as residuals) run as one pass.</summary>
    public int ScaledResiduals => scaledResidualAt.Count;

    /// <summary>Softmaxes of scores divided or multiplied by a number and/or with a mask added, run as one pass.</summary>
    public int FusedSoftmaxes => softmaxAt.Count;

    public int FoldedSoftmaxGuards => safeGuardAt.Count;

    /// <summary>Exact GELUs written out as x·½(1 + erf(x/√2)) run as one op.</summary>
    public int FusedGelus => geluAt.Count;

    /// <summary>Convolutions that add a residual and/or apply a ReLU to their output in the same pass.</summary>
    public int ConvolutionEpilogues => epilogueOf.Count;

    /// <summary>Constant pads taken into the padding of the convolution or max pool that reads them.</summary>
    public int FoldedPads => foldedPadding.Count;

    /// <summary>Max pools whose indices nobody reads, run without computing them.</summary>
    public int ValueOnlyMaxPools => poolValuesOnly.Count;

    /// <summary>Convolutions whose small output maps run position-major, their weight prepared once.</summary>
    public int PositionMajorConvolutions => preparedWeights.Values.Count(w => w is not Cpu.WinogradWeight);

    /// <summary>3×3 convolutions run by Winograd's F(2×2, 3×3), their weight transformed once.</summary>
    public int WinogradConvolutions => preparedWeights.Values.Count(w => w is Cpu.WinogradWeight);

    public string? Role(Node node)
    {
        var role = RoleOf(node);
        return preparedWeights.GetValueOrDefault(node) switch
        {
            Cpu.WinogradWeight => $"{role ?? "frozen: convolution"}, Winograd F(2x2, 3x3)",
            { } => $"{role ?? "frozen: convolution"}, position-major (small map)",
            null => role,
        };
    }

    private string? RoleOf(Node node) =>
        epilogueOf.TryGetValue(node, out var epilogue) ? (epilogue.Residual is null ? "frozen: convolution with its ReLU" : epilogue.Relu ? "frozen: convolution with its residual add and ReLU" : "frozen: convolution with its residual add")
        : folded.ContainsKey(node) ? "frozen: convolution with batch norm or affine folded in"
        : foldedPadding.ContainsKey(node) && node.Op?.Name == Convolution ? "frozen: convolution with the pad before it folded in"
        : poolValuesOnly.Contains(node) ? (foldedPadding.ContainsKey(node) ? "frozen: max pool without indices, the pad before it folded in" : "frozen: max pool without indices")
        : packedRightOperands.ContainsKey(node) ? (biasOfProduct.ContainsKey(node) ? "frozen: matrix product with packed weight and bias" : "frozen: matrix product with packed weight")
        : chainAt.ContainsKey(node) ? "frozen: fused elementwise chain"
        : singleStepAt.ContainsKey(node) ? "frozen: elementwise op, run without dispatch"
        : layerNormAt.ContainsKey(node) ? "frozen: layer norm written out as 7-9 ops, run as one"
        : geluAt.ContainsKey(node) ? "frozen: GELU written out as 5 ops, run as one"
        : softmaxAt.ContainsKey(node) ? "frozen: softmax of scaled and masked scores, run as one"
        : groupedAttentionAt.ContainsKey(node) ? "frozen: attention on unrepeated key/value heads (enable_gqa)"
        : stateUpdatesInPlace.Contains(node) ? "frozen: buffer update written into the buffer itself"
        : safeGuardAt.ContainsKey(node) ? "frozen: attention's guard for rows of -inf, on the softmax's rows"
        : upsampledAddAt.ContainsKey(node) ? "frozen: add of a nearest upsample, run as one"
        : scaledResidualAt.ContainsKey(node) ? "frozen: add of x and x scaled per channel, run as one"
        : weightOnly.ContainsKey(node) ? "frozen: computed from weights alone, once"
        : recurrentWeights.ContainsKey(node) ? "frozen: recurrence with its weights packed once"
        : staticReshapes.ContainsKey(node) ? "frozen: reshape to a static shape"
        : productOfAdd.ContainsKey(node) || chainPredecessor.ContainsKey(node) || emptyStatistics.ContainsKey(node) ? "frozen: folded or fused away (hands a value on)"
        : staticViews.ContainsKey(node) ? "frozen: view of a static shape, made from its input's strides"
        : null;

    public bool TryRun(Node node, Func<object?, object?> resolve, out object? result)
    {
        if (runs.TryGetValue(node, out var run)) return run(resolve, out result);
        result = null;
        return false;
    }

    /// <summary>How a node this runner takes is run, given how to resolve its arguments; false hands it back to the
    /// interpreter (a product whose input does not fit its packed weight, for the plain op's message).</summary>
    private delegate bool NodeRun(Func<object?, object?> resolve, out object? result);

    // What each node this runner takes does, chosen once (one lookup per node and call, not one per kind of fold).
    private NodeRun? RunOf(Node node)
    {
        if (weightOnly.TryGetValue(node, out var fixedValue))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                result = fixedValue;
                return true;
            };
        if (recurrentWeights.TryGetValue(node, out var recurrent))
        {
            bool lstm = node.Op!.Name == LstmOp;
            return (Func<object?, object?> resolve, out object? result) =>
            {
                var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => resolve(kv.Value));
                result = Operators.RecurrentKernels.RunPrepared(node.Op!.BindArgs(node.Args.Select(resolve).ToArray(), kwargs), lstm, recurrent);
                return true;
            };
        }
        if (groupedAttentionAt.ContainsKey(node))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // The key and value arguments resolve to the unrepeated tensors: the repeat's nodes handed them on.
                var args = node.Args.Select(resolve).ToArray();
                var kwargs = node.Kwargs.ToDictionary(kv => kv.Key, kv => resolve(kv.Value));
                kwargs["enable_gqa"] = true;
                result = node.Op!.Call(args, kwargs);
                return true;
            };
        // The repeat's nodes hand on their input: checked before the static reshapes and views they would otherwise be.
        if (groupRepeats.Contains(node))
            return HandOn(chainPredecessor[node]);
        if (stateUpdatesInPlace.Contains(node))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // The state tensor the module passed in, written where the indices point; it is the new value.
                var args = node.Args.Select(resolve).ToArray();
                result = Torch.Ops["aten::index_put_"].Call(args.Length >= 3 ? args[..3] : args);
                return true;
            };
        bool foldedWeights = folded.TryGetValue(node, out var weights), paddingTaken = foldedPadding.TryGetValue(node, out var padding);
        if (poolValuesOnly.Contains(node))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => resolve(kv.Value));
                var bound = node.Op!.BindArgs(node.Args.Select(resolve).ToArray(), kwargs);
                // The pad before it hands on its input (resolved as argument 0), read with the padding that covers both.
                if (paddingTaken) bound[3] = padding;
                result = new[] { Operators.NNKernels.MaxPool2dValues(bound), noIndices };
                return true;
            };
        var epilogue = epilogueOf.GetValueOrDefault(node);
        var prepared = preparedWeights.GetValueOrDefault(node);
        if (foldedWeights || paddingTaken || epilogue is not null || prepared is not null)
            return (Func<object?, object?> resolve, out object? result) =>
            {
                var args = node.Args.Select(resolve).ToArray();
                if (foldedWeights) (args[1], args[2]) = (weights.Weight, weights.Bias);
                if (paddingTaken) args[4] = padding;
                // The prepared weight serves an input of its dtype; any other goes to the op, for its message.
                result = prepared is not null && args[0] is Tensor { IsFake: false } input && input.DType == ((Tensor)args[1]!).DType
                    ? Operators.NNKernels.ConvolutionPrepared(node.Op!.BindArgs(args, null), prepared)
                    : node.Op!.Call(args);
                if (epilogue is not null) result = WithEpilogue((Tensor)result!, epilogue, resolve);
                return true;
            };
        if (packedRightOperands.TryGetValue(node, out var packed))
        {
            bool added = node.Op!.Name == MatrixProductAdded;
            var bias = biasOfProduct.GetValueOrDefault(node);
            // Positional arguments only (as exporters and importers write mm and addmm): bound here, with addmm's
            // beta and alpha defaulting to 1, instead of by the schema on every call.
            bool positional = node.Kwargs.Count == 0 && node.Args.Length == (added ? 3 : 2);
            return (Func<object?, object?> resolve, out object? result) =>
            {
                object?[] bound;
                if (positional) bound = added ? [resolve(node.Args[0]), resolve(node.Args[1]), resolve(node.Args[2]), 1.0, 1.0] : [resolve(node.Args[0]), resolve(node.Args[1])];
                else
                {
                    var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => resolve(kv.Value));
                    bound = node.Op.BindArgs(node.Args.Select(resolve).ToArray(), kwargs);
                }
                // addmm(bias, x, B, beta = 1, alpha = 1): the add after it then has nothing left to do. An x that does
                // not fit B (null) goes to the plain mm, which fails on it with torch's message.
                result = bias is not null
                    ? Operators.LinalgKernels.ProductWithPacked(true, [bias, bound[0], bound[1], 1.0, 1.0], packed)
                    : Operators.LinalgKernels.ProductWithPacked(added, bound, packed);
                return result is not null;
            };
        }
        if (staticReshapes.TryGetValue(node, out var shape))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // A strided input (a transposed user input, say) goes to the op itself, which copies where it must.
                result = resolve(node.Args[0]) is Tensor { IsFake: false } input && input.IsContiguous() && input.Sizes.Aggregate(1L, (a, b) => a * b) == shape.Sizes.Aggregate(1L, (a, b) => a * b)
                    ? new Tensor(input.Storage, (long[])shape.Sizes.Clone(), (long[])shape.Strides.Clone(), input.offset)
                    : null;
                return result is not null;
            };
        if (productOfAdd.TryGetValue(node, out var sum))
            return HandOn(sum);
        if (chainAt.TryGetValue(node, out var chain) || singleStepAt.TryGetValue(node, out chain))
        {
            bool overwrite = overwritingChains.Contains(chain);
            return (Func<object?, object?> resolve, out object? result) =>
            {
                result = Operators.PointwiseChainKernel.Run((Tensor)resolve(chain.Input)!, chain.Steps, overwrite);
                return true;
            };
        }
        if (layerNormAt.TryGetValue(node, out var norm))
        {
            SymInt[] normalizedShape = [.. norm.NormalizedShape.Select(d => (SymInt)d)];
            return (Func<object?, object?> resolve, out object? result) =>
            {
                var weight = norm.Weight is { } w ? (Tensor)resolve(w)! : null;
                var bias = norm.Bias is { } b ? (Tensor)resolve(b)! : null;
                var input = (Tensor)resolve(norm.Input)!;
                // The output alone where the input's rows lie contiguous; else the kernel, without the op's binding and
                // meta checks (the traced shapes passed them), which checks the shapes it is given. Either costs less
                // than the op for a short row.
                result = LayerNormOutput(input, norm.NormalizedShape, weight, bias, norm.Eps)
                    ?? ((Tensor[])Operators.NNKernels.NativeLayerNorm([input, normalizedShape, weight, bias, norm.Eps])!)[0];
                return true;
            };
        }
        if (geluAt.TryGetValue(node, out var gelu))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                result = Aten.Call(Aten.Gelu, (Tensor)resolve(gelu.Input)!, "none");
                return true;
            };
        if (upsampledAddAt.TryGetValue(node, out var upsampled))
        {
            var upsampleArgs = upsampled.Upsample.Args.Skip(1).ToArray();
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // The upsample handed on its input.
                result = Operators.NNKernels.UpsampledAdd((Tensor)resolve(upsampled.Upsample)!, (Tensor)resolve(upsampled.Other)!, upsampled.Upsample.Op!, upsampleArgs, upsampled.UpsampleFirst);
                return true;
            };
        }
        if (scaledResidualAt.TryGetValue(node, out var residual))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                result = Operators.NNKernels.ChannelScaledResidual((Tensor)resolve(residual.X)!, (Tensor)resolve(residual.Scale)!);
                return true;
            };
        if (safeGuardAt.TryGetValue(node, out var guard))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // The softmax's output is its own (a new tensor its where alone reads); the scores are still live.
                var probabilities = (Tensor)resolve(guard.Softmax)!;
                Operators.NNKernels.ZeroRowsOfNegativeInfinity(probabilities, (Tensor)resolve(guard.Scores)!);
                result = probabilities;
                return true;
            };
        if (softmaxAt.TryGetValue(node, out var softmax))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                var mask = softmax.Mask is { } m ? (Tensor)resolve(m)! : null;
                result = Operators.NNKernels.ScaledMaskedSoftmax((Tensor)resolve(softmax.ScoresAt)!, softmax.Scale, mask);
                return true;
            };
        if (chainPredecessor.TryGetValue(node, out var before))
            return HandOn(before);
        if (emptyStatistics.TryGetValue(node, out var empty))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                // The convolution before it already gave the normalized output; the statistics outputs are unused.
                result = new[] { (Tensor)resolve(node.Args[0])!, empty, empty };
                return true;
            };
        if (staticViews.TryGetValue(node, out var view))
            return (Func<object?, object?> resolve, out object? result) =>
            {
                result = resolve(node.Args[0]) is Tensor input ? view.Apply(input) : null;
                return result is not null;
            };
        return null;
    }

    // The residual add and ReLU on the convolution's output, in place where it is a contiguous float32 array of its own
    // (as the kernel returns it) and the residual has its shape; else as the add and relu ops compute them.
    private static Tensor WithEpilogue(Tensor output, ConvolutionEpilogue epilogue, Func<object?, object?> resolve)
    {
        var residual = epilogue.Residual is { } node ? (Tensor)resolve(node)! : null;
        if (output.DType == DType.Float32 && output.Storage.Data is float[] data && output.IsContiguous() && output.offset == 0 && data.LongLength == output.NumelLong
            && (residual is null || (residual.DType == DType.Float32 && residual.Sizes.AsSpan().SequenceEqual(output.Sizes))))
        {
            Cpu.ResidualRelu.Apply(data, residual is null ? null : Operators.Eager.Dense<float>(residual), epilogue.Relu);
            return output;
        }
        var sum = residual is null ? output : Aten.Call(Aten.Add, output, residual);
        return epilogue.Relu ? Aten.Call(Aten.Relu, sum) : sum;
    }

    // A layer norm's output over rows that lie contiguous in a float32 or float64 input, with a weight and bias (or
    // none) of the row's length and dtype; null for anything else.
    private static Tensor? LayerNormOutput(Tensor input, long[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
    {
        int axis = input.Ndim - normalizedShape.Length;
        if (axis < 0 || normalizedShape.Length == 0 || !input.Sizes.AsSpan(axis).SequenceEqual(normalizedShape) || !input.IsContiguous()) return null;
        long d = normalizedShape.Aggregate(1L, (a, b) => a * b), n = input.NumelLong;
        if (d <= 0 || d > int.MaxValue || n == 0) return null;
        bool Fits(Tensor? t) => t is null || (t.DType == input.DType && t.NumelLong == d);
        if (!Fits(weight) || !Fits(bias)) return null;
        return input.Storage.Data switch
        {
            float[] x => Operators.Eager.Wrap(Cpu.Normalization.LayerNormOutput(x, (int)input.offset, (int)n, (int)d,
                weight is null ? null : Operators.Eager.Dense<float>(weight), bias is null ? null : Operators.Eager.Dense<float>(bias), eps), (long[])input.Sizes.Clone(), input.DType),
            double[] x => Operators.Eager.Wrap(Cpu.Normalization.LayerNormOutput(x, (int)input.offset, (int)n, (int)d,
                weight is null ? null : Operators.Eager.Dense<double>(weight), bias is null ? null : Operators.Eager.Dense<double>(bias), eps), (long[])input.Sizes.Clone(), input.DType),
            _ => null,
        };
    }

    // The nodes the program returns to the user (not its state updates).
    private static HashSet<Node> UserOutputNodes(ExportedProgram program)
    {
        var items = program.Graph.OutputValues;
        var nodes = new HashSet<Node>();
        for (int i = 0; i < items.Length && i < program.GraphSignature.OutputSpecs.Count; i++)
            if (program.GraphSignature.OutputSpecs[i].Kind is not (OutputKind.BufferMutation or OutputKind.ParameterMutation) && items[i] is Node n) nodes.Add(n);
        return nodes;
    }

    // A node whose value is another's, computed before it.
    private static NodeRun HandOn(Node source) => (Func<object?, object?> resolve, out object? result) =>
    {
        result = resolve(source);
        return true;
    };

    // The sizes and contiguous strides of a view, _unsafe_view or reshape whose input and output shapes are static.
    private static (long[] Sizes, long[] Strides)? StaticReshape(Node node)
    {
        if (node.Op?.Name is not (ReshapeView or UnsafeReshapeView or Reshape) || node.Kwargs.Count != 0) return null;
        if (node.Args.ElementAtOrDefault(0) is not Node { Value: TensorMeta input } || node.Value is not TensorMeta output) return null;
        if (input.Shape.Any(s => s.IsSymbolic) || output.Shape.Any(s => s.IsSymbolic)) return null;
        var sizes = output.Shape.Select(s => s.Hint).ToArray();
        var strides = new long[sizes.Length];
        long stride = 1;
        for (int d = sizes.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= Math.Max(sizes[d], 1);
        }
        return (sizes, strides);
    }

    // add(p, b) or add(b, p) as the only user of the product p, or of a reshape of it that keeps its rows (ONNX's
    // MatMul on a batch of sequences: view to 2-D, mm, view back), b a constant row of the product's width and dtype.
    // Returns the add and the node whose value it hands on.
    private static (Node Add, Tensor Bias, Node Sum)? BiasAdded(Node product, Tensor weight, Dictionary<Node, Tensor> constant)
    {
        long width = weight.Shape[^1].Hint;
        var sum = product;
        if (product.Users is [{ Op.Name: "aten::view" or "aten::_unsafe_view" or "aten::reshape" } reshape]
            && reshape.Value is TensorMeta { Shape: [.., { IsSymbolic: false } last] } && last.Hint == width)
            sum = reshape;
        if (sum.Users is not [{ Op.Name: Add } add] || add.Kwargs.Count != 0 || add.Args.Length != 2) return null;
        var other = ReferenceEquals(add.Args[0], sum) ? add.Args[1] : ReferenceEquals(add.Args[1], sum) ? add.Args[0] : null;
        if (other is not Node biasNode || !constant.TryGetValue(biasNode, out var bias)) return null;
        bool row = bias.Ndim == 1 || (bias.Ndim == 2 && bias.Shape[0].Hint == 1);
        return row && bias.Shape[^1].Hint == width && bias.DType == weight.DType ? (add, bias, sum) : null;
    }

    // A convolution (transposed or not, as asked) of a constant floating weight and a constant or no bias: what folds
    // can change.
    private static bool FixedConvolution(Node conv, Dictionary<Node, Tensor> constant, bool transposed = false)
    {
        bool Fixed(object? arg, bool optional) => arg is Node n ? constant.ContainsKey(n) : optional && arg is null;
        if (conv.Args.Length != 9 || conv.Kwargs.Count != 0 || conv.Args[6] is not bool flag || flag != transposed) return false;
        if (!Fixed(conv.Args[1], optional: false) || !Fixed(conv.Args[2], optional: true)) return false;
        return constant[(Node)conv.Args[1]!].DType is DType.Float32 or DType.Float64;
    }

    // The inference batch norm a convolution can absorb: its only user, reading it as input, with constant
    // statistics and affine parameters, and only the normalized output (item 0) used.
    private static Node? FoldableNorm(Node conv, Dictionary<Node, Tensor> constant)
    {
        bool Fixed(object? arg, bool optional) => arg is Node n ? constant.ContainsKey(n) : optional && arg is null;
        if (conv.Users is not [{ Op.Name: BatchNorm } norm] || !ReferenceEquals(norm.Args[0], conv) || norm.Args.Length != 7 || norm.Kwargs.Count != 0) return null;
        if (!Fixed(norm.Args[1], optional: true) || !Fixed(norm.Args[2], optional: true) || !Fixed(norm.Args[3], optional: false) || !Fixed(norm.Args[4], optional: false)) return null;
        bool onlyNormalized = norm.Users.All(u => u.Target is BuiltinTarget b && b == BuiltinTarget.GetItem && Convert.ToInt64(u.Args[1]) == 0);
        return onlyNormalized ? norm : null;
    }
}
