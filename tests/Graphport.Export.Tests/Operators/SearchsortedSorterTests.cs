namespace Graphport.Tests.Operators;

/// <summary>
/// torch.searchsorted with a sorter (the indices that sort an unsorted sequence, as argsort gives): the insertion
/// points are those of the sorted sequence, on random inputs, and a sorter that cannot be one is refused with torch's
/// message. (Torch's own outputs for both forms: Interop/TorchFunctionArchivesTests, sort_search.)
/// </summary>
public class SearchsortedSorterTests
{
    private static readonly Graphport.Operators.OpOverload Searchsorted = Torch.Ops["aten::searchsorted.Tensor"];

    private static Tensor Search(Tensor sequence, Tensor values, Tensor? sorter = null, bool right = false, string? side = null) =>
        (Tensor)Searchsorted.Call([sequence, values], new Dictionary<string, object?> { ["sorter"] = sorter, ["right"] = right, ["side"] = side })!;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_sorter_gives_the_insertion_points_of_the_sequence_in_sorted_order(bool right)
    {
        Torch.ManualSeed(right ? 11UL : 12UL);
        var rows = Torch.Randn(3, 9);
        // Values that hit elements exactly too, where left and right differ.
        var values = Torch.Cat([Torch.Randn(3, 4), rows.Narrow(1, 0, 3)], 1);
        var sorter = Torch.Ops["aten::argsort"].CallTensor(rows, -1L, false);
        var sorted = Torch.Ops["aten::sort"].Call(rows, -1L, false) is Tensor[] s ? s[0] : throw new InvalidOperationException();

        var withSorter = Search(rows, values, sorter, right);

        Assert.Equal(Search(sorted, values, right: right).ToArray<long>(), withSorter.ToArray<long>());
        Assert.Equal(Search(sorted.Select(0, 0), values.Select(0, 0), right: right).ToArray<long>(), Search(rows.Select(0, 0), values.Select(0, 0), sorter.Select(0, 0), right).ToArray<long>());
    }

    [Fact]
    public void A_sorter_of_another_dtype_or_shape_and_opposite_side_and_right_are_refused_with_torchs_messages()
    {
        var sequence = Torch.Randn(5);
        var values = Torch.Randn(3);

        var dtype = Assert.Throws<ArgumentException>(() => Search(sequence, values, Tensor.FromArray(new int[] { 0, 1, 2, 3, 4 }, 5)));
        Assert.Contains("sorter must be a tensor of long dtype but got dtype Int", dtype.Message);
        var shape = Assert.Throws<ArgumentException>(() => Search(sequence, values, Tensor.FromArray(new long[] { 0, 1, 2 }, 3)));
        Assert.Contains("boundary and sorter must have the same size, but got boundary tensor [5] and got sorter tensor [3]", shape.Message);
        var opposite = Assert.Throws<ArgumentException>(() => Search(sequence, values, right: true, side: "left"));
        Assert.Contains("side and right can't be set to opposites", opposite.Message);
    }
}
