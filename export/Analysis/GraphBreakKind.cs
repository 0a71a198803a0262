namespace Graphport.Analysis;

/// <summary>
/// Why strict export refuses a piece of user code: the C# analogs of the reasons Dynamo
/// gives for a graph break when it reads Python bytecode.
/// </summary>
public enum GraphBreakKind
{
    /// <summary>A tensor is used where C# needs a bool (if, while, &amp;&amp;, ?:), so the branch taken depends on tensor data.</summary>
    DataDependentControlFlow,

    /// <summary>Tensor storage is read or written directly, bypassing the operations the graph records.</summary>
    TensorDataAccess,

    /// <summary>A scalar read out of a tensor with Item() decides a branch.</summary>
    DataDependentValue,

    /// <summary>A value depends on which object a tensor is, not on what it holds, so it differs every run.</summary>
    ObjectIdentity,

    /// <summary>throw or try/catch: control flow the graph has no node for.</summary>
    ExceptionHandling,
}
