namespace Graphport.ExportDB;

/// <summary>
/// The tag tree cases are filed under. The torch.* and python.* tags are torch's, so a reader who knows
/// torch's ExportDB finds the same categories; csharp.* tags cover C# features Python has no name for.
/// </summary>
public static class ExportDbTags
{
    public const string TorchCond = "torch.cond";
    public const string TorchDynamicShape = "torch.dynamic-shape";
    public const string TorchEscapeHatch = "torch.escape-hatch";
    public const string TorchMap = "torch.map";
    public const string TorchDynamicValue = "torch.dynamic-value";
    public const string TorchOperator = "torch.operator";
    public const string TorchMutation = "torch.mutation";
    public const string PythonAssert = "python.assert";
    public const string PythonBuiltin = "python.builtin";
    public const string PythonClosure = "python.closure";
    public const string PythonContextManager = "python.context-manager";
    public const string PythonControlFlow = "python.control-flow";
    public const string PythonDataStructure = "python.data-structure";
    public const string PythonObjectModel = "python.object-model";
    public const string PythonStandardLibrary = "python.standard-library";

    /// <summary>Code strict mode rejects by reading the IL (tensor truthiness, raw data, identity, exceptions).</summary>
    public const string CSharpStrictMode = "csharp.strict-mode";

    /// <summary>C# exception handling: throw, try/catch/finally.</summary>
    public const string CSharpExceptions = "csharp.exceptions";

    /// <summary>Reflection and object identity (GetType, RuntimeHelpers.GetHashCode).</summary>
    public const string CSharpReflection = "csharp.reflection";

    /// <summary>Every tag a case may carry.</summary>
    public static IReadOnlySet<string> Known { get; } = new SortedSet<string>(StringComparer.Ordinal)
    {
        TorchCond, TorchDynamicShape, TorchEscapeHatch, TorchMap, TorchDynamicValue, TorchOperator, TorchMutation,
        PythonAssert, PythonBuiltin, PythonClosure, PythonContextManager, PythonControlFlow, PythonDataStructure,
        PythonObjectModel, PythonStandardLibrary, CSharpStrictMode, CSharpExceptions, CSharpReflection,
    };
}
