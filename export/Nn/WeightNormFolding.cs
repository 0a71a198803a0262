namespace Graphport;

/// <summary>
/// torch.nn.utils.remove_weight_norm for checkpoints: a weight-normalized layer (HiFi-GAN's and EnCodec's
/// convolutions, wav2vec2's positional convolution) saves its weight as a magnitude g and a direction v, either as
/// <c>weight_g</c>/<c>weight_v</c> (torch.nn.utils.weight_norm) or as <c>parametrizations.weight.original0</c>/
/// <c>original1</c> (torch.nn.utils.parametrizations.weight_norm). Folding computes weight = g · v / ‖v‖ once, so the
/// checkpoint loads into the plain layer by torch's names, as inference code calls remove_weight_norm before it runs.
/// </summary>
public static class WeightNormFolding
{
    /// <summary>
    /// The state dict with every weight-normalized pair replaced by the weight it stands for (other entries as they
    /// are). The norm is taken over every dim but the one g keeps (dim 0 for a convolution's or linear's output
    /// channels), over all of them when g is a single number.
    /// </summary>
    public static Dictionary<string, Tensor> Fold(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var folded = new Dictionary<string, Tensor>();
        var used = new HashSet<string>();
        foreach (var (key, g) in stateDict)
        {
            string? vKey = null, weightKey = null;
            if (key.EndsWith("_g", StringComparison.Ordinal))
            {
                vKey = key[..^2] + "_v";
                weightKey = key[..^2];
            }
            else if (key.EndsWith(".original0", StringComparison.Ordinal) && key.Contains("parametrizations.", StringComparison.Ordinal))
            {
                vKey = key[..^".original0".Length] + ".original1";
                // "block.parametrizations.weight.original0" → "block.weight"
                int at = key.LastIndexOf("parametrizations.", StringComparison.Ordinal);
                weightKey = key[..at] + key[(at + "parametrizations.".Length)..^".original0".Length];
            }
            if (vKey is null || weightKey is null || !stateDict.TryGetValue(vKey, out var v)) continue;
            folded[weightKey] = Torch.WeightNorm(v, g, NormDim(g, v, key));
            used.Add(key);
            used.Add(vKey);
        }
        foreach (var (key, value) in stateDict)
            if (!used.Contains(key) && !folded.ContainsKey(key)) folded[key] = value;
        return folded;
    }

    // The dim g keeps: the one where it has v's size and is not 1; -1 (the whole tensor) when g is a single number.
    private static long NormDim(Tensor g, Tensor v, string key)
    {
        if (g.Numel() == 1 && (g.Ndim == 0 || v.Shape.All(s => s.AsConstant != 1))) return -1;
        if (g.Ndim != v.Ndim)
            throw new ArgumentException($"{key}: a weight norm's magnitude has {g.Ndim} dims but its direction {v.Ndim}; expected the same number of dims, all of size 1 but the normalized one.", nameof(g));
        var kept = Enumerable.Range(0, g.Ndim).Where(d => (long)g.Shape[d] != 1).ToList();
        if (kept.Count == 1 && g.Shape[kept[0]].Equals(v.Shape[kept[0]])) return kept[0];
        if (kept.Count == 0) return Enumerable.Range(0, v.Ndim).First(d => (long)v.Shape[d] == 1);
        throw new ArgumentException($"{key}: a weight norm's magnitude of shape {g.Shape} does not keep one dim of its direction's {v.Shape}.", nameof(g));
    }
}
