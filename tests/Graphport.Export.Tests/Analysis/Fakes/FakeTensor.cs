namespace Graphport.Tests.Analysis.Fakes;

/// <summary>
/// Stand-in for Graphport.Tensor carrying just the members strict-mode analysis looks for: truthiness operators,
/// Data, Item and friends. Subjects are only inspected, never run, so the bodies are trivial and branch-free.
/// </summary>
public class FakeTensor
{
    private readonly float[] _data = [0f];

    public float[] Data => _data;

    public float[] ToArray() => (float[])_data.Clone();

    public T Item<T>() => (T)Convert.ChangeType(_data[0], typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    public double ToScalar() => _data[0];

    public FakeTensor Sum() => this;

    public static FakeTensor operator >(FakeTensor left, double right) => left;

    public static FakeTensor operator <(FakeTensor left, double right) => left;

    public static FakeTensor operator *(FakeTensor left, float right) => left;

    public static FakeTensor operator +(FakeTensor left, FakeTensor right) => left;

    // With operator false, & lets C# compile `a && b` on tensors: op_False(a), then op_BitwiseAnd, then op_True.
    public static FakeTensor operator &(FakeTensor left, FakeTensor right) => left;

    public static bool operator true(FakeTensor tensor) => tensor._data[0] != 0;

    public static bool operator false(FakeTensor tensor) => tensor._data[0] == 0;
}
