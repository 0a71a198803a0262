using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>
/// Seeded, reproducible random numbers from Philox4x32-10: the state is just (seed, offset in 128-bit blocks). Every fill is cut into
/// fixed-size chunks that each own a fixed range of blocks, so values never depend on threading, and the same seed and the same
/// sequence of calls always give the same values. All members are thread-safe.
/// </summary>
public sealed class RandomGenerator
{
    /// <summary>torch's default CPU seed, used until someone seeds.</summary>
    public const ulong DefaultSeed = 67280421310721UL;

    /// <summary>Values per chunk (a multiple of 4, so full chunks use whole blocks).</summary>
    private const int Chunk = 4096;

    private readonly Lock _gate = new();
    private ulong _seed;
    private ulong _offset;

    public RandomGenerator(ulong seed = DefaultSeed) => _seed = seed;

    private static readonly RandomGenerator Global = new();
    private static readonly AsyncLocal<RandomGenerator?> Seeded = new();

    /// <summary>
    /// The generator ops draw from: the one <see cref="ManualSeed"/> installed in this async flow, else the
    /// process-wide one. Seeding per flow keeps concurrent requests (and parallel tests) from disturbing each
    /// other's reproducible sequences, while unseeded code shares one generator as in torch.
    /// </summary>
    public static RandomGenerator Default => Seeded.Value ?? Global;

    /// <summary>torch.manual_seed: from here on, in this async flow (and the tasks it starts), draws repeat exactly.</summary>
    public static void ManualSeed(ulong seed) => Seeded.Value = new RandomGenerator(seed);

    public ulong InitialSeed
    {
        get { lock (_gate) return _seed; }
    }

    /// <summary>Blocks consumed so far; saving and restoring it (with the seed) replays a sequence.</summary>
    public ulong Offset
    {
        get { lock (_gate) return _offset; }
        set { lock (_gate) _offset = value; }
    }

    public void Seed(ulong seed)
    {
        lock (_gate)
        {
            _seed = seed;
            _offset = 0;
        }
    }

    /// <summary>Raw 32-bit words.</summary>
    public void FillUInt32(Span<uint> output)
        => Run(output, static n => n, static (_, words, dst) => words.CopyTo(dst));

    /// <summary>Uniform on [from, to) with 24 random bits per value, as torch's float uniform_.</summary>
    public void FillUniform(Span<float> output, float from = 0f, float to = 1f)
    {
        CheckRange(from, to, nameof(FillUniform));
        Run(output, static n => n, (_, words, dst) =>
        {
            ToUnit24(words, dst);
            TensorPrimitives.Multiply(dst, to - from, dst);
            TensorPrimitives.Add(dst, from, dst);
        });
    }

    /// <summary>Uniform on [from, to) with 53 random bits per value.</summary>
    public void FillUniform(Span<double> output, double from = 0.0, double to = 1.0)
    {
        CheckRange(from, to, nameof(FillUniform));
        Run(output, static n => 2 * n, (_, words, dst) =>
        {
            for (int j = 0; j < dst.Length; j++) dst[j] = Unit53(words[2 * j], words[2 * j + 1]);
            TensorPrimitives.Multiply(dst, to - from, dst);
            TensorPrimitives.Add(dst, from, dst);
        });
    }

    /// <summary>Normal(mean, std) by Box–Muller on pairs of uniforms, with the log/sqrt/sin/cos done as vector ops.</summary>
    public void FillNormal(Span<float> output, float mean = 0f, float std = 1f)
    {
        CheckStd(std, nameof(FillNormal));
        Run(output, static n => 2 * ((n + 1) / 2), (_, words, dst) =>
        {
            int pairs = (dst.Length + 1) / 2;
            using var r = new Scratch<float>(pairs);
            using var angle = new Scratch<float>(pairs);
            using var sin = new Scratch<float>(pairs);
            using var cos = new Scratch<float>(pairs);
            for (int j = 0; j < pairs; j++)
            {
                // u1 in (0, 1] keeps log finite; u2 in [0, 1) is the angle.
                r.Span[j] = ((words[2 * j] >> 8) + 1) * (1.0f / (1 << 24));
                angle.Span[j] = (words[2 * j + 1] >> 8) * (1.0f / (1 << 24));
            }
            TensorPrimitives.Log(r.Span, r.Span);
            TensorPrimitives.Multiply(r.Span, -2f * std * std, r.Span);
            TensorPrimitives.Sqrt(r.Span, r.Span);
            TensorPrimitives.Multiply(angle.Span, 2f * MathF.PI, angle.Span);
            TensorPrimitives.SinCos(angle.Span, sin.Span, cos.Span);
            for (int j = 0; j < pairs; j++)
            {
                dst[2 * j] = mean + r.Span[j] * cos.Span[j];
                if (2 * j + 1 < dst.Length) dst[2 * j + 1] = mean + r.Span[j] * sin.Span[j];
            }
        });
    }

