using Graphport.Cpu;

namespace Graphport.Tests.Cpu;

public class RandomGeneratorTests
{
    [Fact]
    public void Philox_matches_the_published_known_answer_vectors()
    {
        // Random123 kat_vectors for philox4x32_10: counter 0, key 0; and counter/key all ones.
        Assert.Equal((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u), Philox.Block(0, 0, 0));
        Assert.Equal((0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu), Philox.Block(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue));
    }

    [Fact]
    public void Vectorized_block_fill_equals_the_scalar_blocks_across_a_32_bit_counter_carry()
    {
        ulong start = 0xFFFF_FFFDUL, key = 0x1234_5678_9ABC_DEF0UL;
        var words = new uint[4 * 9 + 3];
        Philox.Fill(key, start, words);
        for (int b = 0; b < 10; b++)
        {
            var (x0, x1, x2, x3) = Philox.Block(key, start + (ulong)b);
            uint[] expected = [x0, x1, x2, x3];
            for (int w = 0; w < 4 && 4 * b + w < words.Length; w++) Assert.Equal(expected[w], words[4 * b + w]);
        }
    }

    [Fact]
    public void Large_parallel_fills_equal_the_same_fill_done_in_small_pieces_of_whole_chunks()
    {
        var big = new float[3 * 4096 + 17];
        new RandomGenerator(77).FillNormal(big);
        var g = new RandomGenerator(77);
        var pieces = new float[big.Length];
        g.FillNormal(pieces.AsSpan(0, 4096));
        g.FillNormal(pieces.AsSpan(4096, 2 * 4096));
        g.FillNormal(pieces.AsSpan(3 * 4096));
        Assert.Equal(big, pieces);
    }

    [Fact]
    public void Same_seed_gives_the_same_sequence_and_reseeding_restarts_it()
    {
        var a = new RandomGenerator(123);
        var b = new RandomGenerator(123);
        var x1 = new float[1001];
        var y1 = new float[1001];
        a.FillNormal(x1);
        b.FillNormal(y1);
        Assert.Equal(x1, y1);
        var x2 = new long[10];
        a.FillRandint(x2, -5, 5);
        a.Seed(123);
        var again = new float[1001];
        a.FillNormal(again);
        Assert.Equal(x1, again);
        var other = new float[1001];
        new RandomGenerator(124).FillNormal(other);
        Assert.NotEqual(x1, other);
    }

    [Fact]
    public void Saving_the_offset_replays_a_stream()
    {
        var g = new RandomGenerator(7);
        g.FillUniform(new double[33]);
        ulong offset = g.Offset;
        var first = new double[50];
        g.FillUniform(first, -2, 3);
        g.Offset = offset;
        var replay = new double[50];
        g.FillUniform(replay, -2, 3);
        Assert.Equal(first, replay);
    }

    [Fact]
    public void Default_generator_is_reset_by_manual_seed_and_is_thread_safe()
    {
        RandomGenerator.ManualSeed(99);
        var a = new float[64];
        RandomGenerator.Default.FillUniform(a);
        RandomGenerator.ManualSeed(99);
        var b = new float[64];
        RandomGenerator.Default.FillUniform(b);
        Assert.Equal(a, b);
        // Concurrent fills consume disjoint blocks: no value pair is duplicated across threads.
        RandomGenerator.ManualSeed(5);
        var results = new uint[8][];
        Parallel.For(0, 8, i =>
        {
            results[i] = new uint[400];
            RandomGenerator.Default.FillUInt32(results[i]);
        });
        var all = results.SelectMany(r => r).ToArray();
        Assert.True(all.Distinct().Count() > all.Length - 5);
        Assert.Equal(800UL, RandomGenerator.Default.Offset);
    }

    [Fact]
    public void Uniform_and_normal_have_the_expected_moments()
    {
        var g = new RandomGenerator(2024);
        var u = new float[200_000];
        g.FillUniform(u, 2, 5);
        Assert.All(u, v => Assert.InRange(v, 2f, 5f));
        double mean = u.Average(v => (double)v), var = u.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, 3.49, 3.51);
        Assert.InRange(var, 0.75 * 0.98, 0.75 * 1.02);
        var n = new double[200_000];
        g.FillNormal(n, 1, 2);
        double nm = n.Average(), nv = n.Average(v => (v - nm) * (v - nm));
        double skew = n.Average(v => Math.Pow((v - nm) / Math.Sqrt(nv), 3)), kurt = n.Average(v => Math.Pow((v - nm) / Math.Sqrt(nv), 4));
        Assert.InRange(nm, 0.98, 1.02);
        Assert.InRange(nv, 4 * 0.98, 4 * 1.02);
        Assert.InRange(skew, -0.05, 0.05);
        Assert.InRange(kurt, 2.9, 3.1);
        var nf = new float[100_001];
        g.FillNormal(nf);
        Assert.InRange(nf.Average(v => (double)v), -0.02, 0.02);
        Assert.All(nf, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Randint_and_bernoulli_cover_their_supports_with_the_right_frequencies()
    {
        var g = new RandomGenerator(11);
        var r = new long[60_000];
        g.FillRandint(r, -3, 3);
        Assert.All(r, v => Assert.InRange(v, -3, 2));
        foreach (var grp in r.GroupBy(v => v)) Assert.InRange(grp.Count(), 9_500, 10_500);
        Assert.Equal(6, r.Distinct().Count());
        var b = new float[100_000];
        g.Bernoulli(b, 0.3);
        Assert.All(b, v => Assert.True(v == 0f || v == 1f));
        Assert.InRange(b.Average(), 0.29, 0.31);
        var bd = new double[10];
        g.Bernoulli(bd, 1.0);
        Assert.All(bd, v => Assert.Equal(1.0, v));
        Assert.Throws<ArgumentException>(() => g.Bernoulli(b, 1.5));
        Assert.Throws<ArgumentException>(() => g.FillRandint(r, 3, 3));
        Assert.Throws<ArgumentException>(() => g.FillNormal(b, 0, -1));
    }
}
