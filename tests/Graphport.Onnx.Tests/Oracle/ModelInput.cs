namespace Graphport.Tests.Onnx;

/// <summary>
/// One named graph input fed to both ONNX Runtime and the imported program: flat row-major data (float[], long[],
/// bool[]) and its shape. The random factories take the test's seeded Random so every failure reproduces.
/// </summary>
public sealed record ModelInput(string Name, Array Data, long[] Shape)
{
    /// <summary>Uniform floats in [min, max).</summary>
    public static ModelInput Floats(string name, Random random, long[] shape, float min = -2f, float max = 2f)
    {
        var data = new float[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = min + (max - min) * random.NextSingle();
        return new ModelInput(name, data, shape);
    }

    /// <summary>Uniform floats whose magnitude lies in [min, max) with a random sign: safe divisors, never near zero.</summary>
    public static ModelInput AwayFromZero(string name, Random random, long[] shape, float min = 0.5f, float max = 2f)
    {
        var data = new float[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (random.Next(2) == 0 ? -1 : 1) * (min + (max - min) * random.NextSingle());
        return new ModelInput(name, data, shape);
    }

    /// <summary>Uniform integers in [low, high).</summary>
    public static ModelInput Longs(string name, Random random, long[] shape, long low, long high)
    {
        var data = new long[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = random.NextInt64(low, high);
        return new ModelInput(name, data, shape);
    }

    public static ModelInput Longs(string name, long[] data, params long[] shape) => new(name, data, shape);

    /// <summary>Uniform uint8 values in [0, 256): quantized activations.</summary>
    public static ModelInput Bytes(string name, Random random, long[] shape)
    {
        var data = new byte[Count(shape)];
        random.NextBytes(data);
        return new ModelInput(name, data, shape);
    }

    /// <summary>Uniform int8 values in [-128, 128): quantized activations.</summary>
    public static ModelInput SBytes(string name, Random random, long[] shape)
    {
        var data = new sbyte[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (sbyte)random.Next(-128, 128);
        return new ModelInput(name, data, shape);
    }

    public static ModelInput Bools(string name, Random random, long[] shape)
    {
        var data = new bool[Count(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = random.Next(2) == 1;
        return new ModelInput(name, data, shape);
    }

    /// <summary>A Graphport tensor over a copy of the data, so nothing the program does can change what ORT saw.</summary>
    public Tensor ToTensor() => Tensor.FromArray((Array)Data.Clone(), Shape);

    private static int Count(long[] shape) => checked((int)shape.Aggregate(1L, (a, b) => a * b));
}
