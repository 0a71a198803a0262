namespace Graphport.Zoo;

/// <summary>A three-layer perceptron (784 → 256 → 128 → 10) with ReLU: the zoo's smallest serving model.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1 = new(784, 256);
    private readonly Linear fc2 = new(256, 128);
    private readonly Linear fc3 = new(128, 10);

    public override Tensor Forward(Tensor x) => fc3.Call(Functional.Relu(fc2.Call(Functional.Relu(fc1.Call(x)))));
}
