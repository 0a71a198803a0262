namespace Graphport.Cpu;

/// <summary>Elementwise boolean connectives.</summary>
public enum LogicalOp
{
    And,
    Or,
    Xor,
}
