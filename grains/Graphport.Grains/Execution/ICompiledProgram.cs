namespace Graphport.Grains;

/// <summary>
/// A program ready to run on one device. Run takes the user inputs in call order and returns the user outputs
/// flattened in order; input checks throw ArgumentException with torch's messages. Not safe for concurrent runs:
/// an executor runs one batch at a time.
/// </summary>
public interface ICompiledProgram : IDisposable
{
    string Backend { get; }

    ExecutionDevice Device { get; }

    Tensor[] Run(IReadOnlyList<Tensor> inputs);
}
