namespace Graphport;

/// <summary>
/// Efficient softmax approximation for large vocabularies (torch.nn.AdaptiveLogSoftmaxWithLoss, Grave et al.): the
/// most frequent classes (below cutoffs[0]) and one entry per cluster in a head layer; each cluster's classes in a
/// tail of two bias-free linear layers, the hidden size divided by divValue more for each later cluster. Forward gives
/// each row's log-probability of its target and the mean negative log-likelihood; <see cref="LogProb"/> the full
/// distribution, <see cref="Predict"/> the most likely class. State-dict names are torch's (head.weight,
/// tail.0.0.weight, tail.0.1.weight, ...).
/// torch picks each cluster's rows with nonzero (sizes the data decides); here every cluster's tail runs on every row
/// and each row takes its own cluster's value, so the same numbers come out of a program with static shapes that
/// exports with a dynamic batch.
/// </summary>
public sealed class AdaptiveLogSoftmaxWithLoss : Module<Tensor, Tensor, (Tensor Output, Tensor Loss)>
{
    private readonly Linear head;
    private readonly ModuleList tail;
    private readonly long[] cutoffs;

    public AdaptiveLogSoftmaxWithLoss(long inFeatures, long nClasses, IReadOnlyList<long> cutoffs, double divValue = 4.0, bool headBias = false)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        bool increasing = cutoffs.Zip(cutoffs.Skip(1), (a, b) => a < b).All(x => x);
        if (cutoffs.Count == 0 || !increasing || cutoffs[0] <= 0 || cutoffs[^1] > nClasses - 1)
            throw new ArgumentException("cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1", nameof(cutoffs));
        InFeatures = inFeatures;
        NClasses = nClasses;
        DivValue = divValue;
        this.cutoffs = [.. cutoffs, nClasses];
        ShortlistSize = this.cutoffs[0];
        NClusters = this.cutoffs.Length - 1;
        head = new Linear(inFeatures, ShortlistSize + NClusters, hasBias: headBias);
        tail = new ModuleList(Enumerable.Range(0, (int)NClusters).Select(i =>
        {
            long hidden = (long)Math.Floor(inFeatures / Math.Pow(divValue, i + 1));
            return (Module)new Sequential(new Linear(inFeatures, hidden, hasBias: false), new Linear(hidden, this.cutoffs[i + 1] - this.cutoffs[i], hasBias: false));
        }));
    }

    public long InFeatures { get; }

    public long NClasses { get; }

    public double DivValue { get; }

    public long ShortlistSize { get; }

    public long NClusters { get; }

    /// <summary>The cutoffs with n_classes appended, as torch stores them.</summary>
    public IReadOnlyList<long> Cutoffs => cutoffs;

    public Linear Head => head;

    public ModuleList Tail => tail;

    private Sequential Cluster(int i) => (Sequential)tail[i];

    public override (Tensor Output, Tensor Loss) Forward(Tensor input, Tensor target)
    {
        bool batched = target.Ndim == 1;
        if (target.Ndim > 1 || input.Ndim != target.Ndim + 1)
            throw new ArgumentException(target.Ndim > 1 ? "0D or 1D target tensor expected, multi-target not supported" : "1D target tensor expects 2D input tensors, but found inputs with size " + $"[{string.Join(", ", input.Shape)}]");
        if (batched && !(input.Size(0) == target.Size(0)))
            throw new ArgumentException("Input and target should have the same size in the batch dimension.");
        if (!batched)
        {
            input = input.Unsqueeze(0);
            target = target.Unsqueeze(0);
        }
        if (!target.IsFake)
        {
            // torch's check, by name; a traced program instead fails in the gather below (index -1) for such a row.
            double low = target.Min().Item(), high = target.Max().Item();
            if (low < 0 || high > NClasses - 1)
                throw new ArgumentException($"Target values should be in [0, {NClasses - 1}], but values in range [{low}, {high}] were found. ");
        }
        // The head's class for each row: its target in the shortlist, else its cluster's entry; -1 for none.
        var gatherIndex = Torch.FullLike(target, -1L);
        var output = Torch.ZerosLike(input.Select(1, 0));
        for (int i = 0; i <= NClusters; i++)
        {
            long low = i == 0 ? 0 : cutoffs[i - 1], high = cutoffs[i];
            var mask = target.Ge(low).LogicalAnd(target.Lt(high));
            if (i == 0)
            {
                gatherIndex = Torch.Where(mask, target, gatherIndex);
                continue;
            }
            gatherIndex = Torch.Where(mask, Torch.FullLike(target, ShortlistSize + i - 1), gatherIndex);
            var relative = (target - low).Clamp(0L, high - low - 1);
            var local = Functional.LogSoftmax(Cluster(i - 1).Call(input), 1).Gather(1, relative.Unsqueeze(1)).Squeeze(1);
            output = Torch.Where(mask, local, output);
        }
        var headLogProb = Functional.LogSoftmax(head.Call(input), 1);
        output = output + headLogProb.Gather(1, gatherIndex.Unsqueeze(1)).Squeeze(1);
        var loss = (-output).Mean();
        return (batched ? output : output.Squeeze(0), loss);
    }

    /// <summary>Log-probabilities of every class, (N, n_classes) or (n_classes) for one row.</summary>
    public Tensor LogProb(Tensor input)
    {
        bool batched = input.Ndim == 2;
        if (input.Ndim is not (1 or 2)) throw new ArgumentException($"AdaptiveLogSoftmaxWithLoss.LogProb: expected a 1D or 2D input, got {input.Ndim}D");
        var x = batched ? input : input.Unsqueeze(0);
        var headLogProb = Functional.LogSoftmax(head.Call(x), 1);
        var parts = new List<Tensor> { headLogProb.Narrow(1, 0, ShortlistSize) };
        for (int i = 0; i < NClusters; i++)
            parts.Add(Functional.LogSoftmax(Cluster(i).Call(x), 1) + headLogProb.Narrow(1, ShortlistSize + i, 1));
        var all = Torch.Cat(parts, 1);
        return batched ? all : all.Squeeze(0);
    }

    /// <summary>The most likely class of each row (the argmax of <see cref="LogProb"/>).</summary>
    public Tensor Predict(Tensor input) => LogProb(input).Argmax(-1);
}
