namespace Graphport;

/// <summary>
/// An index read out of a tensor (an embedding id, a gather or scatter index, <c>x[idx]</c>) is out of range for the
/// size it indexes: the data's fault, not the program's, so callers of a served program get it as bad input. The CPU
/// kernels throw it; the CUDA backend's device check throws a subclass (Graphport.Kernels' IndexFaultException).
/// </summary>
public class IndexValueException : ArgumentException
{
    public IndexValueException(string message) : base(message)
    {
    }

    public IndexValueException(string message, string? paramName) : base(message, paramName)
    {
    }
}
