using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

/// <summary>
/// Rows interleaved and split again eight or sixteen elements at a time: every length (vector bodies and scalar
/// tails) gives the element-by-element result, and splitting undoes interleaving.
/// </summary>
public class PairInterleaveTests
{
    [Fact]
    public void A_row_splits_into_its_even_and_odd_elements_and_interleaving_them_gives_it_back()
    {
        var rng = new Random(31);
        for (int n = 0; n <= 40; n++)
        {
            // One element past the pairs: a row of odd length splits as its first 2n elements.
            var row = CpuTestData.Floats(rng, 2 * n + 1, -5, 5);
            row[0] = -0f;
            var (even, odd) = (new float[n], new float[n + 2]);
            PairInterleave.Split(row, even, odd);
            for (int x = 0; x < n; x++)
            {
                Assert.Equal(row[2 * x], even[x]);
                Assert.Equal(row[2 * x + 1], odd[x]);
            }
            Assert.Equal([0f, 0f], odd[n..]);
            var back = new float[2 * n];
            PairInterleave.Float(even, odd, null, back);
            Assert.Equal(row[..(2 * n)].Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Every_other_element_is_taken_from_a_row_just_long_enough_or_longer()
    {
        var rng = new Random(32);
        for (int n = 0; n <= 40; n++)
            foreach (int extra in new[] { 0, 1, 5 })
            {
                // 2n − 1 elements are enough: the last even one is the row's last element.
                var row = CpuTestData.Floats(rng, Math.Max(2 * n - 1 + extra, 0), -5, 5);
                var taken = new float[n];
                PairInterleave.TakeEven(row, taken);
                Assert.Equal(Enumerable.Range(0, n).Select(x => row[2 * x]), taken);
            }
        Assert.Contains("expected at least 7", Assert.Throws<ArgumentException>(() => PairInterleave.TakeEven(new float[6], new float[4])).Message);
    }

    [Fact]
    public void A_row_too_short_for_the_split_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => PairInterleave.Split(new float[15], new float[8], new float[8]));
        Assert.Contains("twice its length to read", e.Message);
    }
}
