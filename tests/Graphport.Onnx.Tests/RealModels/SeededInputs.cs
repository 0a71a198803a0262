namespace Graphport.Tests.Onnx.RealModels;

/// <summary>Random inputs for the real models, from the caller's seeded Random so every mismatch reproduces.</summary>
internal static class SeededInputs
{
    /// <summary>An image-like input: uniform floats in [0, 1).</summary>
    public static ModelInput Image(string name, Random random, params long[] shape)
    {
        var data = new float[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextSingle();
        return new ModelInput(name, data, shape);
    }

    /// <summary>
    /// A page of text as PaddleOCR feeds it (normalised: paper near +2, ink near -2): rows of dark glyph-like strokes
    /// at random positions, widths and heights on a light background, with a little uniform noise on every pixel.
    /// </summary>
    public static ModelInput TextPage(string name, Random random, int height, int width)
    {
        const float Paper = 2f, Ink = -2f, Noise = 0.1f;
        var page = new float[height * width];
        Array.Fill(page, Paper);
        for (int top = 16; top + 30 < height; top += 40 + random.Next(20))
        {
            for (int left = 8 + random.Next(24); left + 6 < width - 8; left += 4 + random.Next(8))
            {
                int strokeWidth = 2 + random.Next(4), strokeHeight = 12 + random.Next(14), y0 = top + random.Next(6);
                for (int y = y0; y < Math.Min(y0 + strokeHeight, height); y++)
                    for (int x = left; x < Math.Min(left + strokeWidth, width); x++) page[y * width + x] = Ink;
                left += strokeWidth;
            }
        }
        // Gray ink on gray paper: the three channels hold the same page, each with its own noise.
        var data = new float[3 * height * width];
        for (int i = 0; i < data.Length; i++) data[i] = page[i % page.Length] + Noise * (2 * random.NextSingle() - 1);
        return new ModelInput(name, data, [1, 3, height, width]);
    }

    /// <summary>
    /// Audio as a voice activity detector hears it (samples in [-1, 1] at 16 kHz): two voiced-like tones with random
    /// pitch and phase under a slow envelope, plus a little noise, continuing from <paramref name="start"/> so that
    /// consecutive chunks join up.
    /// </summary>
    public static ModelInput Audio(string name, Random random, long start, int samples)
    {
        double f0 = 120 + 80 * random.NextDouble(), phase = 2 * Math.PI * random.NextDouble();
        var data = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            double t = (start + i) / 16000.0;
            double envelope = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 3 * t);
            double voiced = Math.Sin(2 * Math.PI * f0 * t + phase) + 0.5 * Math.Sin(2 * Math.PI * 2.7 * f0 * t);
            data[i] = (float)(0.3 * envelope * voiced + 0.02 * (2 * random.NextDouble() - 1));
        }
        return new ModelInput(name, data, [1, samples]);
    }

    /// <summary>Standard normal floats (Box–Muller), the scale of normalised features.</summary>
    public static ModelInput Normal(string name, Random random, params long[] shape)
    {
        var data = new float[Count(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double u = 1.0 - random.NextDouble();
            data[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }
        return new ModelInput(name, data, shape);
    }

    /// <summary>
    /// A BERT-style batch of <paramref name="batch"/> × <paramref name="sequence"/>: random token ids below
    /// <paramref name="vocabulary"/>, an attention mask of ones whose rows end in a few padding zeros (row b has 3b
    /// of them, so the rows differ), and all-zero token type ids.
    /// </summary>
    public static ModelInput[] BertTokens(Random random, int batch, int sequence, long vocabulary)
    {
        long[] shape = [batch, sequence];
        var ids = new long[batch * sequence];
        var mask = new long[batch * sequence];
        for (int b = 0; b < batch; b++)
        {
            for (int s = 0; s < sequence; s++)
            {
                ids[b * sequence + s] = random.NextInt64(0, vocabulary);
                mask[b * sequence + s] = s < sequence - Math.Min(3 * b, sequence - 1) ? 1 : 0;
            }
        }
        return
        [
            new ModelInput("input_ids", ids, shape),
            new ModelInput("attention_mask", mask, shape),
            new ModelInput("token_type_ids", new long[batch * sequence], shape),
        ];
    }

    private static int Count(long[] shape) => checked((int)shape.Aggregate(1L, (a, b) => a * b));
}
