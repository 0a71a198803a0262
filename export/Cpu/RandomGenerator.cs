using System.Numerics.Tensors;

namespace Graphport.Cpu;

/// <summary>
/// Seeded, reproducible random numbers from Philox4x32-10: the state is just (seed, offset in 128-bit blocks), every fill starts on a
/// fresh block, so the same seed and the same sequence of calls always give the same values. All members are thread-safe.
/// </summary>
public sealed class RandomGenerator
{
    /// <summary>torch's default CPU seed, used until someone seeds.</summary>
    public const ulong DefaultSeed = 67280421310721UL;

    private const int Chunk = 4096;
    private readonly Lock _gate = new();
    private ulong _seed;
    private ulong _offset;

    public RandomGenerator(ulong seed = DefaultSeed) => _seed = seed;

    /// <summary>The process-wide generator that <see cref="ManualSeed"/> resets.</summary>
    public static RandomGenerator Default { get; } = new();

    /// <summary>torch.manual_seed: reseeds <see cref="Default"/>.</summary>
    public static void ManualSeed(ulong seed) => Default.Seed(seed);

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

    /// <summary>Raw 32-bit words (the next ⌈n/4⌉ blocks).</summary>
    public void FillUInt32(Span<uint> output)
    {
        lock (_gate)
        {
            ulong start = Reserve(((ulong)output.Length + 3) / 4);
            Words(_seed, start, output);
        }
    }

    /// <summary>Uniform on [from, to) with 24 random bits per value, as torch's float uniform_.</summary>
    public void FillUniform(Span<float> output, float from = 0f, float to = 1f)
    {
        CheckRange(from, to, nameof(FillUniform));
        Span<uint> words = stackalloc uint[Chunk];
        lock (_gate)
        {
            for (int i = 0; i < output.Length; i += Chunk)
            {
                int n = Math.Min(Chunk, output.Length - i);
                ulong start = Reserve(((ulong)n + 3) / 4);
                Words(_seed, start, words[..n]);
                var dst = output.Slice(i, n);
                for (int j = 0; j < n; j++) dst[j] = (words[j] >> 8) * (1.0f / (1 << 24));
                TensorPrimitives.Multiply(dst, to - from, dst);
                TensorPrimitives.Add(dst, from, dst);
            }
        }
    }

    /// <summary>Uniform on [from, to) with 53 random bits per value.</summary>
    public void FillUniform(Span<double> output, double from = 0.0, double to = 1.0)
    {
        CheckRange(from, to, nameof(FillUniform));
        Span<uint> words = stackalloc uint[Chunk];
        lock (_gate)
        {
            for (int i = 0; i < output.Length; i += Chunk / 2)
            {
                int n = Math.Min(Chunk / 2, output.Length - i);
                ulong start = Reserve(((ulong)n * 2 + 3) / 4);
                Words(_seed, start, words[..(2 * n)]);
                var dst = output.Slice(i, n);
                for (int j = 0; j < n; j++) dst[j] = Unit53(words[2 * j], words[2 * j + 1]);
                TensorPrimitives.Multiply(dst, to - from, dst);
                TensorPrimitives.Add(dst, from, dst);
            }
        }
    }

    /// <summary>Normal(mean, std) by Box–Muller on pairs of uniforms, with the log/sqrt/sin/cos done as vector ops.</summary>
    public void FillNormal(Span<float> output, float mean = 0f, float std = 1f)
    {
        CheckStd(std, nameof(FillNormal));
        var u1 = new float[Chunk / 2];
        var u2 = new float[Chunk / 2];
        var sin = new float[Chunk / 2];
        var cos = new float[Chunk / 2];
        Span<uint> words = stackalloc uint[Chunk];
        lock (_gate)
        {
            for (int i = 0; i < output.Length; i += Chunk)
            {
                int n = Math.Min(Chunk, output.Length - i);
                int pairs = (n + 1) / 2;
                ulong start = Reserve(((ulong)pairs * 2 + 3) / 4);
                Words(_seed, start, words[..(2 * pairs)]);
                for (int j = 0; j < pairs; j++)
                {
                    // u1 in (0, 1] keeps log finite; u2 in [0, 1) is the angle.
                    u1[j] = ((words[2 * j] >> 8) + 1) * (1.0f / (1 << 24));
                    u2[j] = (words[2 * j + 1] >> 8) * (1.0f / (1 << 24));
                }
                var r = u1.AsSpan(0, pairs);
                TensorPrimitives.Log(r, r);
                TensorPrimitives.Multiply(r, -2f, r);
                TensorPrimitives.Sqrt(r, r);
                TensorPrimitives.Multiply(u2.AsSpan(0, pairs), 2f * MathF.PI, u2.AsSpan(0, pairs));
                TensorPrimitives.SinCos(u2.AsSpan(0, pairs), sin.AsSpan(0, pairs), cos.AsSpan(0, pairs));
                var dst = output.Slice(i, n);
                for (int j = 0; j < pairs; j++)
                {
                    dst[2 * j] = mean + std * r[j] * cos[j];
                    if (2 * j + 1 < n) dst[2 * j + 1] = mean + std * r[j] * sin[j];
                }
            }
        }
    }

