namespace Graphport.Tests.Onnx;

/// <summary>Seeded random initializer data (weights, biases, statistics) for the models the tests build.</summary>
public static class RandomData
{
    /// <summary>Uniform floats in [min, max).</summary>
    public static float[] Floats(Random random, int count, float min = -1f, float max = 1f)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = min + (max - min) * random.NextSingle();
        return data;
    }
}