    public void FillNormal(Span<double> output, double mean = 0.0, double std = 1.0)
    {
        CheckStd(std, nameof(FillNormal));
        Run(output, static n => 4 * ((n + 1) / 2), (_, words, dst) =>
        {
            int pairs = (dst.Length + 1) / 2;
            using var r = new Scratch<double>(pairs);
            using var angle = new Scratch<double>(pairs);
            using var sin = new Scratch<double>(pairs);
            using var cos = new Scratch<double>(pairs);
            for (int j = 0; j < pairs; j++)
            {
                r.Span[j] = 1.0 - Unit53(words[4 * j], words[4 * j + 1]);
                angle.Span[j] = Unit53(words[4 * j + 2], words[4 * j + 3]);
            }
            TensorPrimitives.Log(r.Span, r.Span);
            TensorPrimitives.Multiply(r.Span, -2.0 * std * std, r.Span);
            TensorPrimitives.Sqrt(r.Span, r.Span);
            TensorPrimitives.Multiply(angle.Span, 2.0 * Math.PI, angle.Span);
            TensorPrimitives.SinCos(angle.Span, sin.Span, cos.Span);
            for (int j = 0; j < pairs; j++)
            {
                dst[2 * j] = mean + r.Span[j] * cos.Span[j];
                if (2 * j + 1 < dst.Length) dst[2 * j + 1] = mean + r.Span[j] * sin.Span[j];
            }
        });
    }

    /// <summary>Uniform integers in [low, high) from 64 random bits each.</summary>
    public void FillRandint(Span<long> output, long low, long high)
    {
        if (high <= low)
            throw new ArgumentException($"RandomGenerator.FillRandint: range [{low}, {high}) is empty; expected low < high", nameof(high));
        ulong range = (ulong)(high - low);
        Run(output, static n => 2 * n, (_, words, dst) =>
        {
            for (int j = 0; j < dst.Length; j++)
            {
                ulong x = ((ulong)words[2 * j] << 32) | words[2 * j + 1];
                dst[j] = low + (long)(x % range);
            }
        });
    }

    /// <summary>output[i] = 1 with probability p, else 0 (compared against a 24-bit uniform).</summary>
    public void Bernoulli(Span<float> output, double p)
    {
        CheckProbability(p);
        Run(output, static n => n, (_, words, dst) =>
        {
            ToUnit24(words, dst);
            for (int j = 0; j < dst.Length; j++) dst[j] = dst[j] < p ? 1f : 0f;
        });
    }

    /// <summary>output[i] = 1 with probability p, else 0 (compared against a 53-bit uniform).</summary>
    public void Bernoulli(Span<double> output, double p)
    {
        CheckProbability(p);
        FillUniform(output);
        for (int j = 0; j < output.Length; j++) output[j] = output[j] < p ? 1.0 : 0.0;
    }

    private delegate void ChunkFill<T>(int chunkIndex, ReadOnlySpan<uint> words, Span<T> dst);

    /// <summary>
    /// Reserves the blocks for the whole fill under the lock, then fills chunks (in parallel when large): chunk c always uses the
    /// blocks starting at base + c·(blocks per full chunk), so the result is the same however the chunks are scheduled.
    /// </summary>
    private unsafe void Run<T>(Span<T> output, Func<int, int> wordsFor, ChunkFill<T> fill) where T : unmanaged
    {
        int n = output.Length;
        if (n == 0) return;
        long chunks = (n + Chunk - 1) / Chunk;
        ulong fullBlocks = (ulong)(wordsFor(Chunk) + 3) / 4;
        int lastCount = n - (int)(chunks - 1) * Chunk;
        ulong total = fullBlocks * (ulong)(chunks - 1) + (ulong)(wordsFor(lastCount) + 3) / 4;
        ulong seed, start;
        lock (_gate)
        {
            seed = _seed;
            start = _offset;
            _offset += total;
        }
        fixed (T* p = output)
        {
            nint addr = (nint)p;
            CpuParallel.For(chunks, Chunk * 16.0, (c0, c1) =>
            {
                var words = new uint[wordsFor(Chunk)];
                for (long c = c0; c < c1; c++)
                {
                    int count = c == chunks - 1 ? lastCount : Chunk;
                    var w = words.AsSpan(0, wordsFor(count));
                    Philox.Fill(seed, start + (ulong)c * fullBlocks, w);
                    fill((int)c, w, new Span<T>((T*)addr + c * Chunk, count));
                }
            });
        }
    }

    /// <summary>Top 24 bits of each word scaled into [0, 1).</summary>
    private static void ToUnit24(ReadOnlySpan<uint> words, Span<float> dst)
    {
        using var shifted = new Scratch<uint>(dst.Length);
        TensorPrimitives.ShiftRightLogical(words[..dst.Length], 8, shifted.Span);
        TensorPrimitives.ConvertTruncating<uint, float>(shifted.Span, dst);
        TensorPrimitives.Multiply(dst, 1.0f / (1 << 24), dst);
    }

    private static void CheckProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException($"RandomGenerator.Bernoulli: p = {p}; expected 0 <= p <= 1", nameof(p));
    }

    private static void CheckRange(double from, double to, string method)
    {
        if (!(from <= to) || !double.IsFinite(to - from))
            throw new ArgumentException($"RandomGenerator.{method}: range [{from}, {to}) is invalid; expected finite from <= to", nameof(to));
    }

    private static void CheckStd(double std, string method)
    {
        if (!(std >= 0))
            throw new ArgumentException($"RandomGenerator.{method}: std = {std}; expected std >= 0", nameof(std));
    }

    private static double Unit53(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * (1.0 / (1UL << 53));
}
