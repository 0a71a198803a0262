namespace Graphport.Graphs;

/// <summary>FX node opcodes: inputs, calls, references to state, and the single output.</summary>
public enum NodeKind
{
    Placeholder,
    CallFunction,
    GetAttr,
    Output,
}
