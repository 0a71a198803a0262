namespace Graphport;

/// <summary>
/// How a loss reduces its per-element values, as ATen's int reduction argument numbers them (at::Reduction):
/// torch.nn.functional takes the names, the ops take the numbers.
/// </summary>
internal static class LossReduction
{
    public const long None = 0;
    public const long Mean = 1;
    public const long Sum = 2;

    /// <summary>The number of a reduction name; an unknown name fails with the names there are.</summary>
    public static long FromName(string reduction) => reduction switch
    {
        "none" => None,
        "mean" => Mean,
        "sum" => Sum,
        _ => throw new ArgumentException($"{reduction} is not a valid value for reduction: use \"none\", \"mean\" or \"sum\".", nameof(reduction)),
    };

    /// <summary>The number an op was given, checked (a .pt2 or a direct call may pass anything).</summary>
    public static long Check(long reduction, string op) => reduction is None or Mean or Sum
        ? reduction
        : throw new ArgumentException($"{op}: reduction {reduction} is not one of 0 (none), 1 (mean) or 2 (sum).");

    /// <summary>ATen's apply_loss_reduction: the mean or sum of every element, or the values themselves.</summary>
    public static Tensor Apply(Tensor loss, long reduction) => reduction switch
    {
        Mean => Aten.Call(Aten.Mean, loss),
        Sum => Aten.Call(Aten.Sum, loss),
        _ => loss,
    };
}