    public void FillNormal(Span<double> output, double mean = 0.0, double std = 1.0)
    {
        CheckStd(std, nameof(FillNormal));
        var u1 = new double[Chunk / 4];
        var u2 = new double[Chunk / 4];
        var sin = new double[Chunk / 4];
        var cos = new double[Chunk / 4];
        Span<uint> words = stackalloc uint[Chunk];
        lock (_gate)
        {
            for (int i = 0; i < output.Length; i += Chunk / 2)
            {
                int n = Math.Min(Chunk / 2, output.Length - i);
                int pairs = (n + 1) / 2;
                ulong start = Reserve(((ulong)pairs * 4 + 3) / 4);
                Words(_seed, start, words[..(4 * pairs)]);
                for (int j = 0; j < pairs; j++)
                {
                    u1[j] = 1.0 - Unit53(words[4 * j], words[4 * j + 1]);
                    u2[j] = Unit53(words[4 * j + 2], words[4 * j + 3]);
                }
                var r = u1.AsSpan(0, pairs);
                TensorPrimitives.Log(r, r);
                TensorPrimitives.Multiply(r, -2.0, r);
                TensorPrimitives.Sqrt(r, r);
                TensorPrimitives.Multiply(u2.AsSpan(0, pairs), 2.0 * Math.PI, u2.AsSpan(0, pairs));
                TensorPrimitives.SinCos(u2.AsSpan(0, pairs), sin.AsSpan(0, pairs), cos.AsSpan(0, pairs));
                var dst = output.Slice(i, n);
                for (int j = 0; j < pairs; j++)
                {
                    dst[2 * j] = mean + std * r[j] * cos[j];
                    if (2 * j + 1 < n) dst[2 * j + 1] = mean + std * r[j] * sin[j];
                }
            }
        }
    }

    /// <summary>Uniform integers in [low, high) from 64 random bits each.</summary>
    public void FillRandint(Span<long> output, long low, long high)
    {
        if (high <= low)
            throw new ArgumentException($"RandomGenerator.FillRandint: range [{low}, {high}) is empty; expected low < high", nameof(high));
        ulong range = (ulong)(high - low);
        Span<uint> words = stackalloc uint[Chunk];
        lock (_gate)
        {
            for (int i = 0; i < output.Length; i += Chunk / 2)
            {
                int n = Math.Min(Chunk / 2, output.Length - i);
                ulong start = Reserve(((ulong)n * 2 + 3) / 4);
                Words(_seed, start, words[..(2 * n)]);
                for (int j = 0; j < n; j++)
                {
                    ulong x = ((ulong)words[2 * j] << 32) | words[2 * j + 1];
                    output[i + j] = low + (long)(x % range);
                }
            }
        }
    }

    /// <summary>output[i] = 1 with probability p, else 0.</summary>
    public void Bernoulli(Span<float> output, double p)
    {
        CheckProbability(p);
        var u = new double[Math.Min(output.Length, Chunk / 2)];
        for (int i = 0; i < output.Length; i += u.Length)
        {
            int n = Math.Min(u.Length, output.Length - i);
            FillUniform(u.AsSpan(0, n));
            for (int j = 0; j < n; j++) output[i + j] = u[j] < p ? 1f : 0f;
        }
    }

    public void Bernoulli(Span<double> output, double p)
    {
        CheckProbability(p);
        FillUniform(output);
        for (int j = 0; j < output.Length; j++) output[j] = output[j] < p ? 1.0 : 0.0;
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

    private ulong Reserve(ulong blocks)
    {
        ulong start = _offset;
        _offset += blocks;
        return start;
    }

    private static void Words(ulong seed, ulong startBlock, Span<uint> output)
    {
        for (int i = 0; i < output.Length; i += 4)
        {
            var (a, b, c, d) = Philox.Block(seed, startBlock + (ulong)(i / 4));
            output[i] = a;
            if (i + 1 < output.Length) output[i + 1] = b;
            if (i + 2 < output.Length) output[i + 2] = c;
            if (i + 3 < output.Length) output[i + 3] = d;
        }
    }

    private static double Unit53(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * (1.0 / (1UL << 53));
}
